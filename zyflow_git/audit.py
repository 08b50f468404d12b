"""Git history as the event log: task events read from the commits that touched task files.

The walk goes oldest commit first (git rev-list), each task file version that git diff-tree
names diffed against its parent's with the identity matcher (``core.events``); blobs come from
git cat-file, read all at once in a short walk and while the walk goes in a long one
(``blobstream``). Task ids flow along that chain; a task added in history gets an id derived
from its path, text and commit. Events are cached in the state store keyed by commit; the
cache only saves time (delete it and the next run backfills), and commits a rewrite made
unreachable are simply not shown.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .core.events import TaskEvent, quick_events, resolutions, task_events
from .core.identity import carried_ids, normalize_title, task_ids
from .core.model import Document
from .core.parse import parse_text
from .core.text import decode
from .errors import BadInput
from .reconcile import MAX_TASK_FILE_BYTES, Repo, task_files
from .store import blob_ids, json_list, meta, rollback, section_json
from .stamps import commit_stamps, stamp_of
from .tasklist import display, task_records
from . import treechanges
from .treechanges import Change

if TYPE_CHECKING:
    from .blobstream import BlobReader

Progress = Callable[[int, int], None]
# A short walk (treechanges.SHORT_WALK) reads its blobs ahead through git cat-file, up to
# this many bytes of them, in two processes that are done before it starts.
PREFETCH_BYTES = 32 * 1024 * 1024


def _open_git(repo: Repo):  # type: ignore[no-untyped-def]
    import pygit2

    return pygit2.Repository(repo.root)


class Audit:
    """The event cache of one worktree's store, filled from history on demand."""

    def __init__(self, repo: Repo, conn: sqlite3.Connection) -> None:
        self.repo = repo
        self.conn = conn
        self._git: Any = None
        self._docs: dict[str, tuple[Document, tuple[str, ...], bool]] = {}  # blob -> (doc, lines, bom)
        self._written: dict[tuple[str, str], list[str]] = {}  # (path, blob) -> ids this walk recorded
        # What a walk records, written in one executemany each at its end (not a statement per
        # commit): blob_tasks and events rows (audit_commits: the walk's commits, in order).
        self._unsaved_ids: list[tuple[str, str, str]] = []
        self._none_stored = False  # blob_tasks was empty when the walk began: nothing to look up
        self._small_blobs: dict[str, bool] = {}  # blob -> within the size cap (a file's old version was its new one)
        self._read_ahead: dict[str, bytes] = {}  # blobs read before their parse (the size check's, a short walk's)
        self._keep_read = False  # a short walk read its blobs ahead: keep them to the end
        self._unsaved_events: list[tuple[Any, ...]] = []
        self._sections: dict[tuple[str, ...], str] = {}  # a section path -> its JSON (sections repeat)
        self._blobs: BlobReader | None = None  # the git cat-file of the walk under way
        self.shallow = _shallow_boundary(repo)  # commits a --depth clone cut the parents of

    @property
    def git(self) -> Any:
        """The repository through pygit2, opened at first use (importing pygit2 costs ~150 ms):
        only for a commit whose stamp git log could not give (``_stamp``); everything else
        reads history through git."""
        if self._git is None:
            self._git = _open_git(self.repo)
        return self._git

    # -- history walk ---------------------------------------------------------------------
    def _doc(self, blob: str | None) -> Document | None:
        """A blob, parsed. Recent ones are kept: a file's next version is diffed against the one
        the walk just parsed, so a bounded cache hits almost always (evicting the oldest)."""
        if blob is None:
            return None
        entry = self._docs.get(blob)
        if entry is None:
            text = decode(self._data(blob))
            entry = self._remember(blob, parse_text(text), text.lines, text.bom)
        return entry[0]

    def parsed(self) -> dict[str, Document]:
        """The file versions this audit parsed and still holds (the last 3,000-4,096), by blob:
        equal to parsing them (the quick path is held to the parse by tests)."""
        return {blob: entry[0] for blob, entry in self._docs.items()}

    def _data(self, blob: str) -> bytes:
        """A blob's bytes: read ahead (a short walk's, or the size check's), else read now."""
        data = self._read_ahead.get(blob) if self._keep_read else self._read_ahead.pop(blob, None)
        return data if data is not None else self._read(blob)

    def _read(self, blob: str) -> bytes:
        """A blob's bytes, through the git cat-file of the walk or reading under way (opened
        at first need, ended by ``_end_reading``; a long walk names its blobs ahead)."""
        return self._reader().read(blob)

    def _reader(self) -> BlobReader:
        if self._blobs is None:
            from .blobstream import BlobReader

            self._blobs = BlobReader(self.repo.root)
        return self._blobs

    def _end_reading(self) -> None:
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None

    def _asking_ahead(self, changes: Iterable[list[list[Change]]], window: int = 64) -> Iterator[list[list[Change]]]:
        """A long walk's changes, read ``window`` commits ahead: each one's task-file blobs are
        named to git as it is read, in the order the walk reads them (``_task_change``), so git
        finds them while the walk works on the commits before."""
        from collections import deque

        reader = self._reader()
        queue: deque[list[list[Change]]] = deque()
        for raw in changes:
            reader.want([blob for blob in self._task_blobs(raw) if blob not in self._small_blobs])
            queue.append(raw)
            if len(queue) > window:
                yield queue.popleft()
        yield from queue

    def _remember(self, blob: str, doc: Document, lines: tuple[str, ...], bom: bool) -> tuple[Document, tuple[str, ...], bool]:
        if len(self._docs) >= 4096:
            for old in list(self._docs)[:1024]:  # dicts keep insertion order
                del self._docs[old]
        entry = self._docs[blob] = (doc, lines, bom)
        return entry

    def _versions(self, old_blob: str | None, new_blob: str | None) -> tuple[Document | None, Document | None, tuple[list[TaskEvent], dict[int, int]] | None]:
        """Both versions parsed, and their events when the quick path can vouch for them (a
        commit that only checks, unchecks or relabels tasks: no parse, no matching)."""
        old_entry = self._docs.get(old_blob) if old_blob else None
        if old_entry is not None and new_blob is not None and new_blob not in self._docs:
            text = decode(self._data(new_blob))
            if text.bom == old_entry[2]:
                quick = quick_events(old_entry[0], old_entry[1], text.lines)
                if quick is not None:
                    self._remember(new_blob, quick[0], text.lines, text.bom)
                    return old_entry[0], quick[0], (quick[1], quick[2])
            self._remember(new_blob, parse_text(text), text.lines, text.bom)
        return self._doc(old_blob), self._doc(new_blob), None

    def _ids(self, path: str, blob: str | None) -> list[str] | None:
        """The ids of a file version's tasks, as recorded (this walk's own are kept at hand:
        the next commit of the file asks for them right away)."""
        known = self._written.get((path, blob)) if blob is not None else None
        if known is not None or self._none_stored:
            return known
        return blob_ids(self.conn, path, blob)

    def _pending(self, tips: list[str]) -> list[tuple[str, list[str]]]:
        """(commit, parents) of the commits reachable from ``tips`` not processed yet, oldest
        first: ``git rev-list --reverse --topo-order`` (the order of pygit2's topological walk,
        which a test holds it to: ids flow along it), without the known tips' history."""
        from .gitcli import git

        known = json.loads(meta(self.conn, "audit_tips") or "[]")
        feed = "".join(f"{tip}\n" for tip in tips) + "".join(f"^{tip}\n" for tip in known)
        # --ignore-missing: a known tip git has forgotten (gc after a rewrite) hides nothing.
        out = git("rev-list", "--reverse", "--topo-order", "--parents", "--ignore-missing", "--stdin",
                  cwd=self.repo.root, input=feed.encode()).stdout.decode("ascii")
        candidates = [(words[0], words[1:]) for words in map(str.split, out.splitlines()) if words]
        if not known or not candidates:
            return candidates
        # Hidden tips cover what was processed; ask only about what the walk still found (a
        # tip list trimmed to 64 could let old commits through), not the whole cache.
        done: set[str] = set()
        ids = [sha for sha, _ in candidates]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            done.update(r[0] for r in self.conn.execute(f"SELECT commit_id FROM audit_commits WHERE commit_id IN ({marks})", chunk))
        return [c for c in candidates if c[0] not in done]

    def _stamps(self, shas: list[str]) -> dict[str, tuple[str, ...]]:
        """What an event says of each commit (``stamps.commit_stamps``: one git log)."""
        return commit_stamps(self.repo.root, shas)

    def _stamp(self, sha: str) -> tuple[str, ...]:
        """One commit's stamp read through pygit2 (what ``_stamps`` could not read)."""
        commit = self.git[sha]
        return stamp_of(commit.author.name, commit.author.email, commit.author.time, commit.author.offset, commit.message)

    def _task_blobs(self, per_parent: list[list[Change]]) -> Iterator[str]:
        """The blobs one commit's changes name on their task-file sides, in the order the walk
        reads them (``_task_change``: old side, then new)."""
        wanted = self.repo.is_task_file
        for against in per_parent:
            for old_path, old_blob, new_path, new_blob in against:
                if old_path is not None and old_blob is not None and wanted(old_path):
                    yield old_blob
                if new_path is not None and new_blob is not None and wanted(new_path):
                    yield new_blob

    def _prefetch(self, changes: list[list[list[Change]]]) -> None:
        """For a short walk: every blob its task files' changes name, sizes and bytes, from two
        git cat-file processes that are done before it starts; left to ``_read`` when they come
        to more than ``PREFETCH_BYTES``."""
        from .gitcli import blob_sizes, read_blobs

        blobs = sorted({blob for per_parent in changes for blob in self._task_blobs(per_parent)})
        sizes = blob_sizes(blobs, self.repo.root)
        for blob, size in sizes.items():
            self._small_blobs[blob] = size <= MAX_TASK_FILE_BYTES
        small = [blob for blob in blobs if self._small_blobs.get(blob)]
        if sum(sizes[blob] for blob in small) <= PREFETCH_BYTES:
            self._read_ahead.update(read_blobs(small, self.repo.root))

    def backfill(self, tips: list[str] | None = None, progress: Progress | None = None) -> int:
        """Process every commit reachable from ``tips`` (default HEAD) not in the cache."""
        if tips is None:
            tips = [self.repo.head] if self.repo.head else []
        if not tips:
            return 0
        self._forget_if_reshaped()
        marks = ",".join("?" * len(tips))
        read = self.conn.execute(f"SELECT count(*) FROM audit_commits WHERE commit_id IN ({marks})", tips).fetchone()[0]
        if read == len(set(tips)):  # a walk records a commit with all its ancestors: nothing left
            return 0
        pending = self._pending(tips)
        if not pending:
            return 0
        ord_ = (self.conn.execute("SELECT max(ord) FROM audit_commits").fetchone()[0] or 0) + 1
        stamps = self._stamps([sha for sha, _ in pending])
        changes: Iterable[list[list[Change]]] = self._changes(pending)
        self._keep_read = len(pending) <= treechanges.SHORT_WALK
        if self._keep_read:
            changes = list(changes)
            self._prefetch(changes)
        else:
            changes = self._asking_ahead(changes)
        self.conn.execute("BEGIN IMMEDIATE")
        collecting = gc.isenabled()
        gc.disable()  # what the walk builds (parsed versions, ids, rows) holds no cycles: collections only traverse it
        try:
            self._none_stored = self.conn.execute("SELECT 1 FROM blob_tasks LIMIT 1").fetchone() is None
            for n, ((sha, _), raw) in enumerate(zip(pending, changes)):
                self._process(sha, stamps.get(sha) or self._stamp(sha), self._task_changes(raw))
                if not self._keep_read:
                    self._read_ahead.clear()
                if progress is not None:
                    progress(n + 1, len(pending))
            self.conn.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  self._unsaved_events)
            self.conn.executemany("INSERT OR REPLACE INTO blob_tasks VALUES (?, ?, ?)", self._unsaved_ids)
            self.conn.executemany("INSERT OR REPLACE INTO audit_commits VALUES (?, ?)",
                                  [(sha, ord_ + n) for n, (sha, _) in enumerate(pending)])
            known = json.loads(meta(self.conn, "audit_tips") or "[]")
            merged = list(dict.fromkeys([*tips, *known]))[:64]
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('audit_tips', ?)", (json.dumps(merged),))
            self.conn.execute("COMMIT")
        except BaseException:
            rollback(self.conn)
            self._written.clear()  # what the rolled-back walk recorded is not recorded
            raise
        finally:
            if collecting:
                gc.enable()
            self._unsaved_ids, self._unsaved_events, self._none_stored = [], [], False
            self._read_ahead.clear()
            self._keep_read = False
            self._end_reading()
        return len(pending)

    def _forget_if_reshaped(self) -> None:
        """The cache was read with other shallow boundaries (``git fetch --unshallow`` or
        ``--deepen`` gave commits their parents back): the events and ids it holds for and
        after those commits are not history's, so all of it is read again."""
        seen = json.dumps(sorted(self.shallow))
        before = meta(self.conn, "audit_shallow")
        if before == seen:
            return
        if before is not None or self.shallow:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for table in ("events", "audit_commits", "blob_tasks"):
                    self.conn.execute(f"DELETE FROM {table}")
                self._written.clear()
                self.conn.execute("DELETE FROM meta WHERE key = 'audit_tips'")
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('audit_shallow', ?)", (seen,))
                self.conn.execute("COMMIT")
            except BaseException:
                rollback(self.conn)
                raise

    def _changes(self, pending: list[tuple[str, list[str]]]) -> Iterator[list[list[Change]]]:
        """Per commit of ``pending``: the files under the task-file pathspecs it changed against
        each parent (against nothing at a root or a shallow clone's boundary), from one git
        diff-tree beside the walk (``_task_changes`` keeps the task-file sides)."""
        from .config import pathspecs
        from .treechanges import tree_changes

        commits = [(sha, [] if sha in self.shallow else parents) for sha, parents in pending]
        return tree_changes(self.repo.root, commits, pathspecs(self.repo.config.patterns))

    def _task_changes(self, per_parent: list[list[Change]]) -> list[list[Change]]:
        """Of one commit's changes against each parent, the task-file sides (``_task_change``)."""
        return [[kept for kept in map(self._task_change, changes) if kept is not None] for changes in per_parent]

    def _task_change(self, change: Change) -> Change | None:
        """The sides of a change that are task files (the patterns match; a file over the
        driver's cap is no task list here either, the store skips it too), or None."""
        old_path, old_blob, new_path, new_blob = change
        old = old_path is not None and old_blob is not None and self.repo.is_task_file(old_path) and self._small(old_blob)
        new = new_path is not None and new_blob is not None and self.repo.is_task_file(new_path) and self._small(new_blob)
        if not old and not new:
            return None
        return (old_path if old else None, old_blob if old else None, new_path if new else None, new_blob if new else None)

    def _small(self, blob: str) -> bool:
        """Within the size cap (asked once a blob). The blob is read whole to know (a version
        the walk has not seen is parsed right after, so that is one read, not two; a file over
        the cap is rare, and read once)."""
        small = self._small_blobs.get(blob)
        if small is None:
            data = self._read(blob)
            small = self._small_blobs[blob] = len(data) <= MAX_TASK_FILE_BYTES
            if small and blob not in self._docs:
                self._read_ahead[blob] = data
        return small

    def _process(self, sha: str, stamp: tuple[str, ...], changes: list[list[Change]]) -> None:
        """Record one commit: the events of its task-file ``changes`` (one list per parent)."""
        rows: list[tuple[Any, ...]] = []
        if sha in self.shallow:
            # A shallow clone's boundary: its parents are not here, so what it "adds" is only
            # what history before it built. Its tasks get ids; no events are invented.
            for _, _, new_path, new_blob in changes[0]:
                self._step(sha, None, None, new_path, new_blob)
        elif len(changes) == 1:
            for old_path, old_blob, new_path, new_blob in changes[0]:
                evs, ids_new, ids_old = self._step(sha, old_path, old_blob, new_path, new_blob)
                rows += self._rows(evs, ids_new, ids_old, new_path or old_path, stamp)  # type: ignore[arg-type]
        else:
            rows = self._merge(changes, sha, stamp)
        self._unsaved_events += [(sha, seq, *row) for seq, row in enumerate(rows)]

    def _step(self, sha: str, old_path: str | None, old_blob: str | None, new_path: str | None,
              new_blob: str | None, other: tuple[str | None, str | None] | None = None) -> tuple[list[TaskEvent], list[str], list[str]]:
        """Events of one file version, and the ids of its tasks (recorded for later commits)."""
        old_doc, new_doc, quick = self._versions(old_blob, new_blob)
        evs, mapping = quick if quick is not None and other is None else task_events(old_doc, new_doc)
        old_ids = self._ids(old_path, old_blob) if old_path else None  # type: ignore[arg-type]
        if old_ids is None and old_doc is not None:
            old_ids = self._fresh_ids(old_path or "", old_doc)
        ids_new: list[str] = []
        if new_doc is not None and new_path is not None:
            known = self._ids(new_path, new_blob)
            count = new_doc.task_count()
            if known is not None and len(known) == count:
                ids_new = known
            else:
                carried: list[str | None] = carried_ids(mapping, old_ids, count) if old_ids else [None] * count
                if other is not None:  # a merge: tasks matched only in the second parent keep its ids
                    o_path, o_blob = other
                    o_ids = self._ids(o_path, o_blob) if o_path else None
                    if o_ids:
                        _, m2 = task_events(self._doc(o_blob), new_doc)
                        taken = {c for c in carried if c}
                        carried = [c or (o_ids[m2[k]] if k in m2 and o_ids[m2[k]] not in taken else None)
                                   for k, c in enumerate(carried)]
                ids_new = self._fresh_ids(new_path, new_doc, carried)
                if new_blob is not None:  # (a parsed version always has its blob)
                    self._unsaved_ids.append((new_path, new_blob, json_list(ids_new)))
                    self._written[(new_path, new_blob)] = ids_new
        return evs, ids_new, old_ids or []

    @staticmethod
    def _fresh_ids(path: str, doc: Document, carried: list[str | None] | None = None) -> list[str]:
        """Ids for a version's tasks: carried ones kept, the others fresh (``identity.task_ids``)."""
        if carried and None not in carried:  # every task matched its predecessor (the usual commit)
            return carried  # type: ignore[return-value]
        carried = carried or [None] * len(doc.tasks)
        # Only a task that gets a fresh id needs its identity text (a carried id is kept as is).
        keys = [normalize_title(t.title) if c is None else "" for t, c in zip(doc.tasks, carried)]
        return task_ids(path, keys, carried)

    def _section(self, section: tuple[str, ...] | list[str] | None) -> str | None:
        """A section path as the events table stores it (``store.section_json``), or None."""
        return None if section is None else section_json(section, self._sections)

    def _rows(self, evs: list[TaskEvent], ids_new: list[str], ids_old: list[str], path: str, stamp: tuple[str, ...]) -> list[tuple[Any, ...]]:
        rows = []
        for e in evs:
            tid = ids_new[e.new] if e.new is not None and e.new < len(ids_new) else (ids_old[e.old] if e.old is not None and e.old < len(ids_old) else "")
            rows.append((e.event, tid, display(path), display(e.title), display(e.label or ""), int(bool(e.done)),
                         display(e.old_title) if e.old_title is not None else None,
                         display(e.old_label) if e.old_label is not None else None,
                         self._section(e.section), self._section(e.old_section),
                         *stamp))
        return rows

    def _merge(self, changes: list[list[Change]], sha: str, stamp: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """A merge: only what no parent had (a resolution) becomes an event of the merge."""
        per_parent = [{(n or o or ""): (o, ob, n, nb) for o, ob, n, nb in against} for against in changes]
        rows: list[tuple[Any, ...]] = []
        for path in sorted(set(per_parent[0]).intersection(*per_parent[1:])):
            o1, b1, n1, nb1 = per_parent[0][path]
            o2, b2, _, _ = per_parent[1][path]
            evs1, ids_new, ids_old = self._step(sha, o1, b1, n1, nb1, other=(o2, b2))
            others = [task_events(self._doc(p[path][1]), self._doc(nb1))[0] for p in per_parent[1:]]
            rows += self._rows(resolutions(evs1, others), ids_new, ids_old, path, stamp)
        return rows

    # -- queries ----------------------------------------------------------------------------
    def reachable(self, tip: str | None = None) -> list[str]:
        """Commits reachable from ``tip`` (default HEAD), newest first, children before their
        parents (``git rev-list --date-order``: the order pygit2's topological and time walk
        gave, tested; one git process instead of importing pygit2)."""
        from .gitcli import git

        tip = tip or self.repo.head
        if not tip:
            return []
        return git("rev-list", "--date-order", tip, "--", cwd=self.repo.root).stdout.decode("ascii").split()

    def translation(self, store_rows: list[dict[str, Any]]) -> dict[str, str]:
        """History ids -> the store's ids, for the tasks at HEAD (the store named them first)."""
        out: dict[str, str] = {}
        by_path: dict[str, list[dict[str, Any]]] = {}
        for r in store_rows:
            by_path.setdefault(r["path"], []).append(r)
        files = {r[0]: r[1] for r in self.conn.execute("SELECT path, blob FROM files")}
        for path, rows in by_path.items():
            ids = self._ids(path, files.get(path))
            if ids and len(ids) == len(rows):
                for hid, row in zip(ids, rows):
                    if hid != row["id"]:
                        out[hid] = row["id"]
        return out

    def events(self, tip: str | None = None) -> list[dict[str, Any]]:
        """Every cached event of the commits reachable from ``tip``, newest commit first."""
        order = {sha: n for n, sha in enumerate(self.reachable(tip))}
        cursor = self.conn.cursor()
        cursor.row_factory = None  # tuples: a sqlite3.Row per event, then a dict, cost more than the query
        found = cursor.execute("SELECT * FROM events")
        names = [d[0] for d in found.description]
        rows = [dict(zip(names, r)) for r in found if r[0] in order]
        rows.sort(key=lambda r: (order[r["commit_id"]], r["seq"]))
        return rows

    def tasks_at(self, rev: str) -> list[dict[str, Any]]:
        """The tasks of every task file at ``rev``, with their ids (replay)."""
        from .gitcli import commit_id

        commit = commit_id(rev, self.repo.root)
        if commit is None:
            raise BadInput(f"{rev}: not a commit")
        self.backfill([commit])
        try:
            return self._tasks_of(commit)
        finally:
            self._end_reading()

    def _tasks_of(self, commit: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for path, blob in sorted(task_files(self.repo, commit).items()):
            doc = self._doc(blob)
            assert doc is not None
            ids = self._ids(path, blob) or self._fresh_ids(path, doc)
            by_line: dict[int, str] = {}
            for tid, rec in zip(ids, task_records(doc, path)):
                by_line[rec["line"]] = tid
                out.append({"id": tid, "path": rec["path"], "label": rec["label"], "title": rec["title"],
                            "done": rec["done"], "section": rec["section"], "line": rec["line"],
                            "depth": rec["depth"], "parent": by_line.get(rec["parent_line"]) if rec["parent_line"] else None})
        return out


def _shallow_boundary(repo: Repo) -> frozenset[str]:
    """The commits listed in the repository's ``shallow`` file (none in a full clone). The file
    is in the common git dir, which every worktree shares (no git process, no pathlib)."""
    import os

    try:
        with open(os.path.join(os.path.dirname(repo.common_dir), "shallow"), encoding="ascii") as fh:
            return frozenset(line.strip() for line in fh if line.strip())
    except OSError:
        return frozenset()
