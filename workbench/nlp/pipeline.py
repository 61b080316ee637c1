"""Choosing and loading the spaCy pipeline, once per process, on first use.

Order: the ``nl_core_news_sm`` package when installed; else the folder named by
``WORKBENCH_SPACY_MODEL``; else spaCy's rule-based Dutch pipeline (blank ``nl``, sentencizer,
lookup lemmatizer from ``spacy-lookups-data``), with one notice of what the model would add.
Nothing is ever downloaded.

Besides loading, this module owns the small jobs every other language module needs from the
pipeline: lemmatising a query (:func:`lemmatize`), tokenising a sentence to line its stored
lemmas up with its words (:func:`word_spans`), and the model's named entities for the anonymity
audit (:func:`entities`). spaCy objects are not thread-safe, so every use of the pipeline goes
through one lock (:func:`using_pipeline`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

MODEL_PACKAGE = "nl_core_news_sm"
ENV_MODEL = "WORKBENCH_SPACY_MODEL"
INSTALL_HINT = f"python -m spacy download {MODEL_PACKAGE}"
FINGERPRINT_KEY = "nlp_pipeline"
FALLBACK_NOTICE = (
    f"The Dutch model {MODEL_PACKAGE} is not installed, so the workbench uses spaCy's rule-based "
    "Dutch pipeline (sentencizer and lookup lemmas). The model adds part-of-speech tags, better "
    "lemmas and named entities for the anonymity audit. Install it with: " + INSTALL_HINT
)
# Components that sentence splitting and lemmas may need (everything else is disabled then).
SEGMENTING_KEEP = {"sentencizer", "senter", "parser", "lemmatizer", "tok2vec", "morphologizer",
                   "tagger", "attribute_ruler", "trainable_lemmatizer"}


@dataclass
class PipelineInfo:
    name: str
    kind: str  # "model", "folder" or "rule-based"
    version: str
    spacy_version: str
    components: list[str] = field(default_factory=list)
    lemmatizer: str = ""
    has_ner: bool = False
    has_pos: bool = False
    notice: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identifies the pipeline (and the workbench's own segmentation rules) in the
        database; a change means re-processing is due."""
        return (f"{self.kind}:{self.name}:{self.version}:{','.join(self.components)}"
                f":{SEGMENTATION_RULES}")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "fingerprint": self.fingerprint}


# The workbench's own sentence rules on top of the pipeline's (see nlp/sentences.py); a new
# value makes re-processing due in existing projects.
SEGMENTATION_RULES = "ellipsis-1"

_lock = threading.Lock()
_use_lock = threading.RLock()
_loaded: tuple[Any, PipelineInfo] | None = None


def _ensure_segmentation(nlp: Any) -> None:
    names = nlp.pipe_names
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif not ({"parser", "senter", "sentencizer"} & set(names)):
        nlp.add_pipe("sentencizer", first=True)


def _lookups_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("spacy-lookups-data")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _add_lookup_lemmatizer(nlp: Any) -> str:
    """Add spaCy's lookup lemmatizer; describe what was added (lower-case words without it)."""
    try:
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        lemmatizer.initialize()
    except Exception as exc:  # noqa: BLE001 - spacy-lookups-data missing or broken
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
        return f"none: lower-case words ({type(exc).__name__}: install spacy-lookups-data)"
    version = _lookups_version()
    return f"lookup (spacy-lookups-data {version})" if version else "lookup"


def _describe_lemmatizer(nlp: Any) -> str:
    for name in ("lemmatizer", "trainable_lemmatizer"):
        if name in nlp.pipe_names:
            pipe = nlp.get_pipe(name)
            mode = getattr(pipe, "mode", None)
            if mode:
                return f"{mode} ({name})"
            return f"trainable ({name})"
    return ""


def _load() -> tuple[Any, PipelineInfo]:
    import spacy
    import spacy.util

    from workbench.errors import WorkbenchError

    if spacy.util.is_package(MODEL_PACKAGE):
        nlp = spacy.load(MODEL_PACKAGE)
        kind, name = "model", MODEL_PACKAGE
    elif os.environ.get(ENV_MODEL):
        folder = os.environ[ENV_MODEL]
        if not os.path.isdir(folder):
            raise WorkbenchError(f"{ENV_MODEL} names a folder that does not exist", path=folder)
        try:
            nlp = spacy.load(folder)
        except Exception as exc:  # noqa: BLE001 - any unreadable model folder
            raise WorkbenchError(
                f"{ENV_MODEL} names a folder that is not a spaCy pipeline ({exc})", path=folder
            ) from exc
        kind, name = "folder", folder
    else:
        nlp = spacy.blank("nl")
        kind, name = "rule-based", "blank nl"
    _ensure_segmentation(nlp)
    lemmatizer = _describe_lemmatizer(nlp)
    if not lemmatizer:
        lemmatizer = _add_lookup_lemmatizer(nlp)
    if kind == "rule-based":
        version = spacy.__version__
    else:
        meta_name = str(nlp.meta.get("name", "") or "")
        version = str(nlp.meta.get("version", "") or "")
        if kind == "folder" and meta_name:
            version = f"{nlp.meta.get('lang', '')}_{meta_name} {version}".strip()
    names = list(nlp.pipe_names)
    info = PipelineInfo(
        name=name,
        kind=kind,
        version=version,
        spacy_version=spacy.__version__,
        components=names,
        lemmatizer=lemmatizer,
        has_ner="ner" in names,
        has_pos=bool({"tagger", "morphologizer"} & set(names)),
        notice=FALLBACK_NOTICE if kind == "rule-based" else None,
    )
    return nlp, info


