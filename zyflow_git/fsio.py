"""File IO that never leaves a half-written file: atomic writes, reads with one-line errors."""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path

from .errors import BadInput


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file, turning OS errors into a one-line ``BadInput``."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a directory") from None
    except OSError as err:
        raise BadInput(f"{path}: cannot read: {err.strerror}") from None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and rename it into place (keeps the mode)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".zyflow-tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def log_exception(err: BaseException, log_dir: str | os.PathLike[str] | None = None) -> str | None:
    """Append the traceback to ``<git dir>/zyflow/error.log``; return its path, or None."""
    try:
        if log_dir is None:
            from .gitcli import git_path

            log_dir = git_path("zyflow")
        directory = Path(log_dir)
        directory.mkdir(parents=True, exist_ok=True)
        log = directory / "error.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(type(err), err, err.__traceback__)) + "\n")
        return str(log)
    except Exception:  # noqa: BLE001 - logging must never raise
        return None
