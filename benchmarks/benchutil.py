"""What the benchmark scripts share: an isolated git environment and warm byte-code."""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "zyflow-git")


def env_for(home: Path) -> dict[str, str]:
    """git with no user or system config and a fixed identity; the venv's scripts on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x",
                "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x",
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    return env


def warm() -> None:
    """Byte-compile the package first: measure warm starts, as users get them."""
    compileall.compile_dir(str(ROOT / "zyflow_git"), quiet=1)


@contextmanager
def scratch(prefix: str) -> Iterator[tuple[Path, dict[str, str]]]:
    """A warm package, an empty folder ``repo`` in a temp dir and its git environment;
    the temp dir is removed afterwards."""
    warm()
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        root = tmp / "repo"
        root.mkdir()
        yield root, env_for(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def p50_p90(samples: list[float]) -> str:
    """Median and 90th percentile of timings in ms (p90 is the maximum below 10 samples)."""
    s = sorted(samples)
    p90 = s[int(len(s) * 0.9) - 1] if len(s) >= 10 else s[-1]
    return f"p50 {statistics.median(s):7.1f} ms   p90 {p90:7.1f} ms"


def launcher(tree: Path, folder: Path) -> str:
    """A zyflow-git command that runs the package of another checkout (``git worktree add
    /tmp/old REV``): for before-and-after figures in one run. Byte-compiles that tree."""
    compileall.compile_dir(str(tree / "zyflow_git"), quiet=1)
    # Named zyflow-git, in a folder of its own: `install` writes the path of the zyflow-git it
    # runs as into the hooks (a launcher of another name made it pick this venv's own script,
    # so hooks_bench's --against timed this code's hooks twice, until session 5).
    (folder / "against-bin").mkdir(exist_ok=True)
    exe = folder / "against-bin" / "zyflow-git"
    if (tree / "bin" / "zyflow-git").exists():  # a plain script there (session 5 on): started as it starts
        exe.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(tree)!r})\n"
                       "from zyflow_git.entry import script\nscript()\n")
    else:  # pip's console-script wrapper, which imports re first
        exe.write_text(f"#!{sys.executable}\nimport re\nimport sys\nsys.path.insert(0, {str(tree)!r})\n"
                       "from zyflow_git.entry import main\nif __name__ == '__main__':\n    sys.exit(main())\n")
    exe.chmod(0o755)
    return str(exe)


def against_copy(tree: Path, root: Path, env: dict[str, str], *commands: list[str]) -> tuple[str, Path]:
    """For ``--against TREE``: a copy of the benchmark repository ``root`` without zyflow-git's
    store, and a command running TREE's code (``launcher``); each of ``commands`` (install, a
    warm-up) is run with it in the copy first."""
    import subprocess

    copy = root.parent / "against"
    shutil.copytree(root, copy, symlinks=True)
    shutil.rmtree(copy / ".git" / "zyflow", ignore_errors=True)
    exe = launcher(tree, root.parent)
    for command in commands:
        subprocess.run([exe, *command], cwd=copy, env=env, check=True, capture_output=True)
    return exe, copy
