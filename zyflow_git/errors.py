"""One error hierarchy, one exit code per class; printed once, as one line, at the boundary.

Exit codes: 0 ok, 1 conflicts left or a check failed, 2 usage or bad input,
3 internal error, 4 stale (someone else changed it first), 130 interrupted. Hooks always exit 0.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CONFLICTS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_STALE = 4
EXIT_INTERRUPTED = 130


class ZyflowError(Exception):
    """A problem the user can act on; ``str(err)`` says what and where (``path:line``)."""

    exit_code = EXIT_INTERNAL


class BadInput(ZyflowError):
    """A missing, unreadable or malformed file or argument."""

    exit_code = EXIT_BAD_INPUT


class NotARepository(BadInput):
    """The command needs a git repository and there is none here."""


class CheckFailed(ZyflowError):
    """A check (doctor, conflicts left by resolve) found problems."""

    exit_code = EXIT_CONFLICTS
