"""The boundary every command runs inside, without click: an error the user can act on is
one line and its exit code, a closed pipe is exit 0, anything else is logged (exit 3)."""

from __future__ import annotations

import os
import sys

from .errors import EXIT_INTERNAL, EXIT_INTERRUPTED, ZyflowError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


def say(line: str) -> None:
    """One line on stderr, control characters shown as escapes."""
    from .console import printable

    sys.stderr.write(printable(line) + "\n")
    sys.stderr.flush()


def guarded(work: Callable[[], int]) -> int:
    """Run ``work`` and turn what it raises into one line and an exit code."""
    try:
        result = work()
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        quiet_stdout()
        return 0
    except ZyflowError as err:
        say(f"zyflow-git: {err}")
        return err.exit_code
    except KeyboardInterrupt:
        say("zyflow-git: interrupted")
        return EXIT_INTERRUPTED
    except Exception as err:  # noqa: BLE001 - the boundary: one line, details in the log
        from .fsio import log_exception

        where = log_exception(err)
        say(f"zyflow-git: internal error: {err!r}" + (f" (details in {where})" if where else ""))
        return EXIT_INTERNAL


def quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush is silent too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
