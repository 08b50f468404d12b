"""End to end: real git calls the installed driver during merge, rebase and cherry-pick."""

from __future__ import annotations

from pathlib import Path

import pytest

from .gitutil import Repo

PATH = "openspec/changes/demo/tasks.md"
BASE = """# Tasks

## 1. Build

- [ ] 1.1 Parser
- [ ] 1.2 Renderer
- [ ] 1.3 Merge

## 2. Ship

- [ ] 2.1 Release
"""


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo.create(tmp_path)
    r.write(PATH, BASE)
    r.write("README.md", "hello\n")
    r.commit("base")
    r.zyflow("install")
    r.commit("install zyflow-git")
    return r


def branch_edits(repo: Repo) -> None:
    """main checks 1.1 and appends 1.4; feature checks 1.2, edits 2.1 and appends its own 1.4."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(PATH, BASE.replace("[ ] 1.2", "[x] 1.2").replace("2.1 Release", "2.1 Release v1")
               .replace("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Bench\n"))
    repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write(PATH, BASE.replace("[ ] 1.1", "[x] 1.1").replace("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Docs\n"))
    repo.commit("main work")


MERGED = (BASE.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2").replace("2.1 Release", "2.1 Release v1")
          .replace("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Docs\n- [ ] 1.5 Bench\n"))


def test_install_writes_config_and_attributes(repo: Repo) -> None:
    driver = repo.git("config", "merge.zyflow.driver").strip()
    assert "merge-driver %O %A %B %L %P" in driver
    assert Path(driver.split("'")[1] if driver.startswith("'") else driver.split()[0]).is_absolute()
    assert "tasks.md merge=zyflow" in repo.read(".gitattributes")
    assert repo.git("check-attr", "merge", "--", PATH).strip().endswith("merge: zyflow")


def test_git_merge_goes_through_the_driver(repo: Repo) -> None:
    branch_edits(repo)
    repo.git("merge", "--no-edit", "-q", "feature")
    assert repo.read(PATH) == MERGED


def test_without_the_driver_git_conflicts(repo: Repo) -> None:
    branch_edits(repo)
    repo.git("config", "--remove-section", "merge.zyflow")
    proc = repo.run("git", "merge", "--no-edit", "feature", check=False)
    assert proc.returncode == 1 and "<<<<<<<" in repo.read(PATH)


def test_rebase_goes_through_the_driver(repo: Repo) -> None:
    branch_edits(repo)
    repo.git("checkout", "-q", "feature")
    repo.git("rebase", "-q", "main")
    # under a rebase ours is main's side: main's insert comes first either way
    assert repo.read(PATH) == MERGED


def test_cherry_pick_goes_through_the_driver(repo: Repo) -> None:
    branch_edits(repo)
    repo.git("cherry-pick", "feature")
    assert repo.read(PATH) == MERGED


def test_true_conflict_marks_one_task(repo: Repo) -> None:
    repo.diverge(PATH, BASE.replace("1.3 Merge", "1.3 Merge by line").replace("[ ] 1.1", "[x] 1.1"),
                 BASE.replace("1.3 Merge", "1.3 Merge by task").replace("[ ] 2.1", "[x] 2.1"))
    proc = repo.run("git", "merge", "--no-edit", "feature", check=False)
    assert proc.returncode == 1
    text = repo.read(PATH)
    assert text.count("<<<<<<<") == 1
    assert "<<<<<<< ours\n- [ ] 1.3 Merge by line\n=======\n- [ ] 1.3 Merge by task\n>>>>>>> theirs\n" in text
    assert "- [x] 1.1 Parser" in text and "- [x] 2.1 Release" in text
    assert PATH in repo.git("diff", "--name-only", "--diff-filter=U")


def test_diff3_conflict_style_is_honoured(repo: Repo) -> None:
    repo.git("config", "merge.conflictStyle", "diff3")
    repo.diverge(PATH, BASE.replace("1.3 Merge", "1.3 Merge by line"), BASE.replace("1.3 Merge", "1.3 Merge by task"))
    repo.run("git", "merge", "--no-edit", "feature", check=False)
    assert "||||||| base\n- [ ] 1.3 Merge\n=======" in repo.read(PATH)


def test_add_add_through_git(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    repo.write("README.md", "x\n")
    repo.commit("root")
    repo.zyflow("install")
    repo.commit("install")
    repo.diverge("tasks.md", "# T\n- [x] a\n- [ ] b\n- [ ] c\n", "# T\n- [ ] a\n- [x] b\n")
    repo.git("merge", "--no-edit", "-q", "feature")
    assert repo.read("tasks.md") == "# T\n- [x] a\n- [x] b\n- [ ] c\n"


def test_missing_executable_falls_back_to_git_markers(repo: Repo) -> None:
    from zyflow_git.install import driver_command

    repo.git("config", "merge.zyflow.driver", driver_command("/nonexistent/zyflow-git"))
    repo.diverge(PATH, BASE.replace("[ ] 1.1", "[x] 1.1"), BASE.replace("[ ] 1.2", "[x] 1.2"))
    proc = repo.run("git", "merge", "--no-edit", "feature", check=False)
    assert proc.returncode == 1
    text = repo.read(PATH)
    assert "<<<<<<< ours" in text and "- [x] 1.2 Renderer" in text, "theirs must not be silently dropped"
    assert "merge driver unavailable" in proc.stderr + proc.stdout


def test_uninstall_removes_exactly_what_install_added(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    repo.write(".gitattributes", "*.png binary\n")
    repo.write(PATH, BASE)
    repo.commit("base")
    config_before = (repo.root / ".git" / "config").read_text()
    repo.zyflow("install")
    repo.zyflow("install")  # idempotent
    assert repo.read(".gitattributes").count("merge=zyflow") == 2
    repo.zyflow("uninstall")
    assert repo.read(".gitattributes") == "*.png binary\n"
    assert not (repo.root / ".zyflow.toml").exists()
    assert (repo.root / ".git" / "config").read_text() == config_before
    assert repo.git("config", "--get-regexp", "merge.zyflow", check=False) == ""


def test_doctor_reports_problems(repo: Repo) -> None:
    ok = repo.zyflow("doctor", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    repo.git("config", "merge.zyflow.driver", "/gone/zyflow-git merge-driver %O %A %B %L %P")
    gone = repo.zyflow("doctor", check=False)
    assert gone.returncode == 1 and "no longer exists" in gone.stdout
    repo.git("config", "--remove-section", "merge.zyflow")
    missing = repo.zyflow("doctor", "--json", check=False)
    assert missing.returncode == 1 and "merge.zyflow.driver is not set" in missing.stdout


def test_doctor_driver_without_attribute(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    repo.write("x.md", "x\n")
    repo.commit("x")
    repo.zyflow("install")
    (repo.root / ".gitattributes").unlink()
    proc = repo.zyflow("doctor", check=False)
    assert proc.returncode == 1 and "no attribute sends files to it" in proc.stdout


def test_path_with_spaces_and_unicode(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    rel = "my plans/계획 tasks/tasks.md"
    repo.write(rel, BASE)
    repo.commit("base")
    repo.zyflow("install", "--no-hooks")
    repo.commit("install")
    repo.diverge(rel, BASE.replace("[ ] 1.1", "[x] 1.1"), BASE.replace("[ ] 1.2", "[x] 1.2"))
    repo.git("merge", "--no-edit", "-q", "feature")
    assert repo.read(rel) == BASE.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2")


def test_both_sides_take_the_same_speckit_id_through_git_merge(tmp_path: Path) -> None:
    """git merge through the driver: theirs' T005 becomes T006, said on stderr, nothing else moves."""
    r = Repo.create(tmp_path)
    path = "specs/001-login/tasks.md"
    base = "## Phase 1: Setup\n\n- [ ] T001 Create project\n- [ ] T002 [P] Lint config\n\n## Phase 2: US1\n\n- [ ] T003 [US1] Model\n- [ ] T004 [US1] Service (after T003)\n"
    r.write(path, base)
    r.commit("plan")
    r.zyflow("install", "--no-hooks")
    r.commit("install zyflow-git")
    r.diverge(path, base + "- [ ] T005 [US1] Endpoint\n",
              base.replace("Lint config\n", "Lint config\n- [ ] T005 [P] CI workflow\n"))
    proc = r.run("git", "merge", "-q", "--no-edit", "feature")
    assert f"zyflow-git: {path}: relabelled T005 -> T006: [P] CI workflow" in proc.stderr
    assert r.read(path) == base.replace("Lint config\n", "Lint config\n- [ ] T006 [P] CI workflow\n") + "- [ ] T005 [US1] Endpoint\n"


