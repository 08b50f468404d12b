"""What the benchmark scripts share: an isolated git environment and warm byte-code."""

from __future__ import annotations

import compileall
import os
import sys
from pathlib import Path

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
