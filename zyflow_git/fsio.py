"""File IO that never leaves a half-written file: atomic writes, reads with one-line errors.

Imported by the merge driver, so it avoids ``tempfile`` and ``pathlib`` (~15 ms to import).
"""

from __future__ import annotations

import os
from itertools import count

from .errors import BadInput

_serial = count()


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file, turning OS errors into a one-line ``BadInput``."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise BadInput(f"{os.fspath(path)}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{os.fspath(path)}: is a directory") from None
    except OSError as err:
        raise BadInput(f"{os.fspath(path)}: cannot read: {err.strerror}") from None


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes, never through a symbolic link, a FIFO
    or a device: what a cloned repository names must not make us read /dev/zero or a secret."""
    import stat

    name = os.fspath(path)
    try:
        st = os.lstat(name)
    except FileNotFoundError:
        raise BadInput(f"{name}: no such file") from None
    except OSError as err:
        raise BadInput(f"{name}: cannot read: {err.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        raise BadInput(f"{name}: is a symbolic link; zyflow-git does not follow it (make it a regular file)")
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(f"{name}: not a regular file")
    if st.st_size > limit:
        raise BadInput(f"{name}: larger than {limit:,} bytes")
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        raise BadInput(f"{name}: cannot read: {err.strerror}") from None
    if len(data) > limit:
        raise BadInput(f"{name}: larger than {limit:,} bytes")
    return data


def write_atomic(path: str | os.PathLike[str], data: bytes, durable: bool = True) -> None:
    """Write ``data`` to a new file beside ``path`` and rename it into place (keeps the mode).

    A reader sees the old content or the new, never a part; a crash leaves at most a
    ``.*.zyflow-tmp`` file beside it, never a truncated target. ``durable``: the data reaches
    the disk before the rename (else a power cut could leave an empty file in its place).
    """
    target = os.fspath(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_serial)}.zyflow-tmp")
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file the user named as output the way they mean it: through a link (its
    target changes, the link stays), in place for what is not a regular file (a FIFO, a
    device: renaming over it would replace the node), atomically otherwise."""
    import stat

    name = os.path.realpath(os.fspath(path))
    try:
        st = os.stat(name)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise BadInput(f"{os.fspath(path)}: cannot write: {err.strerror}") from None
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise BadInput(f"{os.fspath(path)}: is a directory")
            with open(name, "wb") as fh:
                fh.write(data)
            return
        write_atomic(name, data)
    except FileNotFoundError:
        raise BadInput(f"{os.fspath(path)}: no such folder") from None
    except PermissionError as err:
        raise BadInput(f"{os.fspath(path)}: cannot write: {err.strerror}") from None


def log_exception(err: BaseException, log_dir: str | os.PathLike[str] | None = None) -> str | None:
    """Append the traceback to ``<git dir>/zyflow/error.log``; return its path, or None."""
    try:
        import traceback

        if log_dir is None:
            from .gitcli import git_path

            log_dir = git_path("zyflow")
        os.makedirs(log_dir, exist_ok=True)
        log = os.path.join(log_dir, "error.log")
        with open(log, "a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(type(err), err, err.__traceback__)) + "\n")
        return log
    except Exception:  # noqa: BLE001 - logging must never raise
        return None
