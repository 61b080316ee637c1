"""Choosing and loading the spaCy pipeline, once per process, on first use.

Order: the ``nl_core_news_sm`` package when installed; else the folder named by
``WORKBENCH_SPACY_MODEL``; else spaCy's rule-based Dutch pipeline (blank ``nl``, sentencizer,
lookup lemmatizer from ``spacy-lookups-data``), with one notice of what the model would add.
Nothing is ever downloaded.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

MODEL_PACKAGE = "nl_core_news_sm"
ENV_MODEL = "WORKBENCH_SPACY_MODEL"
INSTALL_HINT = f"python -m spacy download {MODEL_PACKAGE}"
FALLBACK_NOTICE = (
    f"The Dutch model {MODEL_PACKAGE} is not installed, so the workbench uses spaCy's rule-based "
    "Dutch pipeline (sentencizer and lookup lemmas). The model adds part-of-speech tags, better "
    "lemmas and named entities for the anonymity audit. Install it with: " + INSTALL_HINT
)


@dataclass
class PipelineInfo:
    name: str
    kind: str  # "model", "folder" or "rule-based"
    version: str
    spacy_version: str
    components: list[str] = field(default_factory=list)
    lemmatizer: str = ""
    has_ner: bool = False
    notice: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identifies the pipeline in the database; a change means re-processing is due."""
        return f"{self.kind}:{self.name}:{self.version}"


_lock = threading.Lock()
_loaded: tuple[Any, PipelineInfo] | None = None


def _ensure_segmentation(nlp: Any) -> None:
    names = nlp.pipe_names
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif not ({"parser", "senter", "sentencizer"} & set(names)):
        nlp.add_pipe("sentencizer", first=True)


def _add_lookup_lemmatizer(nlp: Any) -> None:
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()


def _load() -> tuple[Any, PipelineInfo]:
    import spacy
    import spacy.util

    if spacy.util.is_package(MODEL_PACKAGE):
        nlp = spacy.load(MODEL_PACKAGE)
        kind, name = "model", MODEL_PACKAGE
    elif os.environ.get(ENV_MODEL):
        folder = os.environ[ENV_MODEL]
        if not os.path.isdir(folder):
            from workbench.errors import WorkbenchError

            raise WorkbenchError(f"{ENV_MODEL} names a folder that does not exist", path=folder)
        nlp = spacy.load(folder)
        kind, name = "folder", folder
    else:
        nlp = spacy.blank("nl")
        kind, name = "rule-based", "blank nl"
    _ensure_segmentation(nlp)
    if "lemmatizer" not in nlp.pipe_names:
        _add_lookup_lemmatizer(nlp)
        lemmatizer = "lookup (spacy-lookups-data)"
    else:
        mode = getattr(nlp.get_pipe("lemmatizer"), "mode", "trainable")
        lemmatizer = f"{mode}"
    info = PipelineInfo(
        name=name,
        kind=kind,
        version=str(nlp.meta.get("version", "")) if kind != "rule-based" else spacy.__version__,
        spacy_version=spacy.__version__,
        components=list(nlp.pipe_names),
        lemmatizer=lemmatizer,
        has_ner="ner" in nlp.pipe_names,
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


def reset_pipeline() -> None:
    """Forget the loaded pipeline (tests switch ``WORKBENCH_SPACY_MODEL``)."""
    global _loaded
    with _lock:
        _loaded = None


def segmenting_components(nlp: Any) -> list[str]:
    """Components to disable when only sentences and lemmas are needed."""
    keep = {"sentencizer", "senter", "parser", "lemmatizer", "tok2vec", "morphologizer",
            "tagger", "attribute_ruler"}
    has_sent = bool({"senter", "sentencizer"} & set(nlp.pipe_names))
    disable = [n for n in nlp.pipe_names if n not in keep]
    if has_sent and "parser" in nlp.pipe_names:
        disable.append("parser")
    return disable
