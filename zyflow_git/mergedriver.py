"""git's merge-driver entry (%O %A %B %L %P): read, merge by task, verify, fall back, write.

Runs inside other people's git commands, so it imports neither click nor pygit2 nor sqlite,
writes %A atomically on every path, and never raises: whatever the structured merge cannot
vouch for goes to ``git merge-file`` with a one-line note on stderr.
"""

from __future__ import annotations

import os
import sys

from .core.conflicts import Markers, marker_line
from .core.record import Record
from .errors import BadInput
from .limits import SIZE_LIMIT

USAGE = "usage: zyflow-git merge-driver BASE OURS THEIRS [MARKER_SIZE] [PATH] [BASE_LABEL OURS_LABEL THEIRS_LABEL]"


NOTES_SHOWN = 5  # relabelled tasks named one by one on stderr; the rest are counted


class Outcome(Record):
    """What a merge produced: bytes, conflict regions, whether by task, why not, and the
    tasks it relabelled (one note each)."""

    __slots__ = ("data", "conflicts", "structured", "note", "notes")
    data: bytes
    conflicts: int
    structured: bool
    note: str
    notes: tuple[str, ...]

    @classmethod
    def _defaults(cls) -> dict[str, object]:
        return {"notes": ()}

    def messages(self, path: str) -> list[str]:
        """The lines to show on stderr about this merge of ``path``."""
        out = [f"zyflow-git: {path}: {note}" for note in self.notes[:NOTES_SHOWN]]
        if len(self.notes) > NOTES_SHOWN:
            out.append(f"zyflow-git: {path}: and {len(self.notes) - NOTES_SHOWN} more tasks relabelled")
        if self.note:
            out.append(f"zyflow-git: {path}: {self.note}; used git's line merge")
        if self.conflicts:
            out.append(f"zyflow-git: {path}: {self.conflicts} conflict(s) left")
        return out


def why_not_structured(base: bytes, ours: bytes, theirs: bytes, path: str, size: int, markers_kept: bool = False) -> str | None:
    """The reason these inputs must go to git's line merge, or None when they may be merged by task.

    ``markers_kept``: the inputs hold the same conflict regions on purpose (``resolve`` keeps
    the regions it has no base for), so markers are no reason to refuse.
    """
    for name, data in (("base", base), ("ours", ours), ("theirs", theirs)):
        if len(data) > SIZE_LIMIT:
            return f"{name} is larger than {SIZE_LIMIT // (1024 * 1024)} MiB"
        if b"\0" in data:
            return f"{name} is binary"
        # Both an opening and a closing marker line: a lone "=======" is a setext heading.
        if not markers_kept and marker_line(data, b"<" * size) and marker_line(data, b">" * size):
            return f"{name} already holds conflict markers"
    if not path.lower().endswith((".md", ".markdown", ".mdx", ".txt")):
        import re

        if not any(re.search(rb"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX~-]\]", d) for d in (base, ours, theirs)):
            return "not a Markdown task list"
    return None


def merge_three(base: bytes, ours: bytes, theirs: bytes, *, path: str, markers: Markers,
                files: tuple[str, str, str] | None = None, markers_kept: bool = False, top: str | None = None) -> Outcome:
    """Merge by task where that is safe, else (or where git does strictly better) by line.
    ``top``: the work tree whose ``.zyflow.toml`` rules apply to front matter (read only when
    a version has front matter)."""
    reason = why_not_structured(base, ours, theirs, path, markers.size, markers_kept)
    if reason is None:
        try:
            from .core.merge import MergeUnsafe, merge_bytes

            rules = None
            if top is not None and any(v.startswith((b"---\n", b"---\r\n", b"\xef\xbb\xbf---")) for v in (base, ours, theirs)):
                from .mergerules import load_rules

                rules = load_rules(top)
            result = merge_bytes(base, ours, theirs, markers, rules)
        except MergeUnsafe as err:
            reason = str(err)
        except BadInput as err:  # a bad .zyflow.toml must not stop a merge: git's line merge
            reason = str(err)
        except RecursionError:
            reason = "document nested too deeply"
        except Exception as err:  # noqa: BLE001 - never worse than git: fall back on any bug
            from .fsio import log_exception

            log_exception(err)
            reason = f"internal error {type(err).__name__}"
        else:
            if result.conflicts == 0:
                return Outcome(result.data, 0, True, "", result.notes)
            # Never worse than git: where git's line merge is clean, and ours is not, take git's.
            line_data, line_conflicts = line_merge(base, ours, theirs, markers, files)
            if line_conflicts == 0:
                return Outcome(line_data, 0, False, "git's line merge is clean where the task merge is not")
            return Outcome(result.data, result.conflicts, True, "", result.notes)
    data, conflicts = line_merge(base, ours, theirs, markers, files)
    return Outcome(data, conflicts, False, reason)


