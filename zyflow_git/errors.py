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
    """A problem the user can act on; ``str(err)`` says what and where (``path:line``).
    ``code`` names the kind for machines (the MCP server's error codes)."""

    exit_code = EXIT_INTERNAL
    code = "internal"


class BadInput(ZyflowError):
    """A missing, unreadable or malformed file or argument."""

    exit_code = EXIT_BAD_INPUT
    code = "bad_input"


class NotFound(BadInput):
    """A selector that names no task (or a file that holds none)."""

    code = "not_found"


class Ambiguous(BadInput):
    """A selector that names more than one task; ``candidates`` are their ids."""

    code = "ambiguous"

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class StaleVersion(ZyflowError):
    """The task moved on since the version the writer expected (exit 4)."""

    exit_code = EXIT_STALE
    code = "version_conflict"

    def __init__(self, message: str, current: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.holder = holder


class Held(StaleVersion):
    """Someone else holds the task (exit 4): a claim or a release by another name."""

    code = "claimed"


class ConflictedFile(ZyflowError):
    """The task file holds conflict markers or is being merged: no write until it is resolved."""

    exit_code = EXIT_CONFLICTS
    code = "conflicted_file"


class NotARepository(BadInput):
    """The command needs a git repository and there is none here."""


class CheckFailed(ZyflowError):
    """A check (doctor, conflicts left by resolve) found problems."""

    exit_code = EXIT_CONFLICTS
