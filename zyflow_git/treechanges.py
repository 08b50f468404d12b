"""What each commit of a history walk changed, against each of its parents: one
``git diff-tree --stdin`` for the whole walk (a long walk reads its answers while it runs).

A tree diff per commit in-process (pygit2's ``diff_to_tree``) was a fifth of a backfill; git
compares the trees in C on the other core, limited to the task-file pathspecs.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

# (old path, old blob, new path, new blob): None for the side that does not exist.
Change = tuple["str | None", "str | None", "str | None", "str | None"]

# Not files: a submodule's commit, and a symlink (its blob is the target's name; the store's
# sync skips links too).
_NOT_A_FILE = (b"160000", b"120000")

# A walk of at most this many commits is short: diff-tree's answer is taken whole, and the
# audit reads the walk's blobs ahead with git cat-file instead of importing pygit2.
SHORT_WALK = 200


def tree_changes(cwd: str, commits: list[tuple[str, list[str]]], pathspecs: list[str]) -> Iterator[list[list[Change]]]:
    """For each ``(commit, parents)`` in order, the files under ``pathspecs`` it changed against
    each parent (one list for a commit without parents: against the empty tree), with git's
    rename detection (``-M``). Raises ``GitFailed`` when git does. A short walk takes git's
    whole answer at once (no subprocess module, no temporary file); a long one reads it while
    git runs."""
    feed = "".join("".join(f"{sha} {p}\n" for p in parents) or f"{sha}\n" for sha, parents in commits).encode()
    argv = ["diff-tree", "--stdin", "-r", "-z", "--root", "--always", "-M", "--", *pathspecs]
    if len(commits) <= SHORT_WALK:
        from .gitcli import git

        done = git(*argv, cwd=cwd, check=False, input=feed)
        yield from _in_step(commits, _groups([done.stdout]), lambda what: _said(what, done.returncode, done.stderr))
        return
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as errors:
        stdin.write(feed)
        stdin.seek(0)
        proc = subprocess.Popen(["git", "-C", cwd, *argv], stdin=stdin, stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdout is not None
        out = proc.stdout

        def failure(what: str) -> str:
            proc.wait()
            errors.seek(0)
            return _said(what, proc.returncode, errors.read())

        try:
            yield from _in_step(commits, _groups(iter(lambda: os.read(out.fileno(), 1 << 16), b"")), failure)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            out.close()


def _in_step(commits: list[tuple[str, list[str]]], groups: Iterator[tuple[str, list[Change]]],
             failure: Callable[[str], str]) -> Iterator[list[list[Change]]]:
    """Per commit, its answers (one per parent), checked to be in step with the input."""
    for sha, parents in commits:
        per_parent = []
        for _ in range(max(1, len(parents))):
            header, changes = next(groups, (None, []))
            if header != sha:
                said = f"answered {header}" if header else "gave no answer"
                raise GitFailed(failure(f"git diff-tree {said} for {sha}"))
            per_parent.append(changes)
        yield per_parent


class GitFailed(RuntimeError):
    """git diff-tree failed or answered out of step."""


def _said(what: str, code: int | None, stderr: bytes) -> str:
    """``what`` went wrong, with git's exit code and the last line it wrote to stderr."""
    said = stderr.decode("utf-8", "replace").strip().splitlines()
    return f"{what} (exit {code}{': ' + said[-1] if said else ''})"


def _groups(blocks: Iterable[bytes]) -> Iterator[tuple[str, list[Change]]]:
    """(commit, changes) per input line of diff-tree's -z output: a header (the commit), then
    ``:modes blobs status`` records, each followed by one path (two for a rename)."""
    header: str | None = None
    changes: list[Change] = []
    want_paths = 0
    record: list[bytes] = []
    paths: list[str] = []
    rest = b""
    for block in blocks:
        tokens = (rest + block).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if want_paths:
                paths.append(token.decode("utf-8", "surrogateescape"))
                want_paths -= 1
                if not want_paths:
                    change = _change(record, paths)
                    if change is not None:
                        changes.append(change)
            elif token.startswith(b":"):
                record = token[1:].split(b" ")
                paths = []
                want_paths = 2 if record[4][:1] in (b"R", b"C") else 1
            elif token:
                if header is not None:
                    yield header, changes
                header, changes = token.decode("ascii"), []
    if header is not None:
        yield header, changes


def _change(record: list[bytes], paths: list[str]) -> Change | None:
    """One record as a Change; a side that is a submodule or a symlink counts as absent."""
    old_mode, new_mode, old_blob, new_blob, status = record
    kind = status[:1]
    old = (paths[0], old_blob.decode("ascii")) if kind != b"A" and old_mode not in _NOT_A_FILE else (None, None)
    new = (paths[-1], new_blob.decode("ascii")) if kind != b"D" and new_mode not in _NOT_A_FILE else (None, None)
    return (old[0], old[1], new[0], new[1]) if old[0] is not None or new[0] is not None else None
