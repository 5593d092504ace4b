"""Unit tests; `loaded_or_skip` is the shared guard of the tests that need a packaged sentence encoder."""

from __future__ import annotations

import pytest


def loaded_or_skip(*module_names: str):
    """The first of these modules, every one's encoder loaded (get_encoder()); the calling test module is skipped
    when a module or its encoder's wheel is not installed."""
    modules = [pytest.importorskip(name) for name in module_names]
    try:
        for module in modules:
            module.get_encoder()
    except Exception as exc:  # pragma: no cover - only when a wheel is not installed
        pytest.skip(f"a packaged encoder is not installed: {exc}", allow_module_level=True)
    return modules[0]

