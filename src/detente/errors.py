"""Détente's exception hierarchy.

``DetenteError`` is the root. ``UserError`` subclasses are mistakes a user
can fix (a bad path, a bad option, a database that is not Détente's); the
CLI prints them as one line and exits 1. Anything else is an internal error
(exit 2).
"""


class DetenteError(Exception):
    """Base of every error Détente raises on purpose."""


class UserError(DetenteError):
    """A mistake in what the user asked for; the message says how to fix it."""


class InputNotFound(UserError):
    """A path or URL to ingest does not exist or cannot be reached."""


class UnknownFormat(UserError):
    """The input format is unknown or could not be detected."""


class BadOption(UserError):
    """A command-line or API option has a value Détente cannot use."""


class StoreError(DetenteError):
    """The store could not be opened, migrated or written."""


class DatabaseNotFound(StoreError, UserError):
    """The database to read does not exist or is not a Détente database."""


class StoreLocked(StoreError, UserError):
    """Another process holds the database open for writing."""


class SchemaTooNew(StoreError, UserError):
    """The database was written by a newer Détente than this one."""


class FetchError(DetenteError):
    """A URL could not be fetched within the limits (timeout, size, scheme)."""


class AddressRefused(FetchError):
    """A URL's host is or resolves to a private, loopback or link-local address not allow-listed (SSRF)."""


class NotFound(UserError):
    """A record the user named (a storyline, an event) is not in the database."""


class NotEnoughData(UserError):
    """The data cannot support what was asked: no dated articles, one day only, nothing geopolitical."""


class PriceFileError(UserError):
    """A price file cannot become a series: no date or price column, too few rows, dates that cannot be read."""


class AmbiguousDates(PriceFileError):
    """A price file's dates read both day-first and month-first; ``--date-format`` must say which."""
