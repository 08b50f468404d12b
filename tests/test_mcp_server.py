"""Issue 12: the MCP server, driven by the SDK's own client over stdio (a real subprocess each)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest

from .gitutil import ZYFLOW, Repo

mcp_client = pytest.importorskip("mcp.client.client")
from mcp.client.stdio import StdioServerParameters  # noqa: E402

PATH = "openspec/changes/login/tasks.md"
PLAN = "# Tasks\n\n## 1. Setup\n\n- [ ] 1.1 Create users table\n- [X] 1.2 Password hashing\n- [ ] 1.3 Login endpoint\n"
TOOLS = {"list_tasks", "ready_tasks", "show_task", "claim_task", "release_task", "set_status", "check_task",
         "uncheck_task", "add_task", "edit_task", "task_history", "replay"}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo.installed(tmp_path, {PATH: PLAN})


def server(repo: Repo, cwd: Path | None = None) -> Any:
    params = StdioServerParameters(command=ZYFLOW, args=["mcp"], cwd=str(cwd or repo.root), env=repo.env)
    return mcp_client.Client(params)


async def call(client: Any, tool: str, **arguments: Any) -> tuple[bool, dict]:
    """(is_error, the JSON object) of one tool call; the text content says the same."""
    r = await client.call_tool(tool, arguments)
    data = r.structured_content
    assert json.loads(r.content[0].text) == data
    return r.is_error, data


def run(test: Any) -> Any:
    return anyio.run(test)


def test_tools_are_listed_small_and_named_as_documented(repo: Repo) -> None:
    async def test() -> list[dict]:
        async with server(repo) as client:
            listed = await client.list_tools()
            return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools]

    tools = run(test)
    assert {t["name"] for t in tools} == TOOLS
    assert len(json.dumps(tools)) < 12 * 1024, "the tool list fits an agent's context"
    for t in tools:
        assert t["description"].count(". ") == 0 and t["description"].endswith("."), t["description"]
    claim = next(t for t in tools if t["name"] == "claim_task")
    assert set(claim["inputSchema"]["required"]) == {"task", "agent"} and "expected_version" in claim["inputSchema"]["properties"]


def test_claim_check_and_a_stale_version(repo: Repo) -> None:
    async def test() -> None:
        async with server(repo) as client:
            err, ready = await call(client, "ready_tasks")
            assert not err and [t["label"] for t in ready["tasks"]] == ["1.1", "1.3"]
            first = ready["tasks"][1]
            err, claimed = await call(client, "claim_task", task=first["id"], agent="agent-1",
                                      expected_version=first["version"])
            assert not err and (claimed["status"], claimed["assignee"]) == ("in_progress", "agent-1")
            assert claimed["version"] != first["version"]
            err, stale = await call(client, "check_task", task=first["id"], expected_version=first["version"])
            assert err and stale["error"]["code"] == "version_conflict"
            assert stale["error"]["current_version"] == claimed["version"] and stale["error"]["holder"] == "agent-1"
            err, done = await call(client, "check_task", task=f"{PATH}#1.3", expected_version=claimed["version"])
            assert not err and done["done"] is True
            err, hist = await call(client, "task_history", target=first["id"])
            assert [e["event"] for e in hist["events"]][:2] == ["status", "assigned"]

    run(test)
    assert (repo.root / PATH).read_bytes() == PLAN.replace("- [ ] 1.3", "- [X] 1.3").encode()


def test_errors_carry_codes(repo: Repo) -> None:
    async def test() -> None:
        async with server(repo) as client:
            assert (await call(client, "show_task", task="tnope"))[1]["error"]["code"] == "not_found"
            err, amb = await call(client, "show_task", task="t")
            assert err and amb["error"]["code"] == "ambiguous" and len(amb["error"]["candidates"]) == 3
            assert (await call(client, "set_status", task=f"{PATH}#1.1", status="bogus"))[1]["error"]["code"] == "bad_input"
            assert (await call(client, "claim_task", task=f"{PATH}#1.2", agent="a"))[1]["error"]["code"] == "claimed"
            repo.write(PATH, PLAN + "<<<<<<< a\n- [ ] x\n=======\n- [ ] y\n>>>>>>> b\n")
            assert (await call(client, "check_task", task=f"{PATH}#1.1"))[1]["error"]["code"] == "conflicted_file"

    run(test)


def test_two_clients_in_two_worktrees_see_each_other_and_race_to_one_owner(repo: Repo, tmp_path: Path) -> None:
    wt = Repo(tmp_path / "wt", repo.env)
    repo.git("worktree", "add", "-q", "--detach", str(wt.root), "HEAD")
    tid = json.loads(repo.zyflow("show", f"{PATH}#1.1", "--json").stdout)["id"]
    results: dict[str, tuple[bool, dict]] = {}

    async def test() -> None:
        async with server(repo) as a, server(repo, wt.root) as b:
            async def claim(client: Any, name: str) -> None:
                results[name] = await call(client, "claim_task", task=tid, agent=name)

            async with anyio.create_task_group() as group:
                group.start_soon(claim, a, "agent-a")
                group.start_soon(claim, b, "agent-b")
            winner = next(n for n, (err, _) in results.items() if not err)
            loser = next(n for n, (err, _) in results.items() if err)
            assert results[loser][1]["error"]["code"] == "claimed" and results[loser][1]["error"]["holder"] == winner
            for client in (a, b):  # each sees the claim at once
                assert (await call(client, "show_task", task=tid))[1]["assignee"] == winner
            err, _ = await call(b if winner == "agent-b" else a, "release_task", task=tid, agent=winner)
            assert not err
            assert (await call(a, "show_task", task=tid))[1]["assignee"] is None

    run(test)
    assert sorted(err for err, _ in results.values()) == [False, True]


def test_add_edit_list_and_replay(repo: Repo) -> None:
    async def test() -> None:
        async with server(repo) as client:
            err, added = await call(client, "add_task", title="Rate limits", after=f"{PATH}#1.3")
            assert not err and added["label"] == "1.4" and added["provisional"] is True
            err, edited = await call(client, "edit_task", task=f"{PATH}#1.1", title="Create the users table")
            assert not err and edited["title"] == "Create the users table"
            err, listed = await call(client, "list_tasks", status="done")
            assert [t["label"] for t in listed["tasks"]] == ["1.2"]
            err, old = await call(client, "replay", rev="HEAD~1")
            assert [t["title"] for t in old["tasks"]] == ["Create users table", "Password hashing", "Login endpoint"]

    run(test)


def test_a_repository_without_task_files(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("README.md", "nothing to do\n")
    r.commit("readme")

    async def test() -> None:
        async with server(r) as client:
            assert await call(client, "list_tasks") == (False, {"tasks": []})
            assert await call(client, "ready_tasks") == (False, {"tasks": []})

    run(test)


def test_started_outside_a_repository_it_says_so_and_exits_2(tmp_path: Path, repo: Repo) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    proc = subprocess.run([ZYFLOW, "mcp"], cwd=outside, env=repo.env, capture_output=True, text=True, input="", timeout=60)
    assert proc.returncode == 2 and "not a git repository" in proc.stderr and proc.stderr.count("\n") == 1
    proc = subprocess.run([ZYFLOW, "mcp", "--repo", str(outside / "missing")], env=repo.env, capture_output=True,
                          text=True, input="", timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def test_install_mcp_prints_registration_snippets(repo: Repo) -> None:
    out = repo.zyflow("install", "--mcp").stdout
    assert f"claude mcp add zyflow-git -- {ZYFLOW} mcp --repo {repo.root}" in out
    assert "[mcp_servers.zyflow-git]" in out and '"mcpServers"' in out
