"""Sending WhatsApp messages: the OutboundSender port and its Twilio adapter (the official twilio SDK).

`TwilioSender` calls ``client.messages.create(from_=TWILIO_WHATSAPP_FROM, to="whatsapp:+<phone>", body=...)``.
With TWILIO_API_BASE_URL set (a proxy, or a test stub), every request the SDK would make to
``https://api.twilio.com`` (or a regional ``*.twilio.com`` host) goes to that base URL instead, through the
SDK's own `TwilioHttpClient` -- the SDK's supported extension point for the HTTP layer.

Errors are mapped to `SendError`: HTTP 429, 5xx, timeouts and connection failures are retryable; any other
4xx (bad number, not in the 24-hour window, unverified sandbox recipient ...) is permanent. Logs carry the
HTTP status and Twilio's error code, a masked phone number, never the auth token or the message text.
"""

from __future__ import annotations

import abc
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from ..config import Settings
from ..domain.models import mask_phone

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
REQUIRED_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM")


class SendError(Exception):
    """A message was not accepted by the provider; `retryable` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool, code: int | None = None, http_status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.code = code
        self.http_status = http_status

    @property
    def reason(self) -> str:
        """A short, secret-free description for audit lines."""
        parts = [f"http {self.http_status}" if self.http_status else None,
                 f"twilio error {self.code}" if self.code else None]
        return ", ".join(p for p in parts if p) or str(self)


@dataclass(frozen=True)
class TemplateMessage:
    """An approved WhatsApp template and its values ({"1": ..., "2": ...}), for outside the 24-hour window."""

    content_sid: str
    variables: dict[str, str]


class OutboundSender(abc.ABC):
    """Delivers one message to one customer."""

    name = "sender"

    @abc.abstractmethod
    def send(self, phone: str, body: str, *, template: TemplateMessage | None = None) -> str:
        """Send `body` (or the approved `template`) to the E.164 `phone`; returns the provider's message id,
        raises SendError."""


class BaseUrlHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, with requests for Twilio's API hosts sent to another base URL."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        parts = urlsplit(base_url.rstrip("/"))
        self._scheme, self._netloc, self._path = parts.scheme, parts.netloc, parts.path

    def rewrite(self, url: str) -> str:
        parts = urlsplit(url)
        if not (parts.hostname or "").endswith("twilio.com"):
            return url
        return urlunsplit((self._scheme, self._netloc, self._path + parts.path, parts.query, parts.fragment))

    def request(self, method: str, url: str, *args, **kwargs) -> Response:
        return super().request(method, self.rewrite(url), *args, **kwargs)


class TwilioSender(OutboundSender):
    """WhatsApp messages through Twilio's Messages API."""

    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, whatsapp_from: str, *, api_base_url: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, status_callback: str | None = None):
        if not whatsapp_from.startswith("whatsapp:"):
            whatsapp_from = "whatsapp:" + whatsapp_from
        self.whatsapp_from = whatsapp_from
        #: Where Twilio posts each message's delivery status (POST /webhook/twilio/status); None: nowhere.
        self.status_callback = status_callback
        http_client = (BaseUrlHttpClient(api_base_url, timeout=timeout_s) if api_base_url
                       else TwilioHttpClient(timeout=timeout_s))
        self._client = Client(account_sid, auth_token, http_client=http_client)

    def send(self, phone: str, body: str, *, template: TemplateMessage | None = None) -> str:
        to = phone if phone.startswith("whatsapp:") else "whatsapp:" + phone
        masked = mask_phone(to.removeprefix("whatsapp:"))
        content = ({"content_sid": template.content_sid,
                    "content_variables": json.dumps(template.variables, ensure_ascii=False)}
                   if template is not None else {"body": body})
        if self.status_callback:
            content["status_callback"] = self.status_callback
        try:
            message = self._client.messages.create(from_=self.whatsapp_from, to=to, **content)
        except TwilioRestException as error:
            retryable = error.status == 429 or error.status >= 500
            log.warning("twilio refused the message to %s: http %s, twilio error %s (%s)", masked, error.status,
                        error.code, "will retry" if retryable else "permanent")
            raise SendError(f"Twilio answered HTTP {error.status}", retryable=retryable, code=error.code,
                            http_status=error.status) from None
        except requests.exceptions.RequestException as error:
            log.warning("could not reach twilio for the message to %s: %s", masked, type(error).__name__)
            raise SendError(f"could not reach Twilio ({type(error).__name__})", retryable=True) from None
        except TwilioException as error:
            log.warning("twilio client error for the message to %s: %s", masked, type(error).__name__)
            raise SendError(f"Twilio client error ({type(error).__name__})", retryable=True) from None
        return message.sid or ""


def missing_settings(settings: Settings) -> list[str]:
    """The variables outbound sending needs that are unset."""
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else None
    values = {"TWILIO_ACCOUNT_SID": settings.twilio_account_sid, "TWILIO_AUTH_TOKEN": token,
              "TWILIO_WHATSAPP_FROM": settings.twilio_whatsapp_from}
    return [name for name in REQUIRED_SETTINGS if not values[name]]


def sender_from_settings(settings: Settings, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> TwilioSender:
    """A TwilioSender from the settings; ValueError naming the missing variables when not configured."""
    missing = missing_settings(settings)
    if missing:
        raise ValueError("sending WhatsApp messages needs " + ", ".join(missing)
                         + ": set them in the environment or .env")
    return TwilioSender(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(),
                        settings.twilio_whatsapp_from, api_base_url=settings.twilio_api_base_url,
                        timeout_s=timeout_s, status_callback=status_callback_url(settings))


def status_callback_url(settings: Settings) -> str | None:
    """The public URL of POST /webhook/twilio/status, next to PUBLIC_WEBHOOK_URL; None without it."""
    if not settings.public_webhook_url:
        return None
    return settings.public_webhook_url.rstrip("/") + "/status"
