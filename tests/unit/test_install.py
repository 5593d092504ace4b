"""The default install stays light: the offline interpreter runs without PyTorch or CUDA."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence-transformers", "sentence_transformers", "nvidia-", "tensorflow", "jax")


def requirement_names(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [re.split(r"[=<>\[ ]", line)[0].lower() for line in lines if line]


def test_no_requirements_file_asks_for_pytorch_or_cuda():
    for path in ROOT.glob("requirements*.txt"):
        assert not [name for name in requirement_names(path) if name.startswith(HEAVY)], path.name


def test_every_requirement_is_pinned_to_one_version():
    for path in ROOT.glob("requirements*.txt"):
        lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
        assert all("==" in line for line in lines if line), path.name


def test_pytorch_is_not_installed_in_this_environment():
    assert importlib.util.find_spec("torch") is None


def test_the_faq_encoder_loads_from_the_installed_wheel_without_pytorch():
    from shared.interpreter.faq_match import get_encoder
    vectors = get_encoder().encode(["When are you open?"])
    assert vectors.shape == (1, 384)
