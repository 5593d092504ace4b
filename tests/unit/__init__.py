"""Unit tests; `loaded_or_skip` is the shared guard of the tests that need a packaged sentence encoder, and
`first_message` the context of a first message to one of the scenario configs' businesses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shared.domain.decision import ConversationContext
from shared.services.business import parse_config

SCENARIO_CONFIGS = Path(__file__).resolve().parents[2] / "scenarios" / "configs"


def first_message(config_name: str, now: dt.datetime, text: str) -> ConversationContext:
    """The context of a first message `text` to the business of scenarios/configs/`config_name`, at local time `now`."""
    config = parse_config((SCENARIO_CONFIGS / config_name).read_text(encoding="utf-8"))
    return ConversationContext(config=config, faqs=tuple(enumerate(config.faqs, start=1)),
                               now=now.replace(tzinfo=config.business.zone), sender="+15550000001",
                               message_id="m1", text=text, customer_name="P", state={})


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

