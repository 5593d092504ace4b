"""Typed values of the domain: business configuration, bookings, leads, handoffs.

Everything that crosses an edge (a config file, a form, a model's output) becomes one of these
before the rest of the code sees it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import (AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer,
                      ValidationError, ValidationInfo, field_validator, model_validator)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Frozen(BaseModel):
    """Strict base: unknown fields refused, whitespace trimmed, values immutable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# --- small value types ------------------------------------------------------------------------

def normalise_phone(value: object, default_region: str | None = None) -> str:
    """Return the E.164 form of a phone number the owner typed, or raise ValueError saying why not."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a phone number is required")
    return _e164(value.strip().removeprefix("whatsapp:"), default_region, True)


def normalise_sender(value: object) -> str:
    """Return the E.164 form of a customer's sender number, or raise ValueError saying why not.

    Only a *possible* number is required (right length for its country code): libphonenumber's
    validity tables lag behind the ranges carriers hand out, and refusing a real customer's
    number loses their message (Twilio does not retry a 4xx). Numbers the owner types stay strict.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a phone number is required")
    return _e164(value.strip().removeprefix("whatsapp:"), None, False)


@functools.lru_cache(maxsize=8192)
def _e164(text: str, default_region: str | None, strict: bool) -> str:
    # Parsing with phonenumbers costs ~50 us and every inbound message checks its sender twice (at the
    # edge and in the pipeline); customers write again and again, so numbers are remembered.
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as error:
        raise ValueError("not a phone number; use international form such as +919800000001") from error
    if strict and not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a valid phone number; use international form such as +919800000001")
    if not strict and not _possible_sender(parsed):
        raise ValueError("not a possible phone number; use international form such as +919800000001")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


#: E.164 caps a number at 15 digits, country code included.
_E164_MAX_DIGITS = 15


def _possible_sender(parsed: phonenumbers.PhoneNumber) -> bool:
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason in (phonenumbers.ValidationResult.IS_POSSIBLE, phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return True
    # WhatsApp keeps some legacy national forms longer than today's plan allows (Mexico's mobile "1":
    # +52 1 55..., Argentina's "9": +54 9 11...); E.164's own limit still applies.
    digits = len(str(parsed.country_code)) + len(phonenumbers.national_significant_number(parsed))
    return reason == phonenumbers.ValidationResult.TOO_LONG and digits <= _E164_MAX_DIGITS


def mask_phone(phone: str) -> str:
    """Hide all but the country code and last two digits, for logs and audit lines."""
    digits = phone.lstrip("+")
    if len(digits) <= 4:
        return "+" + "*" * len(digits)
    return f"+{digits[:2]}{'*' * (len(digits) - 4)}{digits[-2:]}"


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {value!r}; use an IANA name such as Asia/Kolkata") from None
    return value


def _check_language(value: str) -> str:
    value = value.strip().lower()
    if not _LANGUAGE.match(value):
        raise ValueError(f"{value!r} is not a language code such as en, es or hi")
    return value


def _parse_range(value: object) -> object:
    if isinstance(value, str):
        match = _RANGE.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a range such as 06:00-21:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            return {"start": dt.time(h1, m1), "end": dt.time(h2, m2)}
        except ValueError:
            raise ValueError(f"{value!r} has an impossible time") from None
    return value


E164Phone = Annotated[str, BeforeValidator(normalise_phone)]
#: A customer's own number (a message's sender, a booking's or lead's phone): possible, not "valid".
SenderPhone = Annotated[str, BeforeValidator(normalise_sender)]
TimeZoneName = Annotated[str, BeforeValidator(lambda v: _check_timezone(v) if isinstance(v, str) else v)]
LanguageCode = Annotated[str, BeforeValidator(lambda v: _check_language(v) if isinstance(v, str) else v)]


class TimeRange(Frozen):
    """One opening range of a day, written `06:00-21:00` in files."""

    start: dt.time
    end: dt.time

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        return _parse_range(value)

    @model_validator(mode="after")
    def _end_after_start(self) -> "TimeRange":
        if self.end <= self.start:
            raise ValueError("end before start")
        return self

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


RangeText = Annotated[TimeRange, PlainSerializer(str, return_type=str)]


# --- business configuration ---------------------------------------------------------------------

class BusinessProfile(Frozen):
    """The facts about the business that the assistant may state."""

    name: str = Field(min_length=1, max_length=120)
    category: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=1000)
    address: str = Field("", max_length=300)
    timezone: TimeZoneName
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], min_length=1, max_length=12)
    greeting: str = Field("", max_length=500)
    phone: E164Phone | None = None

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each language once")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def default_language(self) -> str:
        return self.languages[0]


