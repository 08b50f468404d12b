"""History as the event log: exact events from scripted histories; replay; blame."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from zyflow_git.core.parse import parse_bytes

from .gitutil import Repo

V1 = "# Tasks\n\n## 1. Build\n\n- [ ] 1.1 Parser\n- [ ] 1.2 Renderer\n\n## 2. Ship\n\n- [ ] 2.1 Release\n"
V2 = V1.replace("[ ] 1.1", "[x] 1.1")
V3 = V2.replace("- [x] 1.1 Parser\n- [ ] 1.2 Renderer\n", "- [ ] 1.1 Model\n- [x] 1.2 Parser\n- [ ] 1.3 Renderer\n")
V4 = V3.replace("1.3 Renderer", "1.3 Byte-exact renderer")
V5 = V4.replace("- [ ] 2.1 Release\n", "").replace("1.3 Byte-exact renderer\n", "1.3 Byte-exact renderer\n- [ ] 1.4 Release\n")
V6 = V5.replace("[x] 1.2 Parser", "[ ] 1.2 Parser")
V7 = V6.replace("- [ ] 1.1 Model\n", "")


def log(repo: Repo, *args: str) -> list[dict]:
    return json.loads(repo.zyflow("log", "--json", *args).stdout)


def brief(entries: list[dict]) -> list[tuple]:
    out = []
    for e in entries:
        extra = e.get("old_title") or (tuple(e["old_section"]) if e["event"] == "moved" else None) or \
            (e.get("old_label") if e["event"] == "relabelled" else None)
        out.append((e["subject"], e["event"], e["title"], extra))
    return out


@pytest.fixture
def linear(tmp_path: Path) -> tuple[Repo, list[str]]:
    repo = Repo.create(tmp_path)
    shas = []
    for text, msg in [(V1, "plan"), (V2, "check parser"), (V3, "insert model"), (V4, "reword renderer"),
                      (V5, "move release"), (V6, "uncheck parser"), (V7, "drop model")]:
        repo.write("tasks.md", text)
        shas.append(repo.commit(msg))
    return repo, shas


def test_linear_history_events_in_order(linear: tuple[Repo, list[str]]) -> None:
    repo, _ = linear
    assert brief(log(repo)) == [
        ("drop model", "removed", "Model", None),
        ("uncheck parser", "unchecked", "Parser", None),
        ("move release", "moved", "Release", ("Tasks", "2. Ship")),
        ("move release", "relabelled", "Release", "2.1"),
        ("reword renderer", "edited", "Byte-exact renderer", "Renderer"),
        ("insert model", "added", "Model", None),
        ("insert model", "relabelled", "Parser", "1.1"),
        ("insert model", "relabelled", "Renderer", "1.2"),
        ("check parser", "checked", "Parser", None),
        ("plan", "added", "Parser", None),
        ("plan", "added", "Renderer", None),
        ("plan", "added", "Release", None),
    ]


def test_ids_follow_tasks_and_match_the_store(linear: tuple[Repo, list[str]]) -> None:
    repo, _ = linear
    entries = log(repo)
    parser_ids = {e["id"] for e in entries if e["title"] == "Parser"}
    renderer_ids = {e["id"] for e in entries if "enderer" in e["title"]}
    assert len(parser_ids) == 1 and len(renderer_ids) == 1 and parser_ids != renderer_ids
    store = {t["title"]: t["id"] for t in json.loads(repo.zyflow("tasks", "--json").stdout)}
    assert store["Parser"] in parser_ids and store["Byte-exact renderer"] in renderer_ids
    by_id = log(repo, store["Parser"])
    assert [e["event"] for e in by_id] == ["unchecked", "relabelled", "checked", "added"]
    required = {"event", "id", "path", "title", "commit", "author", "date", "subject"}
    assert all(required <= set(e) for e in entries)


def test_filters(linear: tuple[Repo, list[str]]) -> None:
    repo, _ = linear
    assert len(log(repo, "tasks.md")) == 12
    assert log(repo, "--author", "nobody") == []
    assert len(log(repo, "--author", "test author")) == 12
    assert len(log(repo, "--since", "2000-01-01")) == 12
    assert log(repo, "--since", "2999-01-01") == []
    bad = repo.zyflow("log", "--since", "yesterday-ish", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_replay_equals_the_file_at_each_commit(linear: tuple[Repo, list[str]]) -> None:
    repo, shas = linear
    for sha in shas:
        replayed = json.loads(repo.zyflow("replay", sha, "--json").stdout)
        data = subprocess.run(["git", "show", f"{sha}:tasks.md"], cwd=repo.root, env=repo.env,
                              capture_output=True, check=True).stdout
        want = [(t.label, t.title, t.done) for t in parse_bytes(data).tasks]
        assert [(r["label"], r["title"], r["done"]) for r in replayed] == want
    tasks_now = json.loads(repo.zyflow("tasks", "--json").stdout)
    replay_head = json.loads(repo.zyflow("replay", "HEAD", "--json").stdout)
    assert [r["id"] for r in replay_head] == [t["id"] for t in tasks_now]
    assert repo.zyflow("replay", "no-such-rev", check=False).returncode == 2


def test_blame_names_the_commits(linear: tuple[Repo, list[str]]) -> None:
    repo, shas = linear
    rows = {r["title"]: r for r in json.loads(repo.zyflow("blame", "tasks.md", "--json").stdout)}
    assert rows["Parser"]["added"]["commit"] == shas[0]
    assert rows["Parser"]["state"]["commit"] == shas[5] and rows["Parser"]["state"]["event"] == "unchecked"
    assert rows["Release"]["added"]["commit"] == shas[0] and rows["Release"]["state"] is None
    assert repo.zyflow("blame", "nope.md", check=False).returncode == 2


def test_merges_count_each_change_once_and_resolutions_on_the_merge(tmp_path: Path) -> None:
    repo = Repo.installed(tmp_path, {"tasks.md": V1})
    repo.git("checkout", "-q", "-b", "a")
    repo.write("tasks.md", V1.replace("[ ] 1.1", "[x] 1.1").replace("2.1 Release", "2.1 Release v1"))
    repo.commit("a: parser, release v1")
    repo.git("checkout", "-q", "main")
    repo.write("tasks.md", V1.replace("[ ] 1.2", "[x] 1.2").replace("2.1 Release", "2.1 Release to PyPI"))
    repo.commit("main: renderer, release to pypi")
    assert repo.run("git", "merge", "--no-edit", "a", check=False).returncode == 1  # 2.1 reworded twice
    resolved = V1.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2").replace("2.1 Release", "2.1 Release v1 to PyPI")
    repo.write("tasks.md", resolved)
    repo.git("add", "tasks.md")
    repo.git("commit", "-q", "--no-edit")
    entries = brief(log(repo))
    merge_events = [e for e in entries if e[0].startswith("Merge")]
    assert merge_events == [(entries[0][0], "edited", "Release v1 to PyPI", "Release to PyPI")]
    checked = [(e[0], e[2]) for e in entries if e[1] == "checked"]
    assert sorted(checked) == [("a: parser, release v1", "Parser"), ("main: renderer, release to pypi", "Renderer")]


def test_rebase_shows_rewritten_commits_once(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    repo.write("tasks.md", V1)
    repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("tasks.md", V1.replace("[ ] 2.1", "[x] 2.1"))
    repo.commit("release done")
    assert [e[1:3] for e in brief(log(repo))][0] == ("checked", "Release")  # cached before the rebase
    repo.git("checkout", "-q", "main")
    repo.write("notes.txt", "x\n")
    repo.commit("unrelated")
    repo.git("checkout", "-q", "feature")
    repo.git("rebase", "-q", "main")
    entries = log(repo)
    checked = [e for e in entries if e["event"] == "checked"]
    assert len(checked) == 1 and checked[0]["commit"] == repo.git("rev-parse", "HEAD").strip()


def test_file_rename_keeps_ids(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path)
    repo.write("tasks.md", V1)
    repo.commit("plan")
    before = {e["title"]: e["id"] for e in log(repo)}
    (repo.root / "plan").mkdir()
    repo.git("mv", "tasks.md", "plan/tasks.md")
    repo.write("plan/tasks.md", V1.replace("[ ] 1.2", "[x] 1.2"))
    repo.commit("move the plan, renderer done")
    entries = log(repo)
    assert [(e["event"], e["title"], e["path"]) for e in entries[:1]] == [("checked", "Renderer", "plan/tasks.md")]
    assert entries[0]["id"] == before["Renderer"]
