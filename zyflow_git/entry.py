"""The entry (``bin/zyflow-git``, ``git-zyflow``, ``python -m zyflow_git``): the merge driver,
the hooks and plain ``tasks`` start without importing click or anything heavy."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, NoReturn


def _fast(args: list[str]) -> Callable[[], int] | None:
    """The runner of ``merge-driver``, ``hook`` and plain ``tasks [--json]`` (they run inside
    other people's git commands, or are what scripts and agents run most, and click alone
    costs ~40 ms to import); None for everything else."""
    if args[:1] == ["merge-driver"]:
        def driver() -> int:
            from .mergedriver import driver_main

            return driver_main(args[1:])

        return driver
    if args[:1] == ["hook"] and len(args) > 1 and args[1] not in ("-h", "--help"):
        def hook() -> int:
            from .hookrun import run_hook

            return run_hook(args[1], args[2:])

        return hook
    if args in (["tasks"], ["tasks", "--json"]):
        def tasks() -> int:
            from .tasks_report import plain_tasks

            return plain_tasks(as_json=len(args) == 2)

        return tasks
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command: the fast ones directly, everything else via click."""
    args = sys.argv[1:] if argv is None else argv
    from .patterncache import install

    install()  # patterns from compiled code kept beside the package: no `re` to import
    fast = _fast(args)
    if fast is not None:
        # Short runs that build many small objects and hold no cycles worth collecting: the
        # collector's passes over the live units are ~10% of a whole 2,000-task merge.
        import gc

        gc.disable()
        return fast()
    from .cli import run

    return run(args)


def script() -> NoReturn:
    """The process of ``zyflow-git``: ``main``, and after one of the fast commands an
    immediate end (``os._exit``, once stdout and stderr are flushed). Tearing down the
    interpreter (module by module) took ~15 ms of a hook here, and a hook's store connection,
    left open, is not checkpointed on the way out (two fsyncs inside the user's git command;
    the next command that closes the store does it). The other commands end normally: a
    server's threads and atexit handlers get their due."""
    args = sys.argv[1:]
    code = main(args)
    if _fast(args) is None:
        sys.exit(code)
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a reader that went away (tasks | head): nothing more to say to it
    os._exit(code)


if __name__ == "__main__":
    script()