class BookingPolicy(Frozen):
    """How bookings may be requested; capacity is how many may overlap."""

    slot_minutes: int = Field(60, ge=5, le=480)
    capacity: int = Field(1, ge=1, le=100)
    min_notice_minutes: int = Field(60, ge=0, le=43_200)
    max_days_ahead: int = Field(60, ge=1, le=366)
    buffer_minutes: int = Field(0, ge=0, le=240)
    #: Hours before an approved booking the customer is reminded of it; 0 turns reminders off.
    reminder_hours: int = Field(24, ge=0, le=168)
    #: Hours a customer on the waitlist has to answer the offer of a freed place before the next is offered.
    waitlist_offer_hours: int = Field(2, ge=1, le=72)


#: How many other words (aliases) one service may have.
MAX_SERVICE_ALIASES = 10


class Service(Frozen):
    """A bookable service; price is the owner's own approved wording, if any."""

    name: str = Field(min_length=1, max_length=80)
    duration_minutes: int = Field(ge=5, le=720)
    price: str | None = Field(None, max_length=80)
    #: The owner's other words for this service ("cut", "nails", "Zahnreinigung"): a customer who uses
    #: one names the service as if they had written its name. At most MAX_SERVICE_ALIASES.
    aliases: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list,
                                                                max_length=MAX_SERVICE_ALIASES)

    @field_validator("price")
    @classmethod
    def _blank_price_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("aliases")
    @classmethod
    def _aliases_trimmed_and_once(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # Blank cells, repeats and the name itself are dropped, not refused: the editor hands them over as typed.
        seen: set[str] = {str(info.data.get("name") or "").casefold()}
        kept = []
        for alias in value:
            alias = " ".join(alias.split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                kept.append(alias)
        return kept


class Faq(Frozen):
    """An owner-approved question and answer, with optional other phrasings and language."""

    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=2000)
    alternatives: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=30)
    language: LanguageCode | None = None


