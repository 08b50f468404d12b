"""What a hook shim runs: reconcile the store, never fail, never stall.

Imported without click. Errors go to ``<git dir>/zyflow/error.log``; the exit code is always 0.
"""

from __future__ import annotations

import os


def run_hook(name: str, args: list[str]) -> int:
    """Sync the state store for hook ``name``; exits 0 whatever happens."""
    try:
        if name == "prepare-commit-msg":
            from .trailers import add_trailers

            if args:
                add_trailers(args[0], args[1] if len(args) > 1 else "", args[2] if len(args) > 2 else None)
            return 0
        from .reconcile import Repo, sync
        from .store import open_store

        repo = Repo()
        # Not closed here: the process ends right after (entry.script), and closing the last
        # connection checkpoints the WAL with two fsyncs inside the user's git command; the
        # next command that closes the store does it (the WAL's own limit bounds it meanwhile).
        sync(repo, open_store(repo.db_path))
    except BaseException as err:  # noqa: BLE001 - a hook fails open, but leaves a trace
        from .fsio import log_exception

        log_exception(err)
    finally:
        os.environ.pop("ZYFLOW_GIT_HOOK", None)
    return 0