def line_merge(base: bytes, ours: bytes, theirs: bytes, markers: Markers, files: tuple[str, str, str] | None = None) -> tuple[bytes, int]:
    """git merge-file on the three versions (on the given files, or on temp copies).

    Where git refuses (binary files) the result is git's own: ours, as a conflict.
    """
    from .gitcli import LineMergeRefused

    try:
        return _line_merge(base, ours, theirs, markers, files)
    except (LineMergeRefused, OSError):  # git refused (binary), or is not on PATH: ours, as a conflict
        return ours, 1


def _line_merge(base: bytes, ours: bytes, theirs: bytes, markers: Markers, files: tuple[str, str, str] | None) -> tuple[bytes, int]:
    from .gitcli import merge_file

    labels = (markers.ours_label, markers.base_label, markers.theirs_label)
    if files is not None:
        return merge_file(files[1], files[0], files[2], marker_size=markers.size, style=markers.style, labels=labels)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="zyflow-merge-") as tmp:
        paths = []
        for name, data in (("base", base), ("ours", ours), ("theirs", theirs)):
            p = os.path.join(tmp, name)
            with open(p, "wb") as fh:
                fh.write(data)
            paths.append(p)
        return merge_file(paths[1], paths[0], paths[2], marker_size=markers.size, style=markers.style, labels=labels)


def driver_main(args: list[str]) -> int:
    """Exit 0 when clean, 1 when conflicts remain; %A always holds the result."""
    if len(args) < 3:
        print(f"zyflow-git: {USAGE}", file=sys.stderr)
        return 2
    base_p, ours_p, theirs_p = args[:3]
    try:
        size = int(args[3]) if len(args) > 3 and args[3] else 7
    except ValueError:
        size = 7
    path = args[4] if len(args) > 4 and args[4] else ours_p
    # git >= 2.44 passes %S %X %Y: the labels it would put on the markers itself
    names = ("ours", "base", "theirs") if len(args) < 8 or not all(args[5:8]) else (args[6], args[5], args[7])
    try:
        from .fsio import write_atomic

        with open(base_p, "rb") as fh:
            base = fh.read()
        with open(ours_p, "rb") as fh:
            ours = fh.read()
        with open(theirs_p, "rb") as fh:
            theirs = fh.read()
        files = (base_p, ours_p, theirs_p)
        outcome = merge_three(base, ours, theirs, path=path, markers=Markers(size, "merge", *names), files=files, top=".")
        if outcome.conflicts:
            # Only now ask git for merge.conflictStyle (a subprocess): clean merges never need it.
            from .gitcli import conflict_style

            style = conflict_style()
            if style != "merge":
                outcome = merge_three(base, ours, theirs, path=path, markers=Markers(size, style, *names), files=files, top=".")
        # %A is git's own temporary file, read back at once and deleted: a power cut loses the
        # merge in progress whatever is synced, so no fsync inside the user's git merge.
        write_atomic(ours_p, outcome.data, durable=False)
    except KeyboardInterrupt:
        print(f"zyflow-git: {path}: interrupted; {ours_p} left as it was", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - last resort: git's own merge, in place
        return _emergency(base_p, ours_p, theirs_p, size, path, err)
    for line in outcome.messages(path):
        print(line, file=sys.stderr)
    return 1 if outcome.conflicts else 0


def _emergency(base_p: str, ours_p: str, theirs_p: str, size: int, path: str, err: BaseException) -> int:
    import subprocess

    print(f"zyflow-git: {path}: {type(err).__name__}: {err}; used git's line merge", file=sys.stderr)
    try:
        proc = subprocess.run(
            ["git", "merge-file", f"--marker-size={size}", "-L", "ours", "-L", "base", "-L", "theirs", ours_p, base_p, theirs_p],
            check=False,
        )
    except OSError as missing:
        print(f"zyflow-git: {path}: cannot run git merge-file ({missing.strerror}); kept ours, as a conflict", file=sys.stderr)
        return 1
    return 0 if proc.returncode == 0 else 1
