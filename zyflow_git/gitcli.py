"""The few git subprocess calls: path resolution, config, and git's own line merge."""

from __future__ import annotations

import os

from .errors import NotARepository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class Finished:
    """A git process that ended: its exit code and captured output (CompletedProcess's fields)."""

    __slots__ = ("args", "returncode", "stdout", "stderr")

    def __init__(self, args: list[str], returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr


def git(*args: str, cwd: str | os.PathLike[str] | None = None, check: bool = True, input: bytes | None = None) -> Finished:
    """Run git with captured output (``subprocess.CalledProcessError`` when ``check`` and it fails).

    Spawned with os.posix_spawnp and read with poll, not through ``subprocess``: importing
    that (with signal, threading, selectors and locale) costs hooks and ``tasks`` ~5-10 ms
    at every start. ``cwd`` goes to git as ``-C``.
    """
    argv = ["git", *args] if cwd is None else ["git", "-C", os.fspath(cwd), *args]
    done = _spawn(argv, input)
    if check and done.returncode != 0:
        import subprocess

        raise subprocess.CalledProcessError(done.returncode, argv, done.stdout, done.stderr)
    return done


def _spawn(argv: list[str], data: bytes | None) -> Finished:
    """Run ``argv`` with ``data`` on its stdin (else /dev/null); both its outputs captured."""
    import select

    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    in_r, in_w = os.pipe() if data else (-1, -1)
    actions: list[tuple[object, ...]] = [(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
    actions.append((os.POSIX_SPAWN_DUP2, in_r, 0) if data else (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0))
    from _signal import SIGPIPE, SIGXFSZ  # Python ignores these; git gets the defaults, as subprocess gives them

    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions, setsigdef=(SIGPIPE, SIGXFSZ))
    finally:
        for fd in (out_w, err_w, in_r):
            if fd >= 0:
                os.close(fd)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    try:
        poller = select.poll()
        poller.register(out_r, select.POLLIN)
        poller.register(err_r, select.POLLIN)
        pending = memoryview(data) if data else None
        if pending is not None:
            os.set_blocking(in_w, False)
            poller.register(in_w, select.POLLOUT)
        reading = 2
        while reading or pending is not None:
            for fd, _ in poller.poll():
                if fd == in_w and pending is not None:
                    try:
                        pending = pending[os.write(in_w, pending[:65536]):]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        poller.unregister(in_w)
                        os.close(in_w)
                        pending, in_w = None, -1
                    continue
                block = os.read(fd, 65536)
                if block:
                    chunks[fd].append(block)
                else:
                    poller.unregister(fd)
                    reading -= 1
        _, status = os.waitpid(pid, 0)
    except BaseException:  # interrupted: no git left running behind us
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
        raise
    finally:
        for fd in (out_r, err_r, in_w):
            if fd >= 0:
                os.close(fd)
    return Finished(argv, os.waitstatus_to_exitcode(status), b"".join(chunks[out_r]), b"".join(chunks[err_r]))


def git_out(*args: str, cwd: str | os.PathLike[str] | None = None) -> str:
    """git's stdout as text, stripped; ``NotARepository`` when git fails."""
    proc = git(*args, cwd=cwd, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NotARepository(message[-1] if message else f"git {' '.join(args)} failed")
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def git_path(name: str, cwd: str | os.PathLike[str] | None = None) -> Path:
    """``git rev-parse --git-path NAME`` as an absolute path (honours worktrees, core.hooksPath)."""
    from pathlib import Path

    return Path(git_out("rev-parse", "--path-format=absolute", "--git-path", name, cwd=cwd))


def toplevel(cwd: str | os.PathLike[str] | None = None) -> Path:
    """The work tree's top folder."""
    from pathlib import Path

    return Path(git_out("rev-parse", "--show-toplevel", cwd=cwd))


def approxidate(value: str, cwd: str | os.PathLike[str] | None = None):  # type: ignore[no-untyped-def]
    """A date as git reads one (``2026-01-31``, ``yesterday``, ``2 weeks ago``, an ISO time),
    as an aware datetime; ``BadInput`` when git cannot read it either."""
    from datetime import datetime, timezone

    from .errors import BadInput

    try:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    import re

    # git's approxidate reads nearly anything (garbage as "now"): only its plain relative forms
    # are handed to it, so a typo is an error rather than an empty answer.
    words = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
    relative = rf"(?:yesterday|today|now|last (?:week|month|year)|{words}[ .](?:second|minute|hour|day|week|month|year)s?[ .]ago)"
    out = git("rev-parse", f"--since={value}", cwd=cwd, check=False).stdout.decode().strip()
    if not re.fullmatch(relative, value.strip().lower()) or not out.startswith("--max-age="):
        raise BadInput(f"{value!r}: not a date (use 2026-01-31, an ISO time, yesterday, or '2 weeks ago')")
    return datetime.fromtimestamp(int(out.split("=", 1)[1]), timezone.utc)


def commit_id(rev: str, cwd: str | os.PathLike[str] | None = None) -> str | None:
    """The commit ``rev`` names (a branch, tag, ref, ``HEAD^``...), or None when it names none."""
    proc = git("rev-parse", "-q", "--verify", f"{rev}^{{commit}}", cwd=cwd, check=False)
    return proc.stdout.decode().strip() or None if proc.returncode == 0 else None


def current_branch(cwd: str | os.PathLike[str] | None = None) -> str | None:
    """The checked-out branch's short name, or None on a detached HEAD."""
    out = git("symbolic-ref", "-q", "--short", "HEAD", cwd=cwd, check=False).stdout.decode("utf-8", "surrogateescape")
    return out.strip() or None


def config_get(key: str, cwd: str | os.PathLike[str] | None = None) -> str | None:
    """A git config value, or None when unset."""
    proc = git("config", "--get", key, cwd=cwd, check=False)
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def conflict_style(cwd: str | os.PathLike[str] | None = None) -> str:
    """``merge.conflictStyle``: merge, diff3 or zdiff3."""
    try:
        return (config_get("merge.conflictStyle", cwd) or "merge").lower()
    except OSError:  # no git on PATH (a GUI client's environment): git's default
        return "merge"


def _entries(output: bytes) -> list[tuple[list[str], str]]:
    """``-z`` output of ls-tree / ls-files -s: (the fields before the tab, path) per entry."""
    out = []
    for entry in output.split(b"\0"):
        if entry:
            meta, path = entry.split(b"\t", 1)
            out.append((meta.decode().split(), path.decode("utf-8", "surrogateescape")))
    return out


def tree_blobs(rev: str, cwd: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """path -> blob id of every file in ``rev``'s tree."""
    proc = git("ls-tree", "-r", "-z", "--full-tree", rev, cwd=cwd, check=False)
    if proc.returncode != 0:
        raise NotARepository(proc.stderr.decode("utf-8", "replace").strip() or f"cannot read the tree of {rev}")
    # Regular files only: a symlink's blob is its target's name, not a task list.
    return {path: meta[2] for meta, path in _entries(proc.stdout) if meta[1] == "blob" and meta[0] != "120000"}


def index_entries(*args: str, cwd: str | os.PathLike[str] | None = None) -> list[tuple[str, int, str]]:
    """(blob id, stage, path) of the index entries ``git ls-files -s`` lists (extra args: -u, paths)."""
    proc = git("ls-files", "-s", "-z", *args, cwd=cwd, check=False)
    if proc.returncode != 0:
        return []
    return [(meta[1], int(meta[2]), path) for meta, path in _entries(proc.stdout)]


def blob_sizes(shas: list[str], cwd: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """The size of each blob, through one ``git cat-file --batch-check`` (nothing is read)."""
    if not shas:
        return {}
    proc = git("cat-file", "--batch-check", cwd=cwd, check=False, input="".join(f"{s}\n" for s in shas).encode())
    out = {}
    for line in proc.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob":
            out[parts[0]] = int(parts[2])
    return out


def read_blobs(shas: list[str], cwd: str | os.PathLike[str] | None = None) -> dict[str, bytes]:
    """The contents of many blobs through one ``git cat-file --batch``; missing ones are left out."""
    if not shas:
        return {}
    proc = git("cat-file", "--batch", cwd=cwd, check=False, input="".join(f"{s}\n" for s in shas).encode())
    data, out, pos = proc.stdout, {}, 0
    for sha in shas:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        out[sha] = data[pos:pos + size]
        pos += size + 1
    return out


def merge_file(
    ours: str, base: str, theirs: str, *, marker_size: int = 7, style: str = "merge",
    labels: tuple[str, str, str] = ("ours", "base", "theirs"),
) -> tuple[bytes, int]:
    """git's own line merge of three files: (result bytes, number of conflicts)."""
    args = ["merge-file", "-p", f"--marker-size={marker_size}",
            "-L", labels[0], "-L", labels[1], "-L", labels[2]]
    if style in ("diff3", "zdiff3"):
        args.append(f"--{style}")
    proc = git(*args, ours, base, theirs, check=False)
    if proc.returncode < 0 or proc.returncode > 127:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LineMergeRefused(message[-1] if message else f"exit {proc.returncode}")
    return proc.stdout, proc.returncode


class LineMergeRefused(Exception):
    """git merge-file would not merge (binary files): git then keeps ours as a conflict."""
