"""SQLite without the ``sqlite3`` package around it, for the hooks and everything they import.

``import sqlite3`` runs ``sqlite3.dbapi2``, which imports datetime and collections.abc for
date adapters and converters this project never uses (text timestamps, no ``detect_types``):
~6 M instructions of every hook here (``_sqlite3`` itself imports functools and collections,
for its statement cache). The C module it wraps, ``_sqlite3``, holds every
name used (``connect``, ``Connection``, ``Row``, the errors, ``complete_statement``); they are
the very objects ``sqlite3`` re-exports, so ``except sqlite3.Error`` elsewhere catches these.
A Python without ``_sqlite3`` gets the package. For mypy these are the package's names.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlite3 import *  # noqa: F403
else:
    try:
        from _sqlite3 import *  # noqa: F403
    except ImportError:  # pragma: no cover - CPython builds it with the sqlite3 package
        from sqlite3 import *  # noqa: F403