REWORD_BASE = "## 2. Build\n\n- [ ] 2.1 Parser\n- [ ] 2.2 Renderer\n- [ ] 2.3 Merge driver\n- [ ] 2.4 Store\n"
REWORD_OURS = REWORD_BASE.replace("2.3 Merge driver", "2.3 Merge driver with fallback").replace("[ ] 2.1", "[x] 2.1")
REWORD_THEIRS = REWORD_BASE.replace("2.3 Merge driver", "2.3 Structured merge driver for tasks").replace("[ ] 2.4", "[x] 2.4")


@pytest.mark.parametrize("style", ["merge", "diff3"])
@pytest.mark.parametrize("how", ["merge", "rebase"])
@pytest.mark.parametrize("driver", [True, False], ids=["driver", "no-driver"])
def test_resolve_never_turns_a_true_conflict_into_two_tasks(tmp_path: Path, style: str, how: str, driver: bool) -> None:
    """Issue 8: both sides reworded 2.3 and each checked another task. With or without the
    driver, after a merge or a rebase, in either marker style, resolve leaves 2.3 in conflict
    (exit 1, '1 left') with both checks applied and no task doubled."""
    r = Repo.create(tmp_path)
    r.write("tasks.md", REWORD_BASE)
    r.commit("base")
    if driver:
        r.zyflow("install", "--no-hooks")
        r.commit("install zyflow-git")
    r.git("config", "merge.conflictStyle", style)
    r.diverge("tasks.md", REWORD_OURS, REWORD_THEIRS)
    args = ["merge", "feature"] if how == "merge" else ["rebase", "feature"]
    assert r.run("git", *args, check=False).returncode != 0
    assert "<<<<<<<" in r.read("tasks.md")
    proc = r.zyflow("resolve", "tasks.md", check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "; 1 left" in proc.stdout
    first, second = ("with fallback", "Structured") if how == "merge" else ("Structured", "with fallback")
    sides = {"with fallback": "- [ ] 2.3 Merge driver with fallback\n", "Structured": "- [ ] 2.3 Structured merge driver for tasks\n"}
    base = "||||||| base\n- [ ] 2.3 Merge driver\n" if style == "diff3" else ""
    assert r.read("tasks.md") == (
        "## 2. Build\n\n- [x] 2.1 Parser\n- [ ] 2.2 Renderer\n<<<<<<< ours\n" + sides[first] + base + "=======\n"
        + sides[second] + ">>>>>>> theirs\n- [x] 2.4 Store\n")


def test_resolve_mends_git_markers_even_when_git_applied_clean_hunks(tmp_path: Path) -> None:
    """Without the driver git's line merge applies theirs' far edits outside the regions, so
    the file no longer equals stage 2; the regions' bases still come from the index."""
    base = "# T\n\n- [ ] 1.1 a\n- [ ] 1.2 b\n- [ ] 1.3 c\n\n## Later\n\nSome prose.\n\n- [ ] 2.1 z\n"
    r = Repo.create(tmp_path)
    r.write("tasks.md", base)
    r.commit("base")
    r.diverge("tasks.md", base.replace("1.3 c\n", "1.3 c\n- [ ] 1.4 e\n"),
              base.replace("1.3 c\n", "1.3 c\n- [ ] 1.4 d\n").replace("[ ] 2.1", "[x] 2.1"))
    assert r.run("git", "merge", "feature", check=False).returncode == 1
    proc = r.zyflow("resolve", "tasks.md", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert r.read("tasks.md") == base.replace("1.3 c\n", "1.3 c\n- [ ] 1.4 e\n- [ ] 1.5 d\n").replace("[ ] 2.1", "[x] 2.1")