def get_pipeline() -> tuple[Any, PipelineInfo]:
    """The process-wide pipeline (loaded on first call, thread-safe)."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load()
        return _loaded


def has_ner() -> bool:
    """Whether the pipeline finds named entities, without loading spaCy when it cannot: the
    rule-based fallback (no model installed, no ``WORKBENCH_SPACY_MODEL``) has no ``ner``.
    A model that is there is loaded to find out."""
    if _loaded is not None:
        return _loaded[1].has_ner
    import importlib.util

    if importlib.util.find_spec(MODEL_PACKAGE) is None and not os.environ.get(ENV_MODEL):
        return False
    return get_pipeline()[1].has_ner


def is_loaded() -> bool:
    """True once the pipeline is in memory (a UI can show 'loading the language model')."""
    return _loaded is not None


def load_in_background() -> threading.Thread:
    """Start loading the pipeline in a daemon thread (errors surface on the next use)."""

    def run() -> None:
        with contextlib.suppress(Exception):
            get_pipeline()

    thread = threading.Thread(target=run, name="nlp-load", daemon=True)
    thread.start()
    return thread


def reset_pipeline() -> None:
    """Forget the loaded pipeline (tests switch ``WORKBENCH_SPACY_MODEL``)."""
    global _loaded
    with _lock:
        _loaded = None


def segmenting_components(nlp: Any) -> list[str]:
    """Components to disable when only sentences and lemmas are needed."""
    has_sent = bool({"senter", "sentencizer"} & set(nlp.pipe_names))
    disable = [n for n in nlp.pipe_names if n not in SEGMENTING_KEEP]
    if has_sent and "parser" in nlp.pipe_names:
        disable.append("parser")
    return disable


@contextlib.contextmanager
def using_pipeline(disable: Iterable[str] = ()) -> Iterator[Any]:
    """The pipeline, held for this thread, with ``disable`` switched off.

    No ``memory_zone`` here on purpose: a zone throws away the tokenizer's cache when it ends,
    which made every import re-tokenise from scratch at half the speed. The string store and
    the cache grow with the vocabulary only (bounded); callers never keep a ``Doc``.
    """
    nlp, _info = get_pipeline()
    with _use_lock:
        disable = [d for d in disable if d in nlp.pipe_names]
        with nlp.select_pipes(disable=disable):
            yield nlp


def token_lemma(token: Any) -> str:
    """The lower-case lemma of a token as the pipeline gives it to be stored (never empty, no
    spaces, so that stored lemmas line up one to one with the words)."""
    from workbench.nlp.lemma_table import clean_lemma

    return clean_lemma(token.lemma_, token.text)


def is_word(token: Any) -> bool:
    return not (token.is_punct or token.is_space)


def lemmatize(text: str) -> list[str]:
    """The lemmas of the words in ``text`` (query side of lemma search)."""
    nlp, _info = get_pipeline()
    with using_pipeline(segmenting_components(nlp)) as nlp:
        doc = nlp(text)
        return [token_lemma(t) for t in doc if is_word(t)]


def word_spans(texts: Iterable[str]) -> list[list[tuple[int, int]]]:
    """Character spans of the words of each text, as the pipeline's tokenizer splits them
    (the same words, in the same order, as the lemmas stored for a sentence)."""
    out: list[list[tuple[int, int]]] = []
    with using_pipeline() as nlp:
        for doc in nlp.tokenizer.pipe(list(texts)):
            out.append([(t.idx, t.idx + len(t.text)) for t in doc if is_word(t)])
    return out


def entities(texts: Iterable[str]) -> list[list[tuple[int, int, str]]]:
    """The model's named entities ``(start, end, label)`` for each text; empty lists when the
    pipeline has no ``ner`` (the rule-based pipeline never has)."""
    texts = list(texts)
    nlp, info = get_pipeline()
    if not info.has_ner:
        return [[] for _ in texts]
    keep = {"ner", "tok2vec", "transformer"}
    with using_pipeline([n for n in nlp.pipe_names if n not in keep]) as nlp:
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=64)
        ]


def describe() -> dict[str, Any]:
    """What ``workbench doctor`` reports about the language pipeline (loads it)."""
    _nlp, info = get_pipeline()
    return info.as_dict()
