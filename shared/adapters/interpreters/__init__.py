"""Interpreters turn a conversation context into a proposed decision (local, Gemini, OpenAI-compatible)."""

from .base import Interpreter, InterpreterError, Proposal

__all__ = ["Interpreter", "InterpreterError", "Proposal", "build_interpreter"]


def build_interpreter(settings) -> Interpreter:
    """The interpreter MODEL_BACKEND names, configured from settings."""
    backend = settings.model_backend
    if backend == "gemini":
        from .gemini import GeminiInterpreter
        return GeminiInterpreter.from_settings(settings)
    if backend == "openai":
        from .openai_compat import OpenAICompatibleInterpreter
        return OpenAICompatibleInterpreter.from_settings(settings)
    from .local import LocalInterpreter
    return LocalInterpreter()
