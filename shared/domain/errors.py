"""Domain errors: each carries a machine-readable reason next to its human message."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the domain raises; `reason` is stable, `message` is for people."""

    reason = "domain_error"

    def __init__(self, message: str, *, reason: str | None = None, detail: dict | None = None):
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason
        self.detail = detail or {}


class InvalidTransition(DomainError):
    """A status change that the lifecycle does not allow."""

    reason = "invalid_transition"


class BookingRefused(DomainError):
    """A booking request or approval that breaks a booking rule."""

    reason = "booking_refused"


class NotFound(DomainError):
    """The record named does not exist."""

    reason = "not_found"


class InvalidInput(DomainError):
    """Input that failed validation; `detail['errors']` lists `path: message` lines."""

    reason = "invalid_input"
