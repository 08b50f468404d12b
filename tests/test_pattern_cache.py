"""The compiled-pattern cache (patterncache.py): what it builds is re.compile's own pattern, a
cache it cannot trust is not read, and it is written only where Python would write bytecode."""

from __future__ import annotations

import ast
import marshal
import re
import subprocess
import sys
from pathlib import Path

import _sre
import pytest

from zyflow_git import patterncache
from zyflow_git.core import lazyre

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache in a file of this test's own, read afresh."""
    path = tmp_path / "__pycache__" / "zyflow-patterns.marshal"
    monkeypatch.setattr(patterncache, "cache_file", lambda: str(path))
    monkeypatch.setattr(patterncache, "_cache", None)
    monkeypatch.setattr(patterncache, "_written_for", "")
    monkeypatch.setattr(lazyre, "_compile", patterncache.compiled)
    return path


def test_every_pattern_of_the_package_is_cached_as_re_compiles_it(private_cache: Path) -> None:
    count = patterncache.write_cache()
    keys = set(lazyre.made())
    assert count >= len(keys) > 40  # every lazy pattern of every module (none is left to re)
    entries = patterncache._entries()
    samples = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))[:12]] or ["- [ ] 1.2 a task\n"]
    samples.append("## 2. Phase COMPLETED\n| a | b |\n|---|---|\n- [X] T001 [P] x **y** `z` — done: 3/8 2024-01-02\n")
    for key in keys:
        built = _sre.compile(key[0], *entries[key])
        wanted = re.compile(*key)
        assert built == wanted, key  # same flags, code and pattern
        assert (built.groups, dict(built.groupindex)) == (wanted.groups, dict(wanted.groupindex)), key
        for text in samples:  # and so the same answers
            assert [m.span() for m in built.finditer(text)] == [m.span() for m in wanted.finditer(text)], key


def test_a_lazy_pattern_from_the_cache_answers_like_re(private_cache: Path) -> None:
    made = lazyre.lazy(r"(?i)(?P<word>[a-z]+)-(\d+)")
    patterncache.write_cache()
    patterncache._cache = None  # a new process: the file, read again
    assert (made.pattern, made.flags) in patterncache._entries()
    found = made.match("Task-12 rest")
    assert found is not None and found.group("word", 2) == ("Task", "12")
    assert made.sub(r"\2", "ab-1 cd-22") == "1 22"  # a template: re, imported where it is needed
    assert made.groupindex == {"word": 1}


