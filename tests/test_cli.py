"""The installed console scripts: parse, merge-file, merge-driver, resolve; errors and exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .gitutil import ZYFLOW, Repo, VENV_BIN
from .test_roundtrip import CORPUS


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ZYFLOW, *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
def test_parse_works_on_every_corpus_file() -> None:
    for path in CORPUS:
        proc = run("parse", "--json", str(path))
        assert proc.returncode == 0, proc.stderr
        records = json.loads(proc.stdout)
        assert records and {"label", "title", "done", "depth", "section", "line"} <= set(records[0])
        table = run("parse", str(path))
        assert table.returncode == 0 and f"{len(records)} tasks" in table.stdout


def test_parse_reports_lines_and_sections(tmp_path: Path) -> None:
    f = tmp_path / "tasks.md"
    f.write_text("# T\n\n## 1. Build\n\n- [x] 1.1 Parser\n  - [ ] 1.1.1 Fast path\n")
    records = json.loads(run("parse", "--json", str(f)).stdout)
    assert [(r["label"], r["title"], r["done"], r["depth"], r["line"], r["section"]) for r in records] == [
        ("1.1", "Parser", True, 0, 5, ["T", "1. Build"]),
        ("1.1.1", "Fast path", False, 1, 6, ["T", "1. Build"]),
    ]


@pytest.mark.parametrize("target", ["missing.md", "."])
def test_parse_bad_file_is_one_line_and_exit_2(tmp_path: Path, target: str) -> None:
    proc = run("parse", target, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert target in proc.stderr


def test_unknown_command_is_a_usage_error() -> None:
    proc = run("no-such-command")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_git_zyflow_alias_runs(tmp_path: Path) -> None:
    f = tmp_path / "tasks.md"
    f.write_text("- [x] done\n")
    proc = subprocess.run(["git", "zyflow", "parse", "--json", str(f)], capture_output=True, text=True,
                          env={"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["title"] == "done"


def write3(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[str, str, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        p = tmp_path / name
        p.write_text(text)
        paths.append(str(p))
    return paths[0], paths[1], paths[2]


def test_merge_file_clean_to_stdout_and_output_file(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, "- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n", "- [ ] a\n- [x] b\n")
    proc = run("merge-file", b, o, t)
    assert proc.returncode == 0 and proc.stdout == "- [x] a\n- [x] b\n"
    out = tmp_path / "out.md"
    assert run("merge-file", b, o, t, "-o", str(out)).returncode == 0
    assert out.read_text() == "- [x] a\n- [x] b\n"


def test_merge_file_conflict_exit_1_with_diff3(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, "- [ ] Write parser\n", "- [ ] Write parser in Rust\n", "- [ ] Write parser in Go\n")
    proc = run("merge-file", "--diff3", b, o, t)
    assert proc.returncode == 1
    assert proc.stdout == ("<<<<<<< ours\n- [ ] Write parser in Rust\n||||||| base\n- [ ] Write parser\n"
                           "=======\n- [ ] Write parser in Go\n>>>>>>> theirs\n")


def test_merge_driver_writes_ours_and_exits_by_conflicts(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, "- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n", "- [ ] a\n- [x] b\n")
    proc = run("merge-driver", b, o, t, "7", "tasks.md")
    assert proc.returncode == 0 and Path(o).read_text() == "- [x] a\n- [x] b\n"


def test_merge_driver_falls_back_on_binary_and_markers(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, "a\n\0\n", "b\n\0\n", "c\n\0\n")
    proc = run("merge-driver", b, o, t, "7", "tasks.md")
    # git's own answer for binary files: a conflict that keeps ours
    assert proc.returncode == 1 and "binary" in proc.stderr
    assert Path(o).read_text() == "b\n\0\n"
    b, o, t = write3(tmp_path, "- [ ] a\n", "<<<<<<< x\n- [ ] a\n=======\n- [x] a\n>>>>>>> y\n", "- [x] a\n")
    proc = run("merge-driver", b, o, t, "7", "tasks.md")
    assert "already holds conflict markers" in proc.stderr


def test_merge_driver_usage_error() -> None:
    proc = run("merge-driver", "only-one")
    assert proc.returncode == 2 and "usage" in proc.stderr


def test_resolve_mends_a_plain_git_conflict(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    base = "# T\n- [ ] 1.1 a\n- [ ] 1.2 b\n- [ ] 1.3 c\n"
    repo.write("tasks.md", base)
    repo.commit("base")
    repo.diverge("tasks.md", base.replace("[ ] 1.1", "[x] 1.1").replace("1.3 c\n", "1.3 c\n- [ ] 1.4 e\n"),
                 base.replace("[ ] 1.2", "[x] 1.2").replace("1.3 c\n", "1.3 c\n- [ ] 1.4 d\n"))
    assert repo.run("git", "merge", "feature", check=False).returncode == 1
    assert "<<<<<<<" in repo.read("tasks.md")
    proc = repo.zyflow("resolve", "tasks.md", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "from the index" in proc.stdout
    assert repo.read("tasks.md") == "# T\n- [x] 1.1 a\n- [x] 1.2 b\n- [ ] 1.3 c\n- [ ] 1.4 e\n- [ ] 1.5 d\n"


def test_resolve_from_diff3_markers_alone(tmp_path: Path) -> None:
    f = tmp_path / "tasks.md"
    f.write_text("# T\n<<<<<<< HEAD\n- [x] a\n- [ ] b\n||||||| base\n- [ ] a\n- [ ] b\n=======\n- [ ] a\n- [x] b\n"
                 ">>>>>>> feature\n- [ ] c\n")
    proc = run("resolve", str(f))
    assert proc.returncode == 0, proc.stderr
    assert f.read_text() == "# T\n- [x] a\n- [x] b\n- [ ] c\n"


def test_resolve_keeps_two_way_markers_it_has_no_base_for(tmp_path: Path) -> None:
    """Without a base, 'both reworded a' and 'both added a task' look alike: keep the region."""
    text = "# T\n<<<<<<< HEAD\n- [x] a\n- [ ] b\n=======\n- [ ] a\n- [x] b\n>>>>>>> feature\n- [ ] c\n"
    f = tmp_path / "tasks.md"
    f.write_text(text)
    proc = run("resolve", str(f))
    assert proc.returncode == 1
    assert "1 conflict region(s) re-merged from the markers; 1 left" in proc.stdout
    assert "1 region(s) kept as they were" in proc.stderr
    assert f.read_text() == text


def test_resolve_leaves_true_conflicts(tmp_path: Path) -> None:
    f = tmp_path / "tasks.md"
    f.write_text("<<<<<<< HEAD\n- [ ] a one\n||||||| base\n- [ ] a\n=======\n- [ ] a two\n>>>>>>> feature\n")
    proc = run("resolve", str(f))
    assert proc.returncode == 1
    assert "a one" in f.read_text() and "a two" in f.read_text()


def test_parse_json_on_invalid_utf8(tmp_path: Path) -> None:
    f = tmp_path / "tasks.md"
    f.write_bytes(b"- [ ] caf\xe9\n")
    proc = run("parse", "--json", str(f))
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["title"] == "caf\ufffd"
    assert f.read_bytes() == b"- [ ] caf\xe9\n"


def test_a_setext_underline_is_not_a_conflict_marker(tmp_path: Path) -> None:
    base = "Plan\n=======\n\n- [ ] a\n- [ ] b\n"
    b, o, t = write3(tmp_path, base, base.replace("[ ] a", "[x] a"), base.replace("[ ] b", "[x] b"))
    proc = run("merge-driver", b, o, t, "7", "tasks.md")
    assert proc.returncode == 0 and proc.stderr == ""
    assert Path(o).read_text() == base.replace("[ ] a", "[x] a").replace("[ ] b", "[x] b")


def test_resolve_keeps_edits_made_after_the_conflict(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    base = "# T\n- [ ] 1.1 a\n- [ ] 1.2 b\n"
    repo.write("tasks.md", base)
    repo.commit("base")
    repo.diverge("tasks.md", base.replace("[ ] 1.1", "[x] 1.1"), base.replace("[ ] 1.2", "[x] 1.2"))
    assert repo.run("git", "merge", "feature", check=False).returncode == 1
    repo.write("tasks.md", repo.read("tasks.md").replace("# T", "# T (edited while resolving)"))
    proc = repo.zyflow("resolve", "tasks.md", check=False)
    assert proc.returncode == 0 and "from the markers" in proc.stdout
    assert repo.read("tasks.md") == "# T (edited while resolving)\n- [x] 1.1 a\n- [x] 1.2 b\n"
