"""The audit's history reads against the pygit2 code they replaced (kept here as the
reference): the task-file changes from one ``git diff-tree --stdin`` (treechanges.py) against
pygit2's ``diff_to_tree`` with ``find_similar``; the walk's order (``git rev-list --reverse
--topo-order``) against pygit2's topological walk, with and without known tips hidden; what an
event says of its commit (one ``git log``) against pygit2's commit objects; and the timeline's
order (``git rev-list --date-order``) against pygit2's topological and time walk. On generated
histories with adds, edits, deletes, renames into and out of the patterns, non-task files,
merges, and a shallow clone's boundary.
"""

from __future__ import annotations

import os
import random
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from zyflow_git.audit import Audit
from zyflow_git.reconcile import Repo as ZRepo
from zyflow_git.store import open_store

from .gitutil import Repo

SEEDS = range(3) if os.environ.get("CI") else range(8)


@pytest.fixture(params=["short walk", "long walk"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a walk reads history: a short one takes diff-tree's answer whole and its blobs
    from git cat-file; a long one streams diff-tree and reads blobs through a git cat-file that
    works ahead of it (blobstream; the threshold set to 0 makes these small histories long)."""
    import zyflow_git.treechanges

    if request.param == "long walk":
        monkeypatch.setattr(zyflow_git.treechanges, "SHORT_WALK", 0)
    return str(request.param)
PATHS = ["tasks.md", "openspec/changes/a/tasks.md", "openspec/changes/b/tasks.md", "docs/tasks.md",
         "notes.md", "docs/readme.md", "specs/ü ñ/tasks.md"]


def reference(audit: Audit, commit) -> list[list[tuple]]:  # type: ignore[no-untyped-def]
    """What the audit diffed before: pygit2 trees, renames looked for when a task file was
    both added and deleted, sides that are no task file (or over the cap) dropped."""
    wanted = audit.repo.is_task_file
    parents = [] if str(commit.id) in audit.shallow else list(commit.parents)
    out = []
    for parent in parents or [None]:
        diff = commit.tree.diff_to_tree(swap=True) if parent is None else parent.tree.diff_to_tree(commit.tree)
        deltas = [d for d in diff.deltas if wanted(d.old_file.path) or wanted(d.new_file.path)]
        if {"A", "D"} <= {d.status_char() for d in deltas}:
            diff.find_similar()
            deltas = [d for d in diff.deltas if wanted(d.old_file.path) or wanted(d.new_file.path)]
        changes = []
        for d in deltas:
            c = d.status_char()
            old = (d.old_file.path, str(d.old_file.id)) if c != "A" and wanted(d.old_file.path) else (None, None)
            new = (d.new_file.path, str(d.new_file.id)) if c != "D" and wanted(d.new_file.path) else (None, None)
            if old != (None, None) or new != (None, None):
                changes.append((old[0], old[1], new[0], new[1]))
        out.append(changes)
    return out


def task_text(rnd: random.Random, n: int) -> str:
    return "# Tasks\n\n" + "".join(f"- [{'x' if rnd.random() < 0.3 else ' '}] {i + 1}. Task {i} of many words here\n"
                                   for i in range(n))


def history(tmp_path: Path, seed: int) -> Repo:
    """A random history: edits, adds, deletes, renames (with and without an edit, across the
    patterns), and branches merged back, clean or with a resolution."""
    rnd = random.Random(seed)
    repo = Repo.create(tmp_path, f"h{seed}")
    present: set[str] = set()

    def step(n: int) -> None:
        op = rnd.random()
        if not present or op < 0.25:
            path = rnd.choice(PATHS)
            repo.write(path, task_text(rnd, rnd.randrange(3, 12)))
            present.add(path)
        elif op < 0.55:
            path = rnd.choice(sorted(present))
            text = repo.read(path)
            repo.write(path, text.replace("[ ]", "[x]", 1) if rnd.random() < 0.5 else text + f"- [ ] 99. New {n}\n")
        elif op < 0.7:
            path = rnd.choice(sorted(present))
            (repo.root / path).unlink()
            present.discard(path)
        else:
            source = rnd.choice(sorted(present))
            target = rnd.choice([p for p in PATHS if p not in present] or [source])
            if target != source:
                (repo.root / target).parent.mkdir(parents=True, exist_ok=True)
                repo.git("mv", source, target)
                present.discard(source)
                present.add(target)
                if rnd.random() < 0.5:
                    repo.write(target, repo.read(target) + "- [ ] 98. After the move\n")
        repo.commit(f"step {n}")

    for n in range(12):
        step(n)
    for m in range(2):
        repo.git("checkout", "-q", "-b", f"side{m}")
        before = set(present)
        for n in range(4):
            step(100 * (m + 1) + n)
        repo.git("checkout", "-q", "main" if "main" in repo.git("branch") else "master")
        present = before
        for n in range(3):
            step(200 * (m + 1) + n)
        done = repo.run("git", "merge", "-q", "--no-edit", f"side{m}", check=False)
        if done.returncode != 0:  # conflicts: theirs where they have the file, else it goes
            for path in repo.git("diff", "--name-only", "--diff-filter=U").split("\n"):
                if path and repo.run("git", "checkout", "--theirs", "--", path, check=False).returncode != 0:
                    repo.run("git", "rm", "-q", "--", path, check=False)
        repo.git("add", "-A")
        repo.run("git", "commit", "-q", "--no-edit", "-m", f"merge side{m}", check=False)
        present = {p for p in PATHS if (repo.root / p).exists()}
    return repo


@contextmanager
def git_env(env: dict[str, str]) -> Iterator[None]:
    """This process's environment as the repository's git commands run in (the library calls
    git itself)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def changes_both_ways(root: Path, env: dict[str, str]) -> tuple[list, list, int]:
    with git_env(env):
        zrepo = ZRepo(root)
        conn = open_store(str(root / ".git" / "zyflow-test.db"))
        audit = Audit(zrepo, conn)
        pending = audit._pending([zrepo.head])
        ours = [audit._task_changes(raw) for raw in audit._changes(pending)]
        theirs = [reference(audit, audit.git[sha]) for sha, _ in pending]
        merges = sum(1 for _, parents in pending if len(parents) > 1)
        conn.close()
        return ours, theirs, merges


@pytest.mark.parametrize("seed", SEEDS)
def test_one_diff_tree_gives_what_the_tree_diffs_gave(tmp_path: Path, seed: int, walk: str) -> None:
    repo = history(tmp_path, seed)
    ours, theirs, merges = changes_both_ways(repo.root, repo.env)
    assert merges >= 1
    assert sum(len(c) for per in theirs for c in per) > 10
    assert ours == theirs
    assert any(o and n and o != n for per in ours for c in per for o, _, n, _ in c), "renames were among them"


def test_a_shallow_boundary_is_read_as_adding_what_it_has(tmp_path: Path) -> None:
    repo = history(tmp_path, 11)
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "3", f"file://{repo.root}", str(clone))
    ours, theirs, _ = changes_both_ways(clone, repo.env)
    assert ours == theirs and ours
    # The boundary is the common git dir's: a linked worktree of the clone reads the same one.
    linked = tmp_path / "linked"
    repo.run("git", "-C", str(clone), "worktree", "add", "-q", "--detach", str(linked))
    with git_env(repo.env):
        boundary = Audit(ZRepo(clone), open_store(str(tmp_path / "a.db"))).shallow
        assert boundary and Audit(ZRepo(linked), open_store(str(tmp_path / "b.db"))).shallow == boundary


@pytest.mark.parametrize("seed", SEEDS)
def test_the_timeline_order_is_the_pygit2_walks(tmp_path: Path, seed: int) -> None:
    """``Audit.reachable`` (git rev-list --date-order) against the pygit2 walk it replaced
    (topological, then by time), on histories with merges and commits in the same second."""
    import pygit2
    from pygit2.enums import SortMode

    repo = history(tmp_path, seed)
    head = repo.git("rev-parse", "HEAD").strip()
    walked = [str(c.id) for c in pygit2.Repository(str(repo.root)).walk(head, SortMode.TOPOLOGICAL | SortMode.TIME)]
    with git_env(repo.env):
        audit = Audit(ZRepo(repo.root), open_store(str(tmp_path / "order.db")))
        assert audit.reachable() == walked and len(walked) > 20


@pytest.mark.parametrize("seed", SEEDS)
def test_the_documents_a_walk_hands_to_the_first_sync_are_the_parses(tmp_path: Path, seed: int, walk: str) -> None:
    """The first sync takes HEAD's documents from the walk (quick-path ones among them)."""
    from zyflow_git.core.parse import parse_bytes

    repo = history(tmp_path, seed)
    with git_env(repo.env):
        zrepo = ZRepo(repo.root)
        audit = Audit(zrepo, open_store(str(tmp_path / "docs.db")))
        audit.backfill()
        parsed = audit.parsed()
        for blob, doc in parsed.items():
            assert doc == parse_bytes(bytes(audit.git.odb.read(blob)[1])), blob
        assert set(zrepo.head_files().values()) <= set(parsed)


def test_a_symlink_named_like_a_task_file_is_no_task_file_in_history_either(tmp_path: Path) -> None:
    """The store's sync skips links (their blob is the target's name); the walk does too, where
    the pygit2 diff took the link's target name for a task list."""
    repo = Repo.create(tmp_path)
    repo.write("docs/tasks.md", "- [ ] 1. Real task\n")
    (repo.root / "tasks.md").symlink_to("- [ ] 1. not a task, a link target")
    repo.commit("a file and a link")
    ours, _, _ = changes_both_ways(repo.root, repo.env)
    assert [[[(o, n) for o, _, n, _ in against] for against in per] for per in ours] == [[[(None, "docs/tasks.md")]]]


def test_git_failing_midway_is_one_error_naming_the_commit(tmp_path: Path, walk: str) -> None:
    from zyflow_git.treechanges import GitFailed, tree_changes

    repo = Repo.create(tmp_path)
    repo.write("tasks.md", "- [ ] 1. One\n")
    first = repo.commit("one")
    missing = "0123456789abcdef0123456789abcdef01234567"
    answers = tree_changes(str(repo.root), [(first, []), (missing, [first])], [":(glob)**/tasks.md"])
    assert next(answers) == [[(None, None, "tasks.md", repo.git("rev-parse", f"{first}:tasks.md").strip())]]
    with pytest.raises(GitFailed, match=f"for {missing}"):
        next(answers)


def _walked(root: Path, tips: list[str], hidden: list[str]) -> list[str]:
    """The reference: pygit2's topological walk, oldest first, ``hidden`` hidden."""
    import pygit2
    from pygit2.enums import SortMode

    walker = pygit2.Repository(str(root)).walk(None, SortMode.TOPOLOGICAL | SortMode.REVERSE)
    for tip in tips:
        walker.push(tip)
    for tip in hidden:
        walker.hide(tip)
    return [str(c.id) for c in walker]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_walk_order_and_the_commit_stamps_are_pygit2s(tmp_path: Path, seed: int) -> None:
    """Ids flow along the walk's order: ``_pending`` must list what pygit2's walk listed, in its
    order, also when the tips of earlier walks are hidden; ``_stamps`` must say of each commit
    what the events said when pygit2 read it (a non-ASCII author, a zone west of UTC, a subject
    whose paragraph goes on over two lines, a merge)."""
    import json

    from zyflow_git.stamps import iso as _iso
    from zyflow_git.tasklist import display

    repo = history(tmp_path, seed)
    repo.write("tasks.md", "- [ ] 1. Last\n")
    repo.git("add", "-A")
    repo.run("git", "-c", "user.name=Zoë Ünal", "commit", "-q", "--author", "Zoë Ünal <zoe@example.com>",
             "--date", "2026-03-01T10:00:00-0730", "-m", "A subject that goes on\nover two lines\n\nand a body")
    with git_env(repo.env):
        zrepo = ZRepo(repo.root)
        conn = open_store(str(tmp_path / "walk.db"))
        audit = Audit(zrepo, conn)
        everything = audit._pending([zrepo.head])
        assert [sha for sha, _ in everything] == _walked(repo.root, [zrepo.head], [])
        assert all(parents == [str(p) for p in audit.git[sha].parent_ids] for sha, parents in everything)
        middle = [everything[len(everything) // 3][0], everything[len(everything) // 2][0]]
        conn.execute("INSERT INTO meta VALUES ('audit_tips', ?)", (json.dumps(middle),))
        assert [sha for sha, _ in audit._pending([zrepo.head])] == _walked(repo.root, [zrepo.head], middle)

        def stamp(commit) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
            author = commit.author
            return (display(author.name), display(author.email), _iso(author.time, author.offset),
                    display(commit.message.split("\n", 1)[0].strip()))

        shas = [sha for sha, _ in everything]
        assert audit._stamps(shas) == {sha: stamp(audit.git[sha]) for sha in shas}
        assert all(audit._stamp(sha) == stamp(audit.git[sha]) for sha in shas[-3:])  # the fallback
        assert audit._stamps(shas[-1:])[shas[-1]][:3] == ("Zoë Ünal", "zoe@example.com", "2026-03-01T10:00:00-07:30")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_short_and_long_walks_record_the_same_events_and_ids(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk read the short way (in two steps: most of history, then the last commits) and one
    read the long way (all at once) leave the same event cache."""
    import zyflow_git.treechanges

    repo = history(tmp_path, seed)
    tables = "SELECT * FROM events ORDER BY commit_id, seq", "SELECT * FROM blob_tasks ORDER BY path, blob"
    with git_env(repo.env):
        zrepo = ZRepo(repo.root)
        short = open_store(str(tmp_path / "short.db"))
        Audit(zrepo, short).backfill([repo.git("rev-parse", "HEAD~5").strip()])
        Audit(zrepo, short).backfill()
        monkeypatch.setattr(zyflow_git.treechanges, "SHORT_WALK", 0)
        long = open_store(str(tmp_path / "long.db"))
        Audit(zrepo, long).backfill()
        for sql in tables:
            assert [tuple(r) for r in short.execute(sql)] == [tuple(r) for r in long.execute(sql)]
        assert short.execute("SELECT count(*) FROM events").fetchone()[0] > 20
