"""Issue 16: runtime state through a remote (two clones and a bare repository), task state
across branches, preview, and ci-merge with the workflow script of docs/forges.md."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .gitutil import ZYFLOW, Repo

PLAN = "# Plan\n\n## 1. Setup\n\n- [ ] 1.1 Users table\n- [ ] 1.2 Password hashing\n- [ ] 1.3 Login endpoint\n"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "forges.md"


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Repo, Repo, Path]:
    """Two clones of one bare repository (two machines), both installed."""
    seed = Repo.create(tmp_path, "seed")
    bare = tmp_path / "remote.git"
    seed.run("git", "init", "-q", "--bare", str(bare))
    seed.write("tasks.md", PLAN)
    seed.commit("plan")
    seed.git("remote", "add", "origin", str(bare))
    seed.git("push", "-q", "origin", "HEAD:main")
    clones = []
    for name in ("a", "b"):
        seed.run("git", "clone", "-q", str(bare), str(tmp_path / name))
        r = Repo(tmp_path / name, dict(seed.env))
        r.zyflow("install")
        clones.append(r)
    return clones[0], clones[1], bare


def state(repo: Repo) -> dict[str, tuple]:
    return {t["label"]: (t["status"], t["assignee"], t["note"]) for t in json.loads(repo.zyflow("tasks", "--json").stdout)}


def test_a_claim_made_on_one_machine_holds_on_another(machines: tuple[Repo, Repo, Path]) -> None:
    a, b, _ = machines
    a.zyflow("claim", "tasks.md#1.1", "--as", "alice", "--remote")
    proc = b.zyflow("claim", "tasks.md#1.1", "--as", "bob", "--remote", check=False)
    assert proc.returncode == 4 and "held by alice" in proc.stderr and "origin's runtime log" in proc.stderr
    assert state(b)["1.1"][:2] == ("in_progress", "alice"), "the fetch brought the claim along"
    b.zyflow("claim", "tasks.md#1.2", "--as", "bob", "--remote")
    a.zyflow("pull")
    assert state(a)["1.2"][:2] == ("in_progress", "bob")


def test_the_mcp_tool_claims_across_machines_too(machines: tuple[Repo, Repo, Path]) -> None:
    import anyio

    from .test_mcp_server import call, server

    a, b, _ = machines
    a.zyflow("claim", "tasks.md#1.2", "--as", "alice", "--remote")

    async def test() -> None:
        async with server(b) as client:
            err, out = await call(client, "claim_task", task="tasks.md#1.2", agent="bot", remote="origin")
            assert err and out["error"]["code"] == "claimed" and out["error"]["holder"] == "alice"
            err, out = await call(client, "claim_task", task="tasks.md#1.3", agent="bot", remote="origin")
            assert not err and out["assignee"] == "bot"

    anyio.run(test)
    a.zyflow("pull")
    assert state(a)["1.3"][:2] == ("in_progress", "bot")


def test_racing_remote_claims_give_one_owner(machines: tuple[Repo, Repo, Path]) -> None:
    a, b, _ = machines
    procs = [subprocess.Popen([ZYFLOW, "claim", "tasks.md#1.3", "--as", name, "--remote"], cwd=r.root, env=r.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for r, name in ((a, "alice"), (b, "bob"), (a, "anna"), (b, "ben"))]
    codes = [p.wait(timeout=120) for p in procs]
    assert sorted(codes) == [0, 4, 4, 4], [p.stderr.read() for p in procs]  # type: ignore[union-attr]
    winner = ("alice", "bob", "anna", "ben")[codes.index(0)]
    a.zyflow("pull")
    b.zyflow("pull")
    assert state(a)["1.3"][1] == state(b)["1.3"][1] == winner


@pytest.mark.parametrize("first", ["a", "b"])
def test_concurrent_writes_converge_after_push_and_pull_in_either_order(machines: tuple[Repo, Repo, Path], first: str) -> None:
    a, b, bare = machines
    a.zyflow("set", "tasks.md#1.1", "--note", "from a")
    a.zyflow("set", "tasks.md#1.2", "--status", "blocked")
    b.zyflow("set", "tasks.md#1.1", "--note", "from b")  # later: wins on 1.1's note
    b.zyflow("set", "tasks.md#1.3", "--assignee", "bob")
    one, two = (a, b) if first == "a" else (b, a)
    one.zyflow("push")
    two.zyflow("push")
    one.zyflow("pull")
    assert state(a) == state(b)
    assert state(a)["1.1"][2] == "from b" and state(a)["1.2"][0] == "blocked" and state(a)["1.3"][1] == "bob"
    events = a.git("log", "--format=%s", "--no-merges", "refs/zyflow/runtime").splitlines()
    assert len(events) == 4, "every event of both machines is kept"


def test_an_hour_of_clock_skew_does_not_reorder_what_a_machine_saw(machines: tuple[Repo, Repo, Path]) -> None:
    a, b, _ = machines
    b.env["ZYFLOW_GIT_CLOCK_SKEW"] = "-3600"  # b's clock is an hour behind
    a.zyflow("set", "tasks.md#1.1", "--note", "a, on time")
    a.zyflow("push")
    b.zyflow("pull")
    b.zyflow("set", "tasks.md#1.1", "--note", "b, after reading a")  # an hour "earlier" by b's clock
    b.zyflow("push")
    a.zyflow("pull")
    assert state(a)["1.1"][2] == state(b)["1.1"][2] == "b, after reading a"
    # concurrent writes (neither saw the other): one deterministic answer on both machines
    a.zyflow("set", "tasks.md#1.2", "--note", "a again")
    b.zyflow("set", "tasks.md#1.2", "--note", "b again")
    b.zyflow("push")
    a.zyflow("push")
    b.zyflow("pull")
    assert state(a) == state(b)


def test_install_share_makes_plain_fetch_and_push_carry_the_log(machines: tuple[Repo, Repo, Path]) -> None:
    a, b, _ = machines
    before = a.git("config", "--list", "--local")
    said = a.zyflow("install", "--share").stdout
    assert "git config --add remote.origin.fetch +refs/zyflow/runtime:refs/zyflow-remote/origin/runtime" in said
    b.zyflow("install", "--share")
    a.zyflow("set", "tasks.md#1.1", "--assignee", "alice")
    a.git("push", "-q")
    b.git("fetch", "-q")
    assert state(b)["1.1"][1] == "alice", "a plain git fetch, then any command, has it"
    a.zyflow("set", "tasks.md#1.2", "--note", "packed")
    a.git("push", "-q")
    b.git("fetch", "-q")
    b.git("pack-refs", "--all")  # the fetched log only in packed-refs now
    assert not (b.root / ".git" / "refs" / "zyflow-remote").exists() or not any((b.root / ".git" / "refs" / "zyflow-remote").rglob("runtime"))
    assert state(b)["1.2"][2] == "packed"
    a.zyflow("uninstall")
    after = a.git("config", "--list", "--local")
    assert "zyflow" not in after and sorted(after.splitlines()) == sorted(
        line for line in before.splitlines() if "zyflow" not in line)


# -- task state across branches, preview, ci-merge ---------------------------------------------------


def test_tasks_beside_twenty_branches(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", PLAN)
    r.commit("plan")
    for n in range(20):
        r.git("checkout", "-q", "-b", f"agent-{n:02d}", "main")
        if n % 2:
            r.write("tasks.md", PLAN.replace("- [ ] 1.1", "- [x] 1.1"))
        else:
            r.write("tasks.md", PLAN + f"- [ ] 1.{4 + n} Step of agent {n}\n")
        r.commit(f"agent {n}")
    r.git("checkout", "-q", "main")
    found = json.loads(r.zyflow("tasks", "--branches", "--json").stdout)
    assert len(found["branches"]) == 20 and found["current"] == "main"
    f = found["files"][0]
    users = next(t for t in f["tasks"] if t["label"] == "1.1")
    assert sorted(users["on"]) == [f"agent-{n:02d}" for n in range(1, 20, 2)]
    assert all(d == {"change": "checked", "done": True} for d in users["on"].values())
    assert sorted(o["branch"] for o in f["only_on"]) == [f"agent-{n:02d}" for n in range(0, 20, 2)]
    text = r.zyflow("tasks", "--branches", "agent-0*").stdout
    assert "checked on agent-01" in text and "added on agent-00" in text and "agent-11" not in text
    assert r.git("status", "--porcelain") == ""


def test_preview_is_what_git_merge_then_does_and_touches_nothing(tmp_path: Path) -> None:
    r = Repo.installed(tmp_path, {"tasks.md": PLAN})
    r.diverge("tasks.md", PLAN.replace("[ ] 1.2", "[x] 1.2"), PLAN.replace("[ ] 1.1", "[x] 1.1") + "- [ ] 1.4 Sessions\n")
    head, index = r.git("rev-parse", "HEAD"), r.git("write-tree")
    out = json.loads(r.zyflow("preview", "feature", "--json").stdout)
    assert out["clean"] and out["files"][0]["status"] == "clean"
    assert {(c["event"], c["label"]) for c in out["files"][0]["changes"]} == {("checked", "1.1"), ("added", "1.4")}
    assert r.git("rev-parse", "HEAD") == head and r.git("write-tree") == index and r.git("status", "--porcelain") == ""
    r.git("merge", "-q", "--no-edit", "feature")
    assert r.git("rev-parse", "HEAD^{tree}").strip() == out["tree"]
    # a true conflict: exit 1, the task both sides touched named
    r.diverge("tasks.md", r.read("tasks.md").replace("1.3 Login endpoint", "1.3 Login API"),
              r.read("tasks.md").replace("1.3 Login endpoint", "1.3 Login service"), branch="other")
    proc = r.zyflow("preview", "other", check=False)
    assert proc.returncode == 1 and "tasks.md: conflict" in proc.stdout and "both sides touched: Login endpoint" in proc.stdout


def _workflow_script() -> str:
    """The `run:` block of the merge step of docs/forges.md's GitHub workflow."""
    text = DOCS.read_text()
    block = text.split("- name: Merge the base branch, task files by task", 1)[1].split("```", 1)[0]
    lines = block.split("run: |\n", 1)[1].splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    return "\n".join(line[indent:] for line in lines if line.strip()) + "\n"


