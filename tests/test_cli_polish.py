"""Issue 14 (part): the edges a new user tripped over, through the real console script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .gitutil import ZYFLOW, Repo, on_a_pty


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A repository whose `tasks` output is larger than a pipe's buffer (so `head` closes it early)."""
    r = Repo.create(tmp_path_factory.mktemp("big"))
    r.write("tasks.md", "# T\n" + "".join(f"- [ ] 1.{i} task number {i} with a title long enough\n" for i in range(4000)))
    r.commit("plan")
    r.zyflow("install")
    return r


@pytest.mark.parametrize("args", ["tasks", "tasks --json", "parse tasks.md", "log", "blame tasks.md", "replay HEAD"])
def test_a_closed_pipe_is_exit_0_and_silent(big: Repo, args: str) -> None:
    proc = big.run("bash", "-c", f"'{ZYFLOW}' {args} | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"")
    assert proc.stdout.strip() == "0" and proc.stderr == "", proc.stderr


def test_set_status_is_validated_like_tasks_status(big: Repo) -> None:
    tid = json.loads(big.zyflow("tasks", "--json").stdout)[0]["id"]
    proc = big.zyflow("set", tid, "--status", "nope", check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("zyflow-git: Invalid value for '--status'") and "`zyflow-git set --help`" in proc.stderr


@pytest.mark.parametrize("args,see", [(["tasks", "--bogus"], "zyflow-git tasks --help"), (["no-such"], "zyflow-git --help")])
def test_usage_errors_are_one_line_in_our_style(args: list[str], see: str) -> None:
    proc = subprocess.run([ZYFLOW, *args], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stderr.startswith("zyflow-git: ")
    assert see in proc.stderr and "Usage:" not in proc.stderr


def test_help_command() -> None:
    top = subprocess.run([ZYFLOW, "help"], capture_output=True, text=True, check=True).stdout
    assert "Commands:" in top and "merge-driver" in top
    one = subprocess.run([ZYFLOW, "help", "tasks"], capture_output=True, text=True, check=True).stdout
    assert "Usage: zyflow-git tasks" in one and "--worktree" in one
    assert subprocess.run([ZYFLOW, "help", "nope"], capture_output=True, text=True).returncode == 2


def test_reinstall_says_what_the_store_holds(big: Repo) -> None:
    out = big.zyflow("install").stdout
    assert "state store: 4000 tasks in 1 task file" in out


def husky_repo(tmp_path: Path) -> Repo:
    """A repository whose hooks husky owns (core.hooksPath .husky/_)."""
    r = Repo.create(tmp_path)
    r.write("tasks.md", "- [ ] a\n")
    r.commit("a")
    (r.root / ".husky" / "_").mkdir(parents=True)
    r.git("config", "core.hooksPath", ".husky/_")
    return r


def test_the_hook_manager_snippet_names_no_path_of_this_machine(tmp_path: Path) -> None:
    r = husky_repo(tmp_path)
    out = r.zyflow("install").stdout
    snippet = out[out.index("# .husky/post-commit"):]
    assert "/" not in snippet.replace("# .husky/", "").replace(">/dev/null", "").replace("2>&1", "")
    assert "command -v zyflow-git" in snippet and "not on PATH" in snippet
    hook = r.root / "post-commit.sh"
    hook.write_text("#!/bin/sh\n" + snippet.split("\n")[1] + "\n")
    hook.chmod(0o755)
    ran = subprocess.run([str(hook)], capture_output=True, text=True, cwd=r.root, env={**r.env, "PATH": "/usr/bin:/bin"})
    assert ran.returncode == 0 and "zyflow-git is not on PATH" in ran.stderr


def test_git_zyflow_works_once_on_path(big: Repo) -> None:
    proc = big.run("git", "zyflow", "tasks", "--json")
    assert len(json.loads(proc.stdout)) == 4000


def test_log_count_and_dates_in_gits_syntax_and_text_with_label_and_path(big: Repo) -> None:
    one = json.loads(big.zyflow("log", "-n", "1", "--json").stdout)
    assert len(one) == 1
    assert len(json.loads(big.zyflow("log", "--since", "2 weeks ago", "--json").stdout)) == 4000
    assert json.loads(big.zyflow("log", "--until", "2 weeks ago", "--json").stdout) == []
    assert json.loads(big.zyflow("log", "--since", "2099-01-01", "--json").stdout) == []
    text = big.zyflow("log", "-n", "1").stdout
    assert " 1.0 task number 0 with a title long enough   tasks.md  [Test Author: plan]" in text
    bad = big.zyflow("log", "--since", "the day after never", check=False)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_doctor_in_a_repository_never_installed_says_so_and_tasks_hints(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", "- [ ] a\n")
    r.commit("a")
    proc = r.zyflow("doctor", check=False)
    assert proc.returncode == 1 and "problem: zyflow-git is not installed in this repository" in proc.stdout
    tasks = r.zyflow("tasks")
    assert tasks.stderr.count("\n") == 1 and "not installed here: `zyflow-git install`" in tasks.stderr
    r.zyflow("install")
    assert "not installed" not in r.zyflow("tasks").stderr


def test_doctor_reports_and_only_repair_repairs(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", "- [ ] a\n")
    r.commit("a")
    r.zyflow("install")
    r.write("tasks.md", "- [x] a\n")
    r.git("-c", "core.hooksPath=/dev/null", "commit", "-q", "-am", "hooks skipped")
    for _ in range(2):  # the same report twice: a check does not repair
        proc = r.zyflow("doctor", check=False)
        assert proc.returncode == 1 and "does not mirror HEAD" in proc.stdout
    assert r.zyflow("doctor", "--repair", check=False).returncode == 0
    assert r.zyflow("doctor").returncode == 0


def test_doctor_sees_a_hook_manager_that_does_not_call_zyflow(tmp_path: Path) -> None:
    r = husky_repo(tmp_path)
    r.zyflow("install")
    proc = r.zyflow("doctor", check=False)
    assert proc.returncode == 1 and "hooks are managed by husky, and its configuration does not call zyflow-git" in proc.stdout


def test_uninstall_leaves_a_committed_gitattributes_section(tmp_path: Path) -> None:
    origin = Repo.create(tmp_path, "origin")
    origin.write("tasks.md", "- [ ] a\n")
    origin.commit("a")
    origin.zyflow("install", "--no-hooks")
    origin.commit("install")
    clone = Repo(tmp_path / "clone", origin.env)
    origin.run("git", "clone", "-q", str(origin.root), str(clone.root))
    clone.zyflow("install", "--no-hooks")
    out = json.loads(clone.zyflow("uninstall", "--json").stdout)["done"]
    assert any("left the zyflow-git section" in line and "committed" in line for line in out)
    assert "merge=zyflow" in clone.read(".gitattributes") and clone.git("status", "--porcelain") == ""


def test_json_on_set_install_and_resolve(big: Repo, tmp_path: Path) -> None:
    tid = json.loads(big.zyflow("tasks", "--json").stdout)[0]["id"]
    row = json.loads(big.zyflow("set", tid, "--assignee", "hal", "--json").stdout)
    assert (row["id"], row["assignee"], row["status"]) == (tid, "hal", "todo")
    done = json.loads(big.zyflow("install", "--json").stdout)["done"]
    assert any(line.startswith("merge driver registered") for line in done)
    f = tmp_path / "t.md"
    f.write_text("<<<<<<< a\n- [x] a\n||||||| b\n- [ ] a\n=======\n- [ ] a\n>>>>>>> c\n")
    res = json.loads(subprocess.run([ZYFLOW, "resolve", str(f), "--json"], capture_output=True, text=True).stdout)
    assert res == {"file": str(f), "regions": 1, "left": 0, "source": "markers", "kept": 0}


def test_the_shipped_manual_pages_are_the_commands_help() -> None:
    from zyflow_git.manpage import render

    man = Path(__file__).resolve().parents[1] / "man"
    for name in ("zyflow-git", "git-zyflow"):
        assert (man / f"{name}.1").read_text() == render(name), f"run: python -m zyflow_git.manpage man  ({name}.1 drifted)"


@pytest.mark.skipif(not shutil.which("man"), reason="man(1) is not installed here")
def test_git_zyflow_help_shows_the_manual_page(big: Repo) -> None:
    env = {**big.env, "MANPAGER": "cat", "PAGER": "cat", "GIT_PAGER": "cat", "MANWIDTH": "100"}
    proc = subprocess.run(["git", "zyflow", "--help"], cwd=big.root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "GIT-ZYFLOW(1)" in proc.stdout and "git zyflow tasks" in proc.stdout and "EXIT STATUS" in proc.stdout


def on_a_terminal(repo: Repo, *args: str, **env: str) -> str:
    """Run zyflow-git with its stdout on a 90-column pseudo-terminal; what it printed there."""
    return on_a_pty(repo, list(args), env={"TERM": "xterm", "COLUMNS": "90", "PAGER": "cat", **env}, timeout=60)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    r = Repo.create(tmp_path_factory.mktemp("small"))
    r.write("openspec/changes/add-login/tasks.md", "- [x] 1.1 Done task\n- [ ] 1.2 A task whose title is long enough "
            "to need cutting on a narrow terminal of ninety columns\n")
    r.commit("plan")
    r.zyflow("install")
    return r


def test_colour_and_width_on_a_terminal_plain_when_piped(small: Repo) -> None:
    shown = on_a_terminal(small, "tasks")
    assert "\x1b[32m" in shown and "\x1b[" in shown  # done in green
    lines = [line for line in shown.replace("\r", "").split("\n") if line]
    import re

    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert all(len(line) <= 90 for line in plain) and plain[1].endswith("openspec/changes/add-login/tasks.md:2")
    assert "…" in plain[1]
    piped = small.zyflow("tasks").stdout
    assert "\x1b[" not in piped and "cutting on a narrow terminal of ninety columns" in piped


@pytest.mark.parametrize("how", [{"NO_COLOR": "1"}, {"args": "--color=never"}])
def test_no_color_and_color_never(small: Repo, how: dict[str, str]) -> None:
    args = [how.pop("args")] if "args" in how else []
    assert "\x1b[" not in on_a_terminal(small, *args, "tasks", **how)


def test_color_always_when_piped(small: Repo) -> None:
    assert "\x1b[32m" in small.zyflow("--color=always", "tasks").stdout


def test_long_output_goes_through_the_pager_on_a_terminal(small: Repo) -> None:
    shown = on_a_terminal(small, "log", PAGER="sed 's/^/PAGED /'")
    assert "PAGED " in shown
    assert "PAGED" not in on_a_terminal(small, "--no-pager", "log", PAGER="sed 's/^/PAGED /'")
    assert "PAGED" not in small.zyflow("log").stdout  # never when piped


@pytest.mark.parametrize("name", ["post-commit", "post-checkout", "post-merge", "post-rewrite", "prepare-commit-msg"])
def test_the_hook_scripts_are_real_files_and_valid_sh(name: str, tmp_path: Path) -> None:
    """The shims live as files (zyflow_git/resources/hooks); install fills in two placeholders."""
    from zyflow_git.hooks import SCRIPTS, shim

    script = (SCRIPTS / name).read_text()
    assert "@EXE@" in script and "@PATHSPECS@" in script
    body = shim(name, "/opt/zyflow git/bin/zyflow-git", ("tasks.md", "docs/**/tasks.md"))
    assert "@" not in body.replace("$@", "") and "'/opt/zyflow git/bin/zyflow-git'" in body
    hook = tmp_path / name
    hook.write_text("#!/bin/sh\n" + body)
    assert subprocess.run(["sh", "-n", str(hook)], capture_output=True).returncode == 0


def test_the_driver_labels_its_markers_as_git_does_where_git_passes_the_labels(tmp_path: Path) -> None:
    from zyflow_git.install import LABELS_SINCE, driver_command, git_version

    base, ours, theirs = "- [ ] a\n", "- [ ] a one\n", "- [ ] a two\n"
    paths = []
    for name, text in (("b", base), ("o", ours), ("t", theirs)):
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    proc = subprocess.run([ZYFLOW, "merge-driver", *paths, "7", "tasks.md", "merged common ancestors", "HEAD", "feature"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert (tmp_path / "o").read_text() == "<<<<<<< HEAD\n- [ ] a one\n=======\n- [ ] a two\n>>>>>>> feature\n"
    assert driver_command("/x/zyflow-git", labels=True).startswith("/x/zyflow-git merge-driver %O %A %B %L %P %S %X %Y ||")
    assert "-L %X -L %S -L %Y" in driver_command("/x/zyflow-git", labels=True)
    r = Repo.create(tmp_path / "r")
    r.write("tasks.md", base)
    r.commit("a")
    r.zyflow("install", "--no-hooks")
    registered = r.git("config", "merge.zyflow.driver")
    assert ("%S %X %Y" in registered) == (git_version() >= LABELS_SINCE)


def test_a_wrapped_title_is_shown_whole_and_named_by_its_first_line(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", "- [ ] 2. **The hoist** done in\n      `persistence.hpp`, with tests\n  - a detail bullet\n- [ ] 3. Next\n")
    r.commit("plan")
    r.zyflow("install")
    rows = json.loads(r.zyflow("tasks", "--json").stdout)
    assert [t["title"] for t in rows] == ["**The hoist** done in `persistence.hpp`, with tests", "Next"]
    parsed = json.loads(r.zyflow("parse", "--json", "tasks.md").stdout)
    assert parsed[0]["title"] == rows[0]["title"]
    history = {e["id"] for e in json.loads(r.zyflow("log", "--json").stdout)}
    assert {t["id"] for t in rows} == history, "the id comes from the first line, as in history"
    r.write("tasks.md", r.read("tasks.md").replace("with tests", "with tests and docs"))
    r.commit("the wrapped line grows")
    assert json.loads(r.zyflow("tasks", "--json").stdout)[0]["id"] == rows[0]["id"]


def test_log_of_something_that_names_nothing_is_an_error(big: Repo) -> None:
    proc = big.zyflow("log", "1.3", check=False)
    assert proc.returncode == 2 and "'1.3': no task id, id prefix or task file by that name" in proc.stderr
    assert big.zyflow("log", "tasks.md", "-n", "1").returncode == 0
