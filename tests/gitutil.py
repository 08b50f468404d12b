"""Real-git helpers for tests: isolated environment, repositories in tmp_path, the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
ZYFLOW = str(VENV_BIN / "zyflow-git") if (VENV_BIN / "zyflow-git").exists() else shutil.which("zyflow-git") or "zyflow-git"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def isolated_env(home: Path) -> dict[str, str]:
    """git's environment with no system or user config, a fixed identity and dates."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    env.update({
        "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


class Repo:
    """A real repository in a temp folder, driven by the git CLI."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    @classmethod
    def create(cls, tmp_path: Path, name: str = "repo") -> "Repo":
        root = tmp_path / name
        root.mkdir(parents=True)
        repo = cls(root, isolated_env(tmp_path / "home"))
        repo.git("init", "-q")
        return repo

    @classmethod
    def installed(cls, tmp_path: Path, files: dict[str, str | bytes]) -> "Repo":
        """A repository whose first commit holds ``files``, with zyflow-git installed and committed."""
        repo = cls.create(tmp_path)
        for rel, text in files.items():
            repo.write(rel, text)
        repo.commit("plan")
        repo.zyflow("install")
        repo.commit("install")
        return repo

    def run(self, *args: str, check: bool = True, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(list(args), cwd=cwd or self.root, env=self.env, capture_output=True, text=True, input=input)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
        return proc

    def git(self, *args: str, check: bool = True) -> str:
        return self.run("git", *args, check=check).stdout

    def zyflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(ZYFLOW, *args, check=check)

    def store_path(self) -> Path:
        """Where this worktree's state store is."""
        return Path(self.git("rev-parse", "--path-format=absolute", "--git-path", "zyflow/state.db").strip())

    def store_query(self, sql: str) -> list[tuple]:
        """The rows ``sql`` reads from the state store, through a connection of its own."""
        import sqlite3

        conn = sqlite3.connect(self.store_path())
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def write(self, rel: str, text: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode())

    def read(self, rel: str) -> str:
        return (self.root / rel).read_bytes().decode()

    def commit(self, message: str, *paths: str) -> str:
        self.git("add", "-A", *paths)
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def diverge(self, rel: str, ours: str, theirs: str, branch: str = "feature") -> None:
        """Two concurrent edits of one file: ``branch`` commits ``theirs``, then the current
        branch commits ``ours`` (ready for ``git merge <branch>``)."""
        current = self.git("rev-parse", "--abbrev-ref", "HEAD").strip()
        self.git("checkout", "-q", "-b", branch)
        self.write(rel, theirs)
        self.commit(f"{branch}: edit {rel}")
        self.git("checkout", "-q", current)
        self.write(rel, ours)
        self.commit(f"{current}: edit {rel}")


def on_a_pty(repo: "Repo", args: list[str], *, stream: str = "stdout", env: dict[str, str] | None = None,
             timeout: float = 120) -> str:
    """Run zyflow-git with ``stream`` (stdout or stderr) on a pseudo-terminal and the other
    stream discarded; what it printed there."""
    import pty

    master, slave = pty.openpty()
    where = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: slave}
    proc = subprocess.Popen([ZYFLOW, *args], cwd=repo.root, stdout=where["stdout"], stderr=where["stderr"],
                            env={**repo.env, **(env or {})})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=timeout)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")