def _pull_request(tmp_path: Path, theirs: str) -> tuple[Repo, Path]:
    """A bare remote with main and a pull request branch `pr` that conflicts with main by lines."""
    dev = Repo.create(tmp_path, "dev")
    bare = tmp_path / "forge.git"
    dev.run("git", "init", "-q", "--bare", str(bare))
    dev.write("tasks.md", PLAN)
    dev.zyflow("install", "--no-hooks")
    dev.commit("plan, merged by task")  # .gitattributes committed, as a project using it does
    dev.git("remote", "add", "origin", str(bare))
    dev.diverge("tasks.md", PLAN.replace("[ ] 1.2", "[x] 1.2"), theirs, branch="pr")
    dev.git("push", "-q", "origin", "main", "pr")
    return dev, bare


def test_the_documented_workflow_merges_a_pull_request_that_conflicts_only_in_tasks(tmp_path: Path) -> None:
    _, bare = _pull_request(tmp_path, PLAN.replace("[ ] 1.1", "[x] 1.1").replace("1.3 Login endpoint", "1.3 Login API"))
    ci = Repo(tmp_path / "ci", Repo.create(tmp_path, "unused").env)
    ci.run("git", "clone", "-q", "--branch", "pr", str(bare), str(ci.root), cwd=tmp_path)
    assert ci.run("git", "merge-tree", "--write-tree", "HEAD", "origin/main", check=False).returncode == 1, \
        "git's line merge (what the forge sees) conflicts"
    env = {**ci.env, "BASE": "main", "HEAD_REF": "pr"}
    proc = subprocess.run(["bash", "-e", "-c", _workflow_script()], cwd=ci.root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "task files merged by task: tasks.md" in proc.stdout
    check = Repo(tmp_path / "check", ci.env)
    ci.run("git", "clone", "-q", "--branch", "pr", str(bare), str(check.root), cwd=tmp_path)
    assert check.read("tasks.md") == PLAN.replace("[ ] 1.1", "[x] 1.1").replace("[ ] 1.2", "[x] 1.2").replace(
        "1.3 Login endpoint", "1.3 Login API")
    assert check.run("git", "merge-tree", "--write-tree", "HEAD", "origin/main", check=False).returncode == 0, \
        "the forge now sees no conflict"


def test_ci_merge_with_a_true_conflict_changes_nothing_and_exits_1(tmp_path: Path) -> None:
    _, bare = _pull_request(tmp_path, PLAN.replace("[ ] 1.2", "[ ] 1.2").replace("1.2 Password hashing", "1.2 Argon2"))
    ci = Repo(tmp_path / "ci", Repo.create(tmp_path, "unused").env)
    ci.run("git", "clone", "-q", "--branch", "pr", str(bare), str(ci.root), cwd=tmp_path)
    ci.git("config", "user.name", "ci")
    ci.git("config", "user.email", "ci@example.com")
    ci.write("tasks.md", ci.read("tasks.md").replace("1.2 Argon2", "1.2 scrypt"))
    ci.commit("reword again")
    main = PLAN.replace("1.2 Password hashing", "1.2 bcrypt")
    seed = Repo(tmp_path / "dev", ci.env)
    seed.git("checkout", "-q", "main")
    seed.write("tasks.md", main)
    seed.commit("main rewords 1.2")
    seed.git("push", "-q", "origin", "main")
    ci.git("fetch", "-q", "origin", "main")
    head = ci.git("rev-parse", "HEAD")
    proc = ci.zyflow("ci-merge", "origin/main", check=False)
    assert proc.returncode == 1 and "tasks.md" in proc.stderr
    assert ci.git("rev-parse", "HEAD") == head and ci.git("status", "--porcelain") == ""
    assert ci.zyflow("ci-merge", "nope", check=False).returncode == 2


def test_workflow_yaml_in_the_docs_is_well_formed() -> None:
    text = DOCS.read_text()
    assert "ref: ${{ github.head_ref }}" in text and "zyflow-git ci-merge \"origin/$BASE\"" in text
    assert re.search(r"permissions:\n  contents: write", text)
    assert os.path.exists(DOCS)
