"""The layering holds: the core does no IO, the driver imports nothing heavy, every command is
documented."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "zyflow_git"
IO_MODULES = {"os", "io", "subprocess", "pathlib", "sqlite3", "sqlite_utils", "pygit2", "shutil",
              "tempfile", "socket", "click", "glob"}


@pytest.mark.parametrize("module", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_module_does_no_io(module: Path) -> None:
    tree = ast.parse(module.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [(node.module or "").split(".")[0]] if node.level == 0 else []
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            pytest.fail(f"{module.name}:{node.lineno} calls open()")
        else:
            continue
        assert not set(names) & IO_MODULES, f"{module.name}:{node.lineno} imports {names}"


def test_merge_driver_imports_nothing_heavy() -> None:
    code = ("import sys; import zyflow_git.entry, zyflow_git.mergedriver, zyflow_git.core.merge, "
            "zyflow_git.fsio, zyflow_git.gitcli; print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    heavy = {"click", "pygit2", "sqlite_utils", "sqlite3", "markdown_it", "dataclasses", "tempfile", "subprocess"}
    assert not loaded & heavy


def test_the_hook_path_imports_nothing_it_does_not_need() -> None:
    """A hook runs inside someone's git checkout: no click, pygit2, sqlite-utils, markdown-it,
    and not typing (~4 ms) either."""
    code = "import sys; import zyflow_git.hookrun, zyflow_git.reconcile; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & {"click", "pygit2", "sqlite_utils", "markdown_it", "typing", "dataclasses", "hashlib"}


def test_plain_tasks_starts_without_click_or_typing() -> None:
    """What scripts and agents run most starts from the entry point: no click, no typing."""
    code = ("import sys; import zyflow_git.entry, zyflow_git.tasks_report, zyflow_git.taskview, zyflow_git.runtime, "
            "zyflow_git.remotes; print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & {"click", "pygit2", "sqlite_utils", "markdown_it", "typing", "zyflow_git.worktree"}


def test_every_command_has_help() -> None:
    from zyflow_git.cli import COMMANDS, cli
    from click import Context

    ctx = Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and (command.help or "").strip(), name
    readme = (PACKAGE.parent / "README.md").read_text()
    for name in COMMANDS:
        assert name in readme, f"README does not mention `{name}`"


def test_the_package_type_checks() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", str(PACKAGE)],
                          capture_output=True, text=True, cwd=PACKAGE.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_real_tasks_run_and_a_real_merge_import_nothing_they_do_not_need(tmp_path: Path) -> None:
    """Whole runs, not just module imports: what a piped `tasks` and a clean merge load (a
    function-level import counts too). subprocess, hashlib (OpenSSL), click and typing cost
    milliseconds of every start."""
    from .gitutil import ZYFLOW, Repo

    repo = Repo.installed(tmp_path / "r", {"tasks.md": "- [ ] 1.1 One\n- [x] 1.2 Two\n"})

    def imported(*args: str, cwd: Path) -> set[str]:
        proc = subprocess.run([sys.executable, "-X", "importtime", ZYFLOW, *args], cwd=cwd, env=repo.env,
                              capture_output=True, text=True)
        return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}

    unwanted = {"subprocess", "hashlib", "click", "typing", "pygit2", "markdown_it"}
    # The first command after a commit reads the new commits of history: a short walk, with git
    # processes, not pygit2 (~150 ms to import).
    assert not imported("tasks", cwd=repo.root) & {"pygit2", "click", "markdown_it", "subprocess"}
    # A read of a fresh store needs no pattern, no JSON and no Path either (~30 ms of imports).
    assert not imported("tasks", cwd=repo.root) & (unwanted | {"re", "json", "pathlib", "enum"})
    (tmp_path / "m").mkdir()
    for name, text in (("base", "- [ ] a\n- [ ] b\n"), ("ours", "- [x] a\n- [ ] b\n"), ("theirs", "- [ ] a\n- [x] b\n")):
        (tmp_path / "m" / name).write_text(text)
    assert not imported("merge-driver", "base", "ours", "theirs", "7", "tasks.md", cwd=tmp_path / "m") & unwanted
    assert (tmp_path / "m" / "ours").read_text() == "- [x] a\n- [x] b\n"
