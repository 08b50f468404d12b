"""What an adversarial run broke (issue 9): a malicious clone, big inputs, full disks, shallow
clones, special files. Real repositories, real git, real processes."""

from __future__ import annotations

import json
import re
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.globs import PathMatcher, check_pattern

from .gitutil import ZYFLOW, Repo

TASKS = "# T\n\n- [ ] 1.1 a\n- [ ] 1.2 b\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo.create(tmp_path)
    r.write("tasks.md", TASKS)
    r.commit("base")
    return r


def one_line_error(proc: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


# 1. Symlinks -------------------------------------------------------------------------------

def test_install_refuses_a_gitattributes_link_and_leaks_nothing(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=hunter2\n")
    os.symlink(secret, repo.root / ".gitattributes")
    err = one_line_error(repo.zyflow("install", "--no-hooks", check=False))
    assert ".gitattributes" in err and "symbolic link" in err
    assert (repo.root / ".gitattributes").is_symlink() and secret.read_text() == "API_KEY=hunter2\n"
    assert repo.git("config", "merge.zyflow.driver", check=False) == ""


def test_a_zyflow_toml_link_is_refused_not_followed(repo: Repo, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text('[merge]\npatterns = ["*.md"]\n')
    os.symlink(target, repo.root / ".zyflow.toml")
    err = one_line_error(repo.zyflow("install", "--no-hooks", check=False))
    assert ".zyflow.toml" in err and "symbolic link" in err


def test_a_hook_that_is_a_link_is_left_alone_and_survives_uninstall(repo: Repo, tmp_path: Path) -> None:
    shared = tmp_path / "shared-hook.sh"
    shared.write_text("#!/bin/sh\necho shared\n")
    shared.chmod(0o755)
    hook = repo.root / ".git" / "hooks" / "post-commit"
    hook.parent.mkdir(exist_ok=True)
    os.symlink(shared, hook)
    proc = repo.zyflow("install")
    assert "is a link or not a shell script; left alone" in proc.stdout
    assert hook.is_symlink() and shared.read_text() == "#!/bin/sh\necho shared\n"
    repo.zyflow("uninstall")
    assert hook.is_symlink() and os.readlink(hook) == str(shared)


# 2. Patterns are data; install and uninstall are idempotent ---------------------------------

@pytest.mark.parametrize("pattern", ["tasks.md\n# END zyflow-git\n* merge=evil", "a b.md", "!tasks.md", "x;rm -rf ~",
                                     "$(touch pwned).md", "**x/tasks.md", "../tasks.md", "", "a" * 300])
def test_patterns_outside_the_grammar_are_refused(repo: Repo, pattern: str) -> None:
    repo.write(".zyflow.toml", "[merge]\npatterns = [" + repr(pattern).replace("'", '"') + "]\n")
    err = one_line_error(repo.zyflow("install", check=False))
    assert ".zyflow.toml" in err and "merge.patterns" in err
    assert not (repo.root / ".gitattributes").exists()
    assert not (repo.root / ".git" / "hooks" / "post-commit").exists()


def test_valid_patterns_pass_the_check() -> None:
    for pattern in ("tasks.md", "**/tasks.md", "/openspec/changes/*/tasks.md", ".kiro/specs/**/tasks.md", "spec-?.md",
                    "계획/할일.md", "TODO.md"):
        assert check_pattern(pattern) is None, pattern


def test_install_and_uninstall_twice_change_nothing_the_second_time(repo: Repo) -> None:
    def snapshot() -> tuple[object, ...]:
        hooks = repo.root / ".git" / "hooks"
        files = {p.name: p.read_bytes() for p in sorted(hooks.iterdir())} if hooks.exists() else {}
        attrs = repo.root / ".gitattributes"
        return (files, attrs.read_bytes() if attrs.exists() else None, repo.git("config", "--list", "--local"))

    repo.zyflow("install")
    first = snapshot()
    assert "merge=zyflow" in repo.read(".gitattributes")
    repo.zyflow("install")
    assert snapshot() == first
    repo.zyflow("uninstall")
    gone = snapshot()
    repo.zyflow("uninstall")
    assert snapshot() == gone
    assert not (repo.root / ".gitattributes").exists()


# 3. Globs (hang guards for patterns: test_linear_patterns.py) --------------------------------

@pytest.mark.parametrize("pattern,path,want", [
    ("tasks.md", "tasks.md", True), ("tasks.md", "a/b/tasks.md", True), ("tasks.md", "a/xtasks.md", False),
    ("**/tasks.md", "tasks.md", True), ("docs/**/tasks.md", "docs/tasks.md", True),
    ("docs/**/tasks.md", "docs/a/b/tasks.md", True), ("docs/**/tasks.md", "x/docs/tasks.md", False),
    ("/openspec/changes/*/tasks.md", "openspec/changes/add-login/tasks.md", True),
    ("/openspec/changes/*/tasks.md", "openspec/changes/a/b/tasks.md", False),
    ("spec-?.md", "x/spec-1.md", True), ("spec-?.md", "spec-12.md", False), ("*.md", "a/b.md", True),
    ("*a*a*a*a*b", "a" * 200, False), ("docs/**", "docs/a/b.md", True), ("tasks.md", "we\nird/tasks.md", True),
])
def test_the_glob_grammar(pattern: str, path: str, want: bool) -> None:
    assert PathMatcher((pattern,)).match(path) is want


# 4. Bounded reads ------------------------------------------------------------------------------

def test_a_zyflow_toml_linked_to_dev_zero_is_refused_at_once(repo: Repo) -> None:
    os.symlink("/dev/zero", repo.root / ".zyflow.toml")
    proc = repo.run(ZYFLOW, "tasks", check=False)
    assert "symbolic link" in one_line_error(proc)


def test_a_huge_zyflow_toml_is_refused(repo: Repo) -> None:
    repo.write(".zyflow.toml", "# " + "x" * (300 * 1024) + "\n")
    assert "larger than" in one_line_error(repo.zyflow("tasks", check=False))


# 13. (part) A 100k-deep .zyflow.toml is bad input, not a crash ---------------------------------

def test_a_deeply_nested_zyflow_toml_is_bad_input(repo: Repo) -> None:
    repo.write(".zyflow.toml", "x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    err = one_line_error(repo.zyflow("tasks", check=False))
    assert ".zyflow.toml" in err


# 12. uninstall is byte-exact -------------------------------------------------------------------

def test_uninstall_gives_back_gitattributes_without_a_final_newline(repo: Repo) -> None:
    repo.write(".gitattributes", "*.png binary")
    repo.zyflow("install", "--no-hooks")
    assert repo.read(".gitattributes").startswith("*.png binary\n# BEGIN zyflow-git")
    repo.zyflow("uninstall")
    assert repo.read(".gitattributes") == "*.png binary"


def test_uninstall_keeps_the_users_own_keys_in_the_merge_zyflow_section(repo: Repo) -> None:
    repo.zyflow("install", "--no-hooks")
    repo.git("config", "merge.zyflow.recursive", "binary")
    repo.zyflow("uninstall")
    assert repo.git("config", "merge.zyflow.recursive").strip() == "binary"
    assert repo.git("config", "merge.zyflow.driver", check=False) == ""
    assert repo.git("config", "merge.zyflow.name", check=False) == ""


# 5. Terminal escapes -----------------------------------------------------------------------------

EVIL = "evil \x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b31m \u202etxt.exe"


@pytest.mark.parametrize("args", [("tasks",), ("log",), ("blame", "tasks.md"), ("replay", "HEAD"), ("parse", "tasks.md")])
def test_no_terminal_escape_reaches_the_terminal(repo: Repo, args: tuple[str, ...]) -> None:
    repo.zyflow("install")
    repo.write("tasks.md", TASKS + f"- [ ] 1.3 {EVIL}\n")
    repo.env["GIT_AUTHOR_NAME"] = "Mallory \x1b]0;pwned\x07"
    repo.commit("add \x1b[31mred\x1b[0m task")
    out = repo.zyflow(*args).stdout
    assert not any(c in out for c in "\x1b\x07\x9b\u202e"), repr(out)
    if args[0] != "blame":
        assert "\\x1b]52;c;cHduZWQ=\\x07" in out
    data = repo.zyflow(*args, "--json").stdout
    assert not any(c in data for c in "\x1b\x07\x9b\u202e"), repr(data)
    assert EVIL in strings(json.loads(data))  # the data itself is kept, escaped as JSON escapes


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for item in items for s in strings(item)]


# 6. A % in the install path ----------------------------------------------------------------------

def test_an_install_path_with_percent_signs_still_runs_the_driver(repo: Repo, tmp_path: Path) -> None:
    odd = tmp_path / "tools %A 100%" / "bin"
    odd.mkdir(parents=True)
    exe = odd / "zyflow-git"
    os.symlink(ZYFLOW, exe)
    repo.run(str(exe), "install", "--no-hooks")
    repo.commit("install")
    repo.diverge("tasks.md", TASKS.replace("[ ] 1.1", "[x] 1.1"), TASKS.replace("[ ] 1.2", "[x] 1.2"))
    proc = repo.run("git", "merge", "-q", "--no-edit", "feature")
    assert "unavailable" not in proc.stderr
    assert repo.read("tasks.md") == TASKS.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2")
    assert "did not merge a test file" not in repo.zyflow("doctor", check=False).stdout


def test_doctor_runs_the_configured_driver_and_reports_when_it_does_not_merge(repo: Repo) -> None:
    repo.zyflow("install", "--no-hooks")
    repo.commit("install")
    repo.git("config", "merge.zyflow.driver", "/bin/false %O %A %B")
    proc = repo.zyflow("doctor", check=False)
    assert proc.returncode == 1
    assert "problem: the configured merge driver did not merge a test file (exit 1" in proc.stdout


# 7. Quadratic merges under the size cap ------------------------------------------------------------

def write3(tmp: Path, base: str, ours: str, theirs: str) -> list[str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp / name).write_text(text)
        paths.append(str(tmp / name))
    return paths


def test_a_long_fence_edited_on_both_sides_merges_within_the_work_budget(tmp_path: Path) -> None:
    """It took 14 s (difflib on 10,000 repeated lines); now the common ends pair off directly."""
    body = "".join(f"x = {i % 7}\n" for i in range(10_000))
    base = f"# T\n\n- [ ] a\n\n```python\n{body}```\n"
    ours = base.replace("x = 3\n", "x = 'ours'\n", 1)
    theirs = base[: base.rindex("x = 3\n")] + "x = 'theirs'\n" + base[base.rindex("x = 3\n") + 6:]
    b, o, t = write3(tmp_path, base, ours, theirs)
    proc = subprocess.run([ZYFLOW, "merge-driver", b, o, t, "7", "tasks.md"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    merged = Path(o).read_text()
    assert "x = 'ours'" in merged and "x = 'theirs'" in merged and len(merged.splitlines()) == len(base.splitlines())


def test_a_huge_task_line_edited_on_both_sides_is_a_conflict_not_a_stall(tmp_path: Path) -> None:
    """20,000 words on one line, edited on both sides: 122 s before. One edit a side aligns
    at once (the common ends pair off) and merges by word; a side that edits both ends leaves
    20,000 words to align, past the budget: a conflict on that task, as git gives."""
    title = " ".join(f"w{i % 97}" for i in range(20_000))
    base = f"# T\n\n- [ ] 1.1 {title}\n- [ ] 1.2 next\n"
    ours = base.replace(" w5 ", " OURS ", 1).replace("[ ] 1.2", "[x] 1.2")
    at = base.rindex(" w7 ")
    near_end = base[:at] + " THEIRS " + base[at + 4:]
    b, o, t = write3(tmp_path, base, ours, near_end)
    proc = subprocess.run([ZYFLOW, "merge-driver", b, o, t, "7", "tasks.md"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    merged = Path(o).read_text()
    assert " OURS " in merged and " THEIRS " in merged and "- [x] 1.2 next" in merged
    both_ends = near_end.replace(" w3 ", " FIRST ", 1)
    b, o, t = write3(tmp_path, base, ours, both_ends)
    proc = subprocess.run([ZYFLOW, "merge-driver", b, o, t, "7", "tasks.md"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    merged = Path(o).read_text()
    assert merged.count("<<<<<<<") == 1 and "- [x] 1.2 next" in merged


# 8. Hooks on huge task files; 1. (part) task files that are links ---------------------------------

def test_a_huge_task_file_is_skipped_with_one_warning_and_does_not_stall_checkout(repo: Repo) -> None:
    repo.zyflow("install")
    repo.commit("install")
    big = "".join(f"- [ ] 9.{i} filler task number {i} with some words\n" for i in range(220_000))
    repo.write("big/tasks.md", big)
    assert len(big) > 8 * 1024 * 1024
    repo.commit("a 9 MB task file")
    proc = repo.zyflow("tasks", "--json")
    paths = {t["path"] for t in json.loads(proc.stdout)}
    assert paths == {"tasks.md"}
    repo.git("checkout", "-q", "HEAD~1")
    repo.git("checkout", "-q", "-")
    db = repo.root / ".git" / "zyflow" / "state.db"
    assert db.stat().st_size < 2 * 1024 * 1024
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    first = repo.zyflow("sync")
    assert first.stderr.count("big/tasks.md is larger than 8 MiB; its tasks are not tracked") == 1
    assert "larger than 8 MiB" not in repo.zyflow("tasks").stderr  # said once, when it was first seen


def test_a_committed_task_file_that_is_a_link_is_not_read(repo: Repo) -> None:
    """A link committed where a task file would be: git stores its target name, not a list."""
    os.symlink("/etc/hostname", repo.root / "tasks2.md")
    (repo.root / "sub").mkdir()
    os.symlink("../tasks.md", repo.root / "sub" / "tasks.md")
    repo.commit("links")
    rows = json.loads(repo.zyflow("tasks", "--json").stdout)
    assert {r["path"] for r in rows} == {"tasks.md"}
    rows = json.loads(repo.zyflow("tasks", "--worktree", "--json").stdout)
    assert {r["path"] for r in rows} == {"tasks.md"}


# 14. A task-file path with a newline; 15. sparse checkout ------------------------------------------

def test_a_task_file_path_with_a_newline_is_tracked(repo: Repo) -> None:
    repo.write("we\nird/tasks.md", "- [ ] odd one\n")
    repo.commit("odd path")
    rows = json.loads(repo.zyflow("tasks", "--json").stdout)
    assert "we\nird/tasks.md" in {r["path"] for r in rows}
    events = json.loads(repo.zyflow("log", "--json").stdout)
    assert any(e["path"] == "we\nird/tasks.md" and e["title"] == "odd one" for e in events)


def test_sparse_checkout_does_not_show_tasks_outside_the_cone_as_removed(repo: Repo) -> None:
    repo.write("inside/tasks.md", "- [ ] in\n")
    repo.write("outside/tasks.md", "- [ ] out\n")
    repo.commit("two folders")
    repo.git("sparse-checkout", "set", "--cone", "inside")
    assert not (repo.root / "outside").exists()
    rows = json.loads(repo.zyflow("tasks", "--worktree", "--json").stdout)
    assert {(r["path"], r["uncommitted"]) for r in rows if r["path"] != "tasks.md"} == {
        ("inside/tasks.md", None), ("outside/tasks.md", None)}


# 9. A full disk is not corruption; a read-only .git ------------------------------------------------

@pytest.fixture
def small_disk(repo: Repo) -> Path:
    """The store's folder on a 256 KiB tmpfs (root and mount(8) needed; skipped otherwise)."""
    folder = repo.root / ".git" / "zyflow"
    folder.mkdir(exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {proc.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_reported_and_the_store_is_not_set_aside(repo: Repo, small_disk: Path) -> None:
    repo.zyflow("sync")
    first = json.loads(repo.zyflow("tasks", "--json").stdout)[0]["id"]
    repo.zyflow("set", first, "--status", "in_progress", "--assignee", "alice")
    repo.write("more/tasks.md", "".join(f"- [ ] 5.{i} a task with a long enough title to fill pages {i}\n" for i in range(6000)))
    repo.commit("many tasks")
    proc = repo.zyflow("tasks", check=False)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "disk is full" in proc.stderr and str(small_disk / "state.db") in proc.stderr
    assert "no transaction" not in proc.stderr
    left = sorted(p.name for p in small_disk.iterdir())
    assert not [n for n in left if "corrupt" in n or n.endswith(".new")], left
    repo.git("reset", "-q", "--hard", "HEAD~1")
    rows = json.loads(repo.zyflow("tasks", "--json").stdout)
    assert [(r["status"], r["assignee"]) for r in rows if r["id"] == first] == [("in_progress", "alice")]


def test_a_read_only_store_folder_is_one_line_with_the_path(repo: Repo, small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = repo.zyflow("tasks", check=False)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert str(small_disk) in proc.stderr and "read-only" in proc.stderr.lower()
    assert "internal error" not in proc.stderr


# 10. Shallow clones ------------------------------------------------------------------------------

def test_a_shallow_clone_invents_no_events_and_unshallowing_brings_the_real_ones(repo: Repo, tmp_path: Path) -> None:
    for label in ("1.3", "1.4"):
        repo.write("tasks.md", repo.read("tasks.md") + f"- [ ] {label} more\n")
        repo.commit(f"add {label}")
    clone = Repo(tmp_path / "shallow", repo.env)
    repo.run("git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone.root))
    proc = clone.zyflow("log", "--json")
    assert json.loads(proc.stdout) == []
    assert "history is shallow" in proc.stderr
    clone.git("fetch", "-q", "--unshallow")
    proc = clone.zyflow("log", "--json")
    events = json.loads(proc.stdout)
    assert [(e["event"], e["title"], e["subject"]) for e in events] == [
        ("added", "more", "add 1.4"), ("added", "more", "add 1.3"), ("added", "a", "base"), ("added", "b", "base")]
    assert "shallow" not in proc.stderr
    assert {e["id"] for e in events} == {e["id"] for e in json.loads(repo.zyflow("log", "--json").stdout)}


# 11. Special files as outputs; 13. exit codes -------------------------------------------------------

MERGE3 = ("- [ ] a\n- [ ] b\n", "- [x] a\n- [ ] b\n", "- [ ] a\n- [x] b\n")
MERGED = "- [x] a\n- [x] b\n"


def test_merge_file_output_through_a_link_writes_its_target(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, *MERGE3)
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    os.symlink(target, link)
    subprocess.run([ZYFLOW, "merge-file", b, o, t, "-o", str(link)], check=True)
    assert link.is_symlink() and target.read_text() == MERGED


def test_merge_file_output_to_a_fifo_and_a_device_writes_in_place(tmp_path: Path) -> None:
    import stat
    import threading

    b, o, t = write3(tmp_path, *MERGE3)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)  # a regression fails, never hangs
    reader.start()
    subprocess.run([ZYFLOW, "merge-file", b, o, t, "-o", str(fifo)], check=True, timeout=60)
    reader.join(timeout=60)
    assert got == [MERGED.encode()] and stat.S_ISFIFO(fifo.lstat().st_mode)
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")
    subprocess.run([ZYFLOW, "merge-file", b, o, t, "-o", str(null)], check=True, timeout=60)
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_resolve_writes_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("<<<<<<< a\n- [x] a\n||||||| b\n- [ ] a\n=======\n- [ ] a\n>>>>>>> c\n")
    link = tmp_path / "tasks.md"
    os.symlink(target, link)
    subprocess.run([ZYFLOW, "resolve", str(link)], check=True, capture_output=True)
    assert link.is_symlink() and target.read_text() == "- [x] a\n"


def test_merge_file_into_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    b, o, t = write3(tmp_path, *MERGE3)
    proc = subprocess.run([ZYFLOW, "merge-file", b, o, t, "-o", str(tmp_path / "no" / "such" / "out.md")],
                          capture_output=True, text=True)
    assert "no such folder" in one_line_error(proc)


def test_sigint_during_the_merge_driver_is_one_line_and_130(tmp_path: Path) -> None:
    import signal
    import time

    b, o, t = write3(tmp_path, *MERGE3)
    os.unlink(b)
    os.mkfifo(b)  # the driver blocks opening it: a deterministic moment to interrupt
    proc = subprocess.Popen([ZYFLOW, "merge-driver", b, o, t, "7", "tasks.md"], stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err and err.count("\n") == 1, err
    assert Path(o).read_text() == MERGE3[1]


def test_the_merge_driver_without_git_on_path_falls_back_in_one_line(tmp_path: Path) -> None:
    base, ours, theirs = "- [ ] a\n", "- [ ] a one\n", "- [ ] a two\n"  # a true conflict: needs git for the style
    b, o, t = write3(tmp_path, base, ours, theirs)
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(Path(ZYFLOW).parent)
    proc = subprocess.run([ZYFLOW, "merge-driver", b, o, t, "7", "tasks.md"], capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "<<<<<<<" in Path(o).read_text()


@given(st.lists(st.sampled_from([b"<", b"<<<<<<<", b">>>>>>>", b"<<<<<<<<", b" ", b"\n", b"\r", b"\r\n", b"x"]), max_size=10),
       st.sampled_from([3, 7, 9]))
def test_the_drivers_marker_check_is_the_regex_it_replaces(parts: list[bytes], size: int) -> None:
    from zyflow_git.core.conflicts import marker_line

    data = b"".join(parts)
    for marker in (b"<" * size, b">" * size):
        want = re.search(rb"(?m)^" + re.escape(marker) + rb"(?: |\r?$)", data) is not None
        assert marker_line(data, marker) == want


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_git_runs_with_the_signals_python_ignores_restored() -> None:
    """git is spawned without subprocess; like subprocess, it must not inherit Python's ignored
    SIGPIPE (a git writing into a closed pipe dies quietly instead of looping on EPIPE)."""
    from zyflow_git.gitcli import git

    out = git("-c", "alias.ignored=!grep SigIgn /proc/self/status", "ignored").stdout.decode()
    mask = int(out.split()[1], 16)
    assert not mask & (1 << (13 - 1)), f"SIGPIPE ignored: {out}"  # bit n-1 is signal n
    assert not mask & (1 << (25 - 1)), f"SIGXFSZ ignored: {out}"
