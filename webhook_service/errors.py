"""Errors of the webhook service, and the handlers that turn every error into JSON.

No HTML page and no traceback ever leaves the service: HTTP errors (400, 401, 403, 404, 405, 413,
429, ...) become `{"error": <slug>, "message": <text>}` and anything unexpected becomes a bare 500.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from shared.config import SettingsError

log = logging.getLogger(__name__)


class ConfigurationError(SettingsError):
    """The service cannot start with these settings; the message names each missing variable."""


_MESSAGES = {
    400: "The request could not be read.",
    401: "Authentication is required.",
    403: "The request signature is missing or invalid.",
    404: "There is nothing at this address.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    415: "Unsupported media type.",
    429: "Too many messages from this sender; try again later.",
    500: "Internal error.",
    503: "The service is not ready.",
}


def _slug(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_").replace("'", "")


def error_response(status: int, slug: str, message: str, *, headers: dict | None = None, **extra):
    """A JSON error body with the given status."""
    response = jsonify({"error": slug, "message": message, **extra})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        message = _MESSAGES.get(status, error.name)
        if status == 429:
            description = getattr(error, "description", None)
            extra = {"limit": str(description)} if description else {}
            response = error_response(429, "rate_limited", message, **extra)
        else:
            response = error_response(status, _slug(error), message)
        for name, value in error.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return _http_error(error)
        log.error("unhandled %s while serving a request", type(error).__name__, exc_info=error)
        return error_response(500, "internal_error", _MESSAGES[500])

    @app.errorhandler(InternalServerError)
    def _internal(error: InternalServerError):
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled %s while serving a request", type(original).__name__, exc_info=original)
        return error_response(500, "internal_error", _MESSAGES[500])
