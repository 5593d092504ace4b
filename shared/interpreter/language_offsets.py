"""Where each language sits in the multilingual encoder's space, so that meaning, not language, decides.

multilingual-e5-small places a sentence near others *of its language*: asked "English original or 19
other English sentences?", the German translation of a sentence loses to an unrelated English one more
often than not (bench/cross_language.py, "mixed"). That is the owner whose FAQs are in two languages,
or the customer who writes in a third: the FAQ in the customer's own language wins whatever it says.

Most of that pull is one direction per language: the mean of many sentences in the language minus the
mean of the same sentences in English (Libovický et al., 2020, "On the language neutrality of
pre-trained multilingual representations"). Each language module holds the same customer messages
(`Language.aligned_samples`, aligned by position with English's); this module turns them into that
offset, and `shift()` takes it off a text's vector before vectors of different languages are compared.
English's offset is none, so English against English reads exactly as before.

The offsets are computed once and shipped in ``languages/offsets.npz`` with a fingerprint of the samples
and the encoder; a language whose samples changed (or a new language module) is computed on first use
instead, and ``python -m shared.interpreter.language_offsets`` writes the file again.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import threading
from pathlib import Path

import numpy as np

from .languages import LANGUAGES

logger = logging.getLogger(__name__)

OFFSETS_FILE = Path(__file__).resolve().parent / "languages" / "offsets.npz"
#: The language every other is measured from: its own offset is none.
PIVOT = "en"

_lock = threading.Lock()
_offsets: dict[str, np.ndarray | None] = {}


def _model_name() -> str:
    from .faq_match_e5 import MODEL_NAME
    return MODEL_NAME


def fingerprint(code: str) -> str:
    """A hash of what the offset of `code` is computed from: the encoder, English's samples and its own."""
    pivot = LANGUAGES[PIVOT].aligned_samples if PIVOT in LANGUAGES else ()
    own = LANGUAGES[code].aligned_samples if code in LANGUAGES else ()
    text = "\x1f".join((_model_name(), *pivot, "\x1e", *own))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _aligned(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(this language's samples, English's), or two empty tuples when they cannot be paired."""
    language, pivot = LANGUAGES.get(code), LANGUAGES.get(PIVOT)
    if code == PIVOT or language is None or pivot is None:
        return (), ()
    own, base = language.aligned_samples, pivot.aligned_samples
    if not own or len(own) != len(base):
        if own:
            logger.warning("language %s: %d aligned samples against %d in English; no offset", code, len(own),
                           len(base))
        return (), ()
    return own, base


def compute(code: str, encoder=None) -> np.ndarray | None:
    """The offset of `code`: the mean of its samples' vectors minus the mean of English's (None: no offset)."""
    own, base = _aligned(code)
    if not own:
        return None
    if encoder is None:
        from .faq_match_e5 import get_encoder
        encoder = get_encoder()
    vectors = encoder.encode([*own, *base])
    return (vectors[: len(own)].mean(0) - vectors[len(own):].mean(0)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, np.ndarray]:
    """The shipped offsets whose fingerprint still matches their samples (the file is read once)."""
    if not OFFSETS_FILE.is_file():
        return {}
    shipped: dict[str, np.ndarray] = {}
    with np.load(OFFSETS_FILE, allow_pickle=False) as stored:
        for key in stored.files:
            code = key.removeprefix("offset_")
            if code != key and f"fingerprint_{code}" in stored.files \
                    and str(stored[f"fingerprint_{code}"]) == fingerprint(code):
                shipped[code] = stored[key].astype(np.float32)
    return shipped


def offset(code: str | None) -> np.ndarray | None:
    """The vector to take off a text of language `code` (None: English, unknown, or no samples)."""
    if not code or code == PIVOT or code not in LANGUAGES:
        return None
    if code in _offsets:
        return _offsets[code]
    with _lock:
        if code not in _offsets:
            shipped = _shipped()
            if code in shipped:
                _offsets[code] = shipped[code]
            else:
                if _aligned(code)[0]:
                    logger.info("language %s: offset not shipped or stale; computing it (python -m %s writes it)",
                                code, __name__)
                _offsets[code] = compute(code)
            if _offsets[code] is not None:
                _offsets[code].setflags(write=False)
    return _offsets[code]


def shift(vectors: np.ndarray, code: str | None) -> np.ndarray:
    """`vectors` (one per row, or one) of texts in language `code`, its offset taken off, L2-normalised again;
    the very same array when the language has no offset."""
    delta = offset(code)
    if delta is None:
        return vectors
    moved = np.asarray(vectors, dtype=np.float32) - delta
    norms = np.linalg.norm(moved, axis=-1, keepdims=True)
    return moved / np.maximum(norms, 1e-12)


def write(path: Path = OFFSETS_FILE) -> dict[str, int]:
    """Compute every language's offset and store them with their fingerprints: {code: samples}."""
    arrays: dict[str, np.ndarray] = {}
    written: dict[str, int] = {}
    for code in LANGUAGES:
        vector = compute(code)
        if vector is None:
            continue
        arrays[f"offset_{code}"] = vector
        arrays[f"fingerprint_{code}"] = np.array(fingerprint(code))
        written[code] = len(LANGUAGES[code].aligned_samples)
    np.savez(path, **arrays)
    with _lock:
        _offsets.clear()
        _shipped.cache_clear()
    return written


def main() -> int:
    """Write languages/offsets.npz from the language modules' aligned samples."""
    logging.basicConfig(level=logging.INFO)
    written = write()
    print(f"wrote {OFFSETS_FILE}: " + ", ".join(f"{code} ({n} samples)" for code, n in written.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