def test_a_cache_of_another_interpreter_or_a_damaged_one_is_not_read(private_cache: Path) -> None:
    patterncache.write_cache()
    good = private_cache.read_bytes()
    header, entries, version = marshal.loads(good)
    others = [(1, "3.11.0 (another build)", _sre.MAGIC, _sre.CODESIZE), (1, sys.version, _sre.MAGIC + 1, _sre.CODESIZE),
              (patterncache._FORMAT + 1, sys.version, _sre.MAGIC, _sre.CODESIZE)]
    for other in others:
        private_cache.write_bytes(marshal.dumps((other, entries, version)))
        patterncache._cache = None
        assert patterncache._entries() == {}, other
    for damaged in (good[: len(good) // 2], b"", b"\x00garbage", marshal.dumps(["not", "a", "cache"]), marshal.dumps((header, entries))):
        private_cache.write_bytes(damaged)
        patterncache._cache = None
        assert patterncache._entries() == {}
    # A damaged entry under the right header: re compiles the pattern, as without a cache.
    key = next(iter(entries))
    private_cache.write_bytes(marshal.dumps((header, {key: (0, [1, 2, 3], 0, {}, ())}, version)))
    patterncache._cache = None
    assert patterncache.compiled(*key) == re.compile(*key)


def test_a_miss_writes_the_cache_only_where_bytecode_may_be_written(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    lazyre.lazy(r"first[0-9]+").match("first1")
    assert not private_cache.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    lazyre.lazy(r"second[0-9]+").match("second2")
    assert private_cache.exists()
    patterncache._cache = None
    assert {(r"first[0-9]+", 0), (r"second[0-9]+", 0)} <= set(patterncache._entries())  # both, once written
    assert not list(private_cache.parent.glob("*.tmp"))


def test_a_pattern_re_builds_another_way_is_left_to_re_once_and_for_all(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Python's re internals: the pattern is written down as one to compile with re, so
    that no later process computes every entry again at its first pattern."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(patterncache, "entry_of", lambda pattern, flags: None)
    made = lazyre.lazy(r"third[0-9]+")
    assert made.match("third3")
    patterncache._cache = None
    assert patterncache._entries()[(r"third[0-9]+", 0)] is None
    writes: list[object] = []
    monkeypatch.setattr(patterncache, "_add", writes.append)
    assert patterncache.compiled(r"third[0-9]+", 0) == re.compile(r"third[0-9]+")
    assert writes == []


def test_install_writes_the_cache_only_where_there_is_none(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`zyflow-git install` fills an empty cache (a pipx install with PYTHONDONTWRITEBYTECODE
    would otherwise never get one); it does not import every module again when one is there."""
    from zyflow_git.install import _warm_pattern_cache

    assert not patterncache.has_cache()
    _warm_pattern_cache()
    assert patterncache.has_cache() and private_cache.exists()
    calls: list[int] = []
    monkeypatch.setattr(patterncache, "write_cache", lambda: calls.append(1) or 0)
    _warm_pattern_cache()
    assert calls == []
    # Another version of the package wrote it: an upgrade's install writes it again.
    header, entries, _ = marshal.loads(private_cache.read_bytes())
    private_cache.write_bytes(marshal.dumps((header, entries, "0.0.1")))
    patterncache._cache = None
    assert patterncache._entries() and not patterncache.has_cache()
    _warm_pattern_cache()
    assert calls == [1]


def test_the_cache_is_kept_beside_the_bytecode_of_its_module() -> None:
    path = Path(patterncache.cache_file())
    assert path.parent == Path(patterncache.__file__).resolve().parent / "__pycache__"
    assert sys.implementation.cache_tag in path.name


def test_a_merge_with_the_cache_imports_no_re(tmp_path: Path) -> None:
    """What the cache is for: the driver starts without re, enum, functools and collections."""
    subprocess.run([sys.executable, "-m", "zyflow_git.patterncache"], check=True, capture_output=True)
    from .gitutil import ZYFLOW

    base = "# Tasks\n\n## 1. One\n\n- [ ] 1.1 First **task**\n- [ ] 1.2 Second\n\n## 2. Two COMPLETED\n\n- [ ] 2.1 Write the third task\n"
    # A reworded title (not a prefix of the old one) is paired by similarity: core.similar, not difflib.
    texts = {"base": base, "ours": base.replace("[ ] 1.1", "[x] 1.1"), "theirs": base.replace("Write the third", "Now write the 3rd")}
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    proc = subprocess.run([sys.executable, "-X", "importtime", ZYFLOW, "merge-driver", "base", "ours", "theirs", "7", "tasks.md"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "zyflow_git.core.similar" in imported
    assert not imported & {"re", "enum", "functools", "collections", "difflib", "json"}
    assert (tmp_path / "ours").read_text() == base.replace("[ ] 1.1", "[x] 1.1").replace("Write the third", "Now write the 3rd")


def test_only_the_package_own_patterns_can_reach_the_cache() -> None:
    """Every lazy() is a module-level constant: what a merge reads (a repository's files) can
    never become a pattern the cache writes outside the repository."""
    package = Path(patterncache.__file__).resolve().parent
    for module in sorted(package.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        top_level = {id(node.value) for node in tree.body if isinstance(node, ast.Assign)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy":
                assert id(node) in top_level, f"{module.name}:{node.lineno}: lazy() outside a module-level constant"


def test_a_hook_that_syncs_a_changed_file_imports_no_re_or_json(tmp_path: Path) -> None:
    """The checkout hook's work (parse a changed file, carry its ids, write its rows and their
    section's JSON) without re, enum or json: the store's lists are written and read directly;
    nor the sqlite3 package around its C module (with datetime and collections.abc), nor
    the merge driver."""
    subprocess.run([sys.executable, "-m", "zyflow_git.patterncache"], check=True, capture_output=True)
    from .gitutil import ZYFLOW, Repo

    repo = Repo.installed(tmp_path, {"tasks.md": "## 1. Überblick\n\n- [ ] 1.1 One\n- [ ] 1.2 Two\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("tasks.md", "## 1. Überblick\n\n- [x] 1.1 One\n- [ ] 1.2 Two\n- [ ] 1.3 Three\n")
    second = repo.commit("check one, add one")
    repo.zyflow("sync")
    repo.git("-c", "core.hooksPath=/dev/null", "checkout", "-q", first)
    proc = subprocess.run([sys.executable, "-X", "importtime", ZYFLOW, "hook", "post-checkout", second, first, "1"],
                          cwd=repo.root, env={**repo.env, "ZYFLOW_GIT_HOOK": "1"}, capture_output=True, text=True)
    assert proc.returncode == 0
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "zyflow_git.core.parse" in imported  # it did parse the file
    assert not imported & {"re", "enum", "json", "difflib"}
    assert "_sqlite3" in imported and not imported & {"sqlite3", "sqlite3.dbapi2", "datetime", "zyflow_git.mergedriver"}
    assert repo.store_query("SELECT title, done, section FROM tasks ORDER BY position") == [
        ("One", 0, '["1. Überblick"]'), ("Two", 0, '["1. Überblick"]')]
