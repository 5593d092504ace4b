"""A stub of the Gemini API's `POST /v1beta/models/{model}:generateContent`, for the google-genai SDK.

Point the SDK at it with GEMINI_BASE_URL=stub.url (the SDK adds `/v1beta/models/...`).
"""

from __future__ import annotations

import re

from . import Recorded, Responder, StubServer

_ROUTE = re.compile(r"^/(?P<version>v1beta|v1)/models/(?P<model>[^/:]+):generateContent$")
_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


class GeminiStub(StubServer):
    """Answers generateContent with the scripted text as the first candidate's only part."""

    def __init__(self, responder: Responder | None = None):
        super().__init__(responder)

    def route(self, method: str, path: str) -> bool:
        return method == "POST" and bool(_ROUTE.match(path))

    @staticmethod
    def model_of(request: Recorded) -> str | None:
        match = _ROUTE.match(request.path.split("?", 1)[0])
        return match.group("model") if match else None

    def prompt_text(self, request: Recorded) -> str:
        body = request.body
        parts = [p.get("text", "") for p in (body.get("systemInstruction") or {}).get("parts", [])]
        for content in body.get("contents") or []:
            parts += [p.get("text", "") for p in content.get("parts", [])]
        return "\n".join(parts)

    def success_body(self, request: Recorded, text: str) -> dict:
        return {"candidates": [{"content": {"parts": [{"text": text}], "role": "model"},
                                "finishReason": "STOP", "index": 0}],
                "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
                "modelVersion": self.model_of(request) or "stub"}

    def error_body(self, status: int) -> dict:
        return {"error": {"code": status, "message": f"stub error {status}",
                          "status": _STATUS.get(status, "UNKNOWN")}}
