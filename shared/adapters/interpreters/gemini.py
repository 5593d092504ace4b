"""The Gemini backend: the grounded prompt to Google's Gemini API, a JSON decision back.

Configured by GEMINI_API_KEY (required), GEMINI_MODEL (default gemini-2.5-flash), GEMINI_BASE_URL
(optional: a proxy or a test stub) and MODEL_TIMEOUT_S. The answer is returned as text, unparsed:
the pipeline validates it into a `Decision` (the SDK's `response.parsed` would silently be None on
bad JSON). One retry at most, only for 5xx/408/429, timeouts and connection errors, and only while
enough of the time budget is left; the SDK's own retries are off so the budget holds.
"""

from __future__ import annotations

from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from ...domain.decision import ConversationContext
from .base import Interpreter, InterpreterError, Proposal
from .prompt import (BackendSettingError, Failure, build_prompt, call_within_budget, clean_output,
                     decision_json_schema, endpoint_of, status_failure, transport_failure)

#: Enough for a 1600-character reply and the other fields; bounds the latency of a runaway answer.
MAX_OUTPUT_TOKENS = 2048
#: The API version with every feature used here (system instruction, responseJsonSchema, thinkingConfig);
#: pinned so an SDK whose default moves (google-genai 3.x defaults to v1) does not change the endpoint.
API_VERSION = "v1beta"


def thinking_config(model: str) -> types.ThinkingConfig | None:
    """Thinking off (or as low as the model allows): a front desk needs a fast, short answer.

    Gemini 2.5 Flash and Flash-Lite accept a budget of 0; Gemini 3 models take a level instead;
    2.5 Pro cannot turn thinking off, so it keeps its default.
    """
    name = model.lower()
    if "gemini-3" in name:
        level = types.ThinkingLevel.MINIMAL if "flash" in name else types.ThinkingLevel.LOW
        return types.ThinkingConfig(thinking_level=level)
    if "flash" in name:
        return types.ThinkingConfig(thinking_budget=0)
    return None


def _classify(error: BaseException) -> Failure:
    if isinstance(error, genai_errors.APIError):
        return status_failure(error.code, str(error.status or ""))
    return transport_failure(error) or Failure(False, f"{type(error).__name__}: {error}")


class GeminiInterpreter(Interpreter):
    """Asks a Gemini model for the decision, with the owner's facts as the only source."""

    name = "gemini"

    def __init__(self, *, api_key: str, model: str = "gemini-2.5-flash", base_url: str | None = None,
                 timeout_s: float = 8.0):
        if not api_key:
            raise BackendSettingError("GEMINI_API_KEY is not set; it is required when MODEL_BACKEND=gemini")
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self._schema = decision_json_schema("gemini")
        self._thinking = thinking_config(model)
        self._client = genai.Client(
            api_key=api_key, vertexai=False,
            http_options=types.HttpOptions(base_url=base_url or None, api_version=API_VERSION,
                                           timeout=_ms(timeout_s),
                                           retry_options=types.HttpRetryOptions(attempts=1)))

    @classmethod
    def from_settings(cls, settings) -> "GeminiInterpreter":
        key = settings.gemini_api_key.get_secret_value().strip() if settings.gemini_api_key else ""
        if not key:
            raise BackendSettingError("GEMINI_API_KEY is not set; it is required when MODEL_BACKEND=gemini "
                                      "(or set MODEL_BACKEND=local)")
        return cls(api_key=key, model=settings.gemini_model, base_url=settings.gemini_base_url,
                   timeout_s=settings.model_timeout_s)

    def describe(self) -> dict:
        return {"backend": self.name, "model": self.model, "endpoint": endpoint_of(self.base_url)}

    def _config(self, system: str, seconds_left: float) -> types.GenerateContentConfig:
        return types.GenerateContentConfig(
            system_instruction=system, temperature=0, candidate_count=1, max_output_tokens=MAX_OUTPUT_TOKENS,
            response_mime_type="application/json", response_json_schema=self._schema,
            thinking_config=self._thinking,
            http_options=types.HttpOptions(timeout=_ms(seconds_left),
                                           retry_options=types.HttpRetryOptions(attempts=1)))

    def propose(self, context: ConversationContext, *, timeout_s: float) -> Proposal:
        prompt = build_prompt(context)

        def attempt(seconds_left: float) -> str:
            response = self._client.models.generate_content(model=self.model, contents=prompt.user,
                                                            config=self._config(prompt.system, seconds_left))
            text = response.text
            if not text or not text.strip():
                feedback = response.prompt_feedback
                blocked = feedback.block_reason if feedback is not None else None
                finish = response.candidates[0].finish_reason if response.candidates else None
                raise InterpreterError(f"gemini returned no text (block_reason={blocked}, finish_reason={finish})")
            return text

        text = call_within_budget(attempt, timeout_s, _classify, backend=self.name)
        return Proposal(raw=clean_output(text))


def _ms(seconds: float) -> int:
    """HttpOptions.timeout is in milliseconds (an int)."""
    return max(1, int(seconds * 1000))
