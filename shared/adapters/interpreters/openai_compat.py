"""The OpenAI-compatible backend: any server that speaks `POST /v1/chat/completions`.

That includes OpenAI itself and local model servers (llama.cpp's llama-server, Ollama, vLLM,
LM Studio). Configured by OPENAI_BASE_URL and OPENAI_MODEL (both required), OPENAI_API_KEY
(optional: local servers usually need none) and MODEL_TIMEOUT_S. The decision is asked for with a
strict JSON schema and returned as text, unparsed: the pipeline validates it into a `Decision`.
One retry at most, only for 5xx/408/429, timeouts and connection errors, and only while enough of
the time budget is left; the SDK's own retries are off so the budget holds.
"""

from __future__ import annotations

import openai

from ...domain.decision import ConversationContext
from .base import Interpreter, InterpreterError, Proposal
from .prompt import (BackendSettingError, Failure, build_prompt, call_within_budget, clean_output,
                     decision_json_schema, endpoint_of, status_failure, transport_failure)

#: The SDK insists on some key; local servers ignore it.
NO_KEY = "not-needed"
MAX_TOKENS = 2048


def _classify(error: BaseException) -> Failure:
    if isinstance(error, openai.APIStatusError):
        return status_failure(error.status_code, "")
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        timed_out = isinstance(error, openai.APITimeoutError)
        return Failure(True, "timed out" if timed_out else "connection failed")
    return transport_failure(error) or Failure(False, f"{type(error).__name__}: {error}")


class OpenAICompatibleInterpreter(Interpreter):
    """Asks an OpenAI-compatible chat model for the decision, with the owner's facts as the only source."""

    name = "openai"

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 8.0):
        missing = [name for name, value in (("OPENAI_BASE_URL", base_url), ("OPENAI_MODEL", model)) if not value]
        if missing:
            raise BackendSettingError(f"{' and '.join(missing)} must be set when MODEL_BACKEND=openai")
        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        self._response_format = {"type": "json_schema",
                                 "json_schema": {"name": "decision", "schema": decision_json_schema("openai"),
                                                 "strict": True}}
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or NO_KEY, timeout=timeout_s,
                                     max_retries=0)

    @classmethod
    def from_settings(cls, settings) -> "OpenAICompatibleInterpreter":
        key = settings.openai_api_key.get_secret_value().strip() if settings.openai_api_key else ""
        missing = [name for name, value in (("OPENAI_BASE_URL", settings.openai_base_url),
                                            ("OPENAI_MODEL", settings.openai_model)) if not value]
        if missing:
            raise BackendSettingError(f"{' and '.join(missing)} must be set when MODEL_BACKEND=openai "
                                      "(for example OPENAI_BASE_URL=http://127.0.0.1:8081/v1 for llama-server)")
        return cls(base_url=settings.openai_base_url, model=settings.openai_model, api_key=key or None,
                   timeout_s=settings.model_timeout_s)

    def describe(self) -> dict:
        return {"backend": self.name, "model": self.model, "endpoint": endpoint_of(self.base_url)}

    def propose(self, context: ConversationContext, *, timeout_s: float) -> Proposal:
        prompt = build_prompt(context)
        messages = [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]

        def attempt(seconds_left: float) -> str:
            completion = self._client.chat.completions.create(
                model=self.model, messages=messages, temperature=0, max_tokens=MAX_TOKENS,
                response_format=self._response_format, timeout=seconds_left)
            if not completion.choices:
                raise InterpreterError("openai: the server returned no choices")
            message = completion.choices[0].message
            if getattr(message, "refusal", None):
                raise InterpreterError("openai: the model refused to answer")
            if not message.content or not message.content.strip():
                raise InterpreterError(f"openai: empty answer (finish_reason={completion.choices[0].finish_reason})")
            return message.content

        text = call_within_budget(attempt, timeout_s, _classify, backend=self.name)
        return Proposal(raw=clean_output(text))
