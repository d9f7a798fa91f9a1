"""Détente: reads geopolitical news and says what happened, whether it is getting worse,
and what it means for markets — with the sentences and numbers behind every answer.

Notebook use::

    import detente
    db = detente.open("news.duckdb")
    db.ingest("feeds/")
    db.articles("Kremlin")
"""

from . import errors
from .api import Detente, analyze, open

__version__ = "0.1.0"
__all__ = ["Detente", "__version__", "analyze", "errors", "open"]