class WeeklyHours(Frozen):
    """Opening ranges per weekday; a day left out is closed."""

    mon: list[RangeText] = Field(default_factory=list, max_length=6)
    tue: list[RangeText] = Field(default_factory=list, max_length=6)
    wed: list[RangeText] = Field(default_factory=list, max_length=6)
    thu: list[RangeText] = Field(default_factory=list, max_length=6)
    fri: list[RangeText] = Field(default_factory=list, max_length=6)
    sat: list[RangeText] = Field(default_factory=list, max_length=6)
    sun: list[RangeText] = Field(default_factory=list, max_length=6)

    @field_validator(*WEEKDAYS)
    @classmethod
    def _ranges_in_time_order(cls, ranges: list[TimeRange]) -> list[TimeRange]:
        return sorted(ranges, key=lambda r: r.start)

    @model_validator(mode="after")
    def _ranges_do_not_overlap(self) -> "WeeklyHours":
        for day in WEEKDAYS:
            ranges = sorted(getattr(self, day), key=lambda r: r.start)
            for earlier, later in zip(ranges, ranges[1:]):
                if later.start < earlier.end:
                    raise ValueError(f"{day}: {earlier} overlaps {later}")
        return self

    def is_set(self) -> bool:
        """Does any weekday have opening ranges? With none, the owner has not said when they open (no business is
        closed every day), so nothing may be told a customer about it."""
        return any(getattr(self, day) for day in WEEKDAYS)

    def for_weekday(self, weekday: int) -> list[TimeRange]:
        """Ranges of a weekday, 0 = Monday, in time order."""
        return sorted(getattr(self, WEEKDAYS[weekday]), key=lambda r: r.start)

    def as_mapping(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        """Weekday number to (open, close) pairs, the shape the time resolver takes."""
        return {i: [(r.start, r.end) for r in self.for_weekday(i)] for i in range(7)}


#: What a message the business sends on its own is about; each kind may have its approved WhatsApp template.
NoticeKind = Literal["booking_approved", "booking_cancelled", "booking_moved", "booking_reminder", "owner_reply",
                     "owner_alert", "owner_digest", "waitlist_offer"]
#: The values a notice of each kind can fill into its template.
NOTICE_VARIABLES: dict[str, tuple[str, ...]] = {
    "booking_approved": ("name", "service", "when"),
    "booking_cancelled": ("name", "service", "when", "reason"),
    "booking_moved": ("name", "service", "when", "previous_when"),
    "booking_reminder": ("name", "service", "when"),
    "owner_reply": ("name", "text"),
    "owner_alert": ("summary", "link"),
    "owner_digest": ("count", "items", "link"),
    "waitlist_offer": ("name", "service", "when", "expires"),
}


class WhatsAppTemplate(Frozen):
    """An approved WhatsApp template (Twilio Content API), used outside the 24-hour window.

    `variables` names, in order, the values filling the template's {{1}}, {{2}}, ...
    """

    content_sid: str = Field(pattern=r"^HX[0-9a-fA-F]{32}$")
    variables: list[str] = Field(default_factory=list, max_length=10)


class BusinessConfig(Frozen):
    """The whole business configuration, as the config file holds it."""

    business: BusinessProfile
    hours: WeeklyHours = Field(default_factory=WeeklyHours)
    closures: list[dt.date] = Field(default_factory=list, max_length=400)
    booking: BookingPolicy = Field(default_factory=BookingPolicy)
    services: list[Service] = Field(default_factory=list, max_length=200)
    faqs: list[Faq] = Field(default_factory=list, max_length=500)
    templates: dict[NoticeKind, WhatsAppTemplate] = Field(default_factory=dict)

    @field_validator("templates")
    @classmethod
    def _template_variables_known(cls, value: dict[str, WhatsAppTemplate]) -> dict[str, WhatsAppTemplate]:
        for kind, template in value.items():
            unknown = [name for name in template.variables if name not in NOTICE_VARIABLES[kind]]
            if unknown:
                raise ValueError(f"{kind}: unknown variable(s) {', '.join(unknown)}; a {kind} template can use "
                                 + ", ".join(NOTICE_VARIABLES[kind]))
        return value

    @field_validator("closures")
    @classmethod
    def _sorted_unique_closures(cls, value: list[dt.date]) -> list[dt.date]:
        return sorted(set(value))

    @field_validator("services")
    @classmethod
    def _unique_service_names(cls, value: list[Service]) -> list[Service]:
        seen: set[str] = set()
        for service in value:
            key = service.name.casefold()
            if key in seen:
                raise ValueError(f"service {service.name!r} is listed twice")
            seen.add(key)
        owner: dict[str, str] = {s.name.casefold(): s.name for s in value}
        for service in value:
            for alias in service.aliases:
                # One word naming two services would book whichever came first: refused.
                other = owner.setdefault(alias.casefold(), service.name)
                if other != service.name:
                    raise ValueError(f"{alias!r} names both {other!r} and {service.name!r}")
        return value


# --- records -----------------------------------------------------------------------------------

class BookingStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    #: The customer did not come to an approved booking (the owner marks it; no message is sent).
    NO_SHOW = "no_show"


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    CLOSED = "closed"


class HandoffStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class BookingRequest(Frozen):
    """What a customer asked for, before the rules have looked at it."""

    customer_name: str = Field(min_length=1, max_length=120)
    customer_phone: SenderPhone
    service: str = Field(min_length=1, max_length=80)
    requested_time: str = Field(min_length=1, max_length=200)
    scheduled_for: AwareDatetime
    source_message_id: str = Field(min_length=1, max_length=200)


class Booking(Frozen):
    """A booking as stored; `scheduled_for` is shown in the business timezone."""

    id: int
    customer_name: str
    customer_phone: str
    service: str
    requested_time: str
    scheduled_for: AwareDatetime
    duration_minutes: int
    timezone: str
    status: BookingStatus
    source_message_id: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    cancel_reason: str | None = None

    @property
    def ends_at(self) -> dt.datetime:
        return self.scheduled_for + dt.timedelta(minutes=self.duration_minutes)


class LeadRequest(Frozen):
    """A callback request, before it is stored."""

    customer_name: str = Field(min_length=1, max_length=120)
    customer_phone: SenderPhone
    requirement: str = Field(min_length=1, max_length=1000)
    source_message_id: str = Field(min_length=1, max_length=200)


class Lead(Frozen):
    """A callback lead as stored."""

    id: int
    customer_name: str
    customer_phone: str
    requirement: str
    status: LeadStatus
    source_message_id: str
    created_at: AwareDatetime
    updated_at: AwareDatetime


class Handoff(Frozen):
    """A conversation handed to a person; the assistant stays quiet until it is resolved."""

    id: int
    customer_phone: str
    reason: str
    status: HandoffStatus
    source_message_id: str | None
    created_at: AwareDatetime
    resolved_at: AwareDatetime | None = None


def error_lines(error: ValidationError, prefix: str = "") -> list[str]:
    """Name each bad field by its path, e.g. `hours.tue[1]: end before start`."""
    lines = []
    for item in error.errors():
        path = prefix
        for part in item["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            elif part not in ("function-before", "function-after") and not str(part).startswith(
                    ("function-", "constrained-")):
                path += f".{part}" if path else str(part)
        message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        lines.append(f"{path or '(top)'}: {message}")
    return lines
