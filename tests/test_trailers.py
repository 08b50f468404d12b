"""Optional Zyflow-Task commit trailers (prepare-commit-msg)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .gitutil import Repo

BASE = "- [ ] 1.1 one\n- [ ] 1.2 two\n"


def trailers(repo: Repo, rev: str = "HEAD") -> list[str]:
    out = repo.git("log", "-1", "--format=%(trailers:key=Zyflow-Task,valueonly)", rev)
    return [line for line in out.splitlines() if line.strip()]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo.create(tmp_path)
    r.write("tasks.md", BASE)
    r.write(".zyflow.toml", '[merge]\npatterns = ["tasks.md", "**/tasks.md"]\n\n[audit]\ntrailers = true\n')
    r.commit("plan")
    r.zyflow("install")
    r.commit("install")
    return r


def test_off_by_default(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", BASE)
    r.commit("plan")
    r.zyflow("install")
    r.write("tasks.md", BASE.replace("[ ] 1.1", "[x] 1.1"))
    r.commit("check")
    assert trailers(r) == []
    assert not (r.root / ".git" / "hooks" / "prepare-commit-msg").exists()


def test_trailers_name_store_ids_and_events(repo: Repo) -> None:
    repo.write("tasks.md", BASE.replace("[ ] 1.1", "[x] 1.1") + "- [ ] 1.3 three\n")
    repo.commit("check one, add three")
    ids = {t["title"]: t["id"] for t in json.loads(repo.zyflow("tasks", "--json").stdout)}
    assert sorted(trailers(repo)) == sorted([f"{ids['three']} added", f"{ids['one']} checked"])


def test_amend_does_not_duplicate(repo: Repo) -> None:
    repo.write("tasks.md", BASE.replace("[ ] 1.1", "[x] 1.1"))
    repo.commit("check one")
    repo.write("tasks.md", BASE.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2"))
    repo.git("commit", "-q", "-a", "--amend", "--no-edit")
    ids = {t["title"]: t["id"] for t in json.loads(repo.zyflow("tasks", "--json").stdout)}
    assert sorted(trailers(repo)) == sorted([f"{ids['one']} checked", f"{ids['two']} checked"])
    repo.git("commit", "-q", "--amend", "-m", "new message")
    assert sorted(trailers(repo)) == sorted([f"{ids['one']} checked", f"{ids['two']} checked"])


def test_merge_message_only_for_resolutions(repo: Repo) -> None:
    repo.diverge("tasks.md", BASE.replace("[ ] 1.2", "[x] 1.2"), BASE.replace("[ ] 1.1", "[x] 1.1"), branch="a")
    repo.git("merge", "--no-edit", "-q", "a")
    assert trailers(repo) == []  # each check was already recorded on its branch
    now = repo.read("tasks.md")
    repo.diverge("tasks.md", now.replace("1.2 two", "1.2 two from main"), now.replace("1.2 two", "1.2 two from b"), branch="b")
    assert repo.run("git", "merge", "--no-edit", "b", check=False).returncode == 1
    repo.write("tasks.md", repo.read("tasks.md").split("<<<<<<<")[0] + "- [x] 1.2 two from both\n")
    repo.git("add", "tasks.md")
    repo.git("commit", "-q", "--no-edit")
    ids = {t["title"]: t["id"] for t in json.loads(repo.zyflow("tasks", "--json").stdout)}
    assert trailers(repo) == [f"{ids['two from both']} edited"]


def test_uninstall_removes_the_trailer_hook(repo: Repo) -> None:
    hook = repo.root / ".git" / "hooks" / "prepare-commit-msg"
    assert hook.exists()
    repo.zyflow("uninstall")
    assert not hook.exists()
