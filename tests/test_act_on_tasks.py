"""Issue 11: acting on tasks by id or PATH#LABEL, with versions (show, check, add, edit, claim,
ready, prime), on real repositories through the real CLI; races with real processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .gitutil import ZYFLOW, Repo
from .test_roundtrip import CORPUS

PATH = "openspec/changes/login/tasks.md"
PLAN = (
    "# Tasks\n\n## 1. Setup\n\n"
    "- [ ] 1.1 Create users table\n"
    "- [X] 1.2 Password hashing\n"
    "  - bcrypt, cost 12\n"
    "- [ ] 1.3 Login endpoint\n\n"
    "## 2. Build\n\n"
    "- [ ] 2.1 Form\n"
    "  - [ ] 2.1.1 Fields\n"
    "  - [ ] 2.1.2 Validation\n"
    "- [ ] 2.2 Styles\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo.installed(tmp_path, {PATH: PLAN})


def tasks(repo: Repo, *args: str) -> dict[str, dict]:
    return {t["label"]: t for t in json.loads(repo.zyflow("tasks", "--json", *args).stdout)}


def act(repo: Repo, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return repo.zyflow(*args, check=check)


def as_json(proc: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(proc.stdout)


# -- selectors -------------------------------------------------------------------------------------


def test_a_task_is_named_by_id_prefix_or_path_and_label(repo: Repo) -> None:
    t = tasks(repo)["1.3"]
    for sel in (t["id"], t["id"][:7], f"{PATH}#1.3"):
        shown = as_json(act(repo, "show", sel, "--json"))
        assert (shown["id"], shown["title"], shown["version"]) == (t["id"], "Login endpoint", t["version"])
    # from a folder below the top, PATH is relative to it
    inside = act(repo, "show", "changes/login/tasks.md#1.3", "--json", check=False)
    assert inside.returncode == 2  # relative to the top, that path is not a task file
    proc = repo.run(ZYFLOW, "show", "tasks.md#1.3", "--json", cwd=repo.root / "openspec/changes/login")
    assert json.loads(proc.stdout)["id"] == t["id"]


def test_a_selector_naming_nothing_or_several_is_exit_2_everywhere(repo: Repo) -> None:
    for args in (("show", "tzzz"), ("check", "nope"), ("log", "nope"), ("claim", "nope", "--as", "a"),
                 ("show", f"{PATH}#9.9"), ("show", "missing/tasks.md#1.1"), ("ready", "nowhere/")):
        proc = act(repo, *args, check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    proc = act(repo, "set", "1.3", "--status", "blocked", check=False)
    assert proc.returncode == 2 and f"did you mean {PATH}#1.3?" in proc.stderr
    proc = act(repo, "show", "t", check=False)  # every id starts with t
    assert proc.returncode == 2 and "prefix of 7 task ids" in proc.stderr
    assert all(t["id"] in proc.stderr for t in tasks(repo).values())


def test_log_answers_by_path_and_label(repo: Repo) -> None:
    act(repo, "check", f"{PATH}#1.3", "--commit")
    entries = json.loads(act(repo, "log", f"{PATH}#1.3", "--json").stdout)
    assert [e["event"] for e in entries] == ["checked", "added"]
    assert entries[0]["subject"] == "Check 1.3 Login endpoint"


# -- check, uncheck, edit, add: byte for byte ------------------------------------------------------


def test_check_and_uncheck_change_one_byte_in_the_files_spelling(repo: Repo) -> None:
    before = (repo.root / PATH).read_bytes()
    out = as_json(act(repo, "check", f"{PATH}#1.1", "--json"))
    assert out["done"] is True and out["changed"] is True and out["status"] == "done"
    assert (repo.root / PATH).read_bytes() == before.replace(b"- [ ] 1.1", b"- [X] 1.1")  # the file says [X]
    again = as_json(act(repo, "check", f"{PATH}#1.1", "--json"))
    assert again["changed"] is False
    act(repo, "uncheck", f"{PATH}#1.1")
    assert (repo.root / PATH).read_bytes() == before


def test_edit_rewords_keeping_label_box_and_details(repo: Repo) -> None:
    t = tasks(repo)["1.2"]
    out = as_json(act(repo, "edit", t["id"], "--title", "Hash passwords with argon2", "--json"))
    assert out["id"] == t["id"] and out["label"] == "1.2" and out["done"] is True
    assert repo.read(PATH) == PLAN.replace("1.2 Password hashing", "1.2 Hash passwords with argon2")
    bad = act(repo, "edit", t["id"], "--title", "two\nlines", check=False)
    assert bad.returncode == 2 and repo.read(PATH).count("argon2") == 1


def test_add_labels_the_task_as_the_file_numbers(repo: Repo) -> None:
    a = as_json(act(repo, "add", "Rate limits", "--after", f"{PATH}#1.3", "--json"))
    assert a["label"] == "1.4" and a["provisional"] is True
    b = as_json(act(repo, "add", "Error states", "--under", f"{PATH}#2.1", "--json"))
    assert b["label"] == "2.1.3"
    c = as_json(act(repo, "add", "Deploy", "--in", f"{PATH}#2. Build", "--json"))
    assert c["label"] == "2.3"
    d = as_json(act(repo, "add", "Session cookie", "--under", f"{PATH}#1.3", "--json"))
    assert d["label"] == "1.3.1"
    assert repo.read(PATH) == PLAN.replace(
        "- [ ] 1.3 Login endpoint\n", "- [ ] 1.3 Login endpoint\n  - [ ] 1.3.1 Session cookie\n- [ ] 1.4 Rate limits\n"
    ).replace("  - [ ] 2.1.2 Validation\n", "  - [ ] 2.1.2 Validation\n  - [ ] 2.1.3 Error states\n"
              ).replace("- [ ] 2.2 Styles\n", "- [ ] 2.2 Styles\n- [ ] 2.3 Deploy\n")
    # committed as is, the provisional id is the id
    repo.commit("more tasks")
    assert tasks(repo)["1.4"]["id"] == a["id"] and tasks(repo)["2.1.3"]["id"] == b["id"]


def test_add_in_the_middle_of_a_numbered_group_moves_the_later_numbers(repo: Repo) -> None:
    proc = act(repo, "add", "Sessions", "--after", f"{PATH}#1.1")
    assert "relabelled 1.2 -> 1.3: Password hashing" in proc.stderr and "relabelled 1.3 -> 1.4" in proc.stderr
    assert repo.read(PATH) == PLAN.replace("- [ ] 1.1 Create users table\n", "- [ ] 1.1 Create users table\n- [ ] 1.2 Sessions\n"
                                           ).replace("[X] 1.2 Pass", "[X] 1.3 Pass").replace("[ ] 1.3 Login", "[ ] 1.4 Login")


@pytest.mark.parametrize("text, where, label, line", [
    # spec-kit: ids are names; the next free one, same width, wherever the task goes
    ("# Tasks\n\n## Phase 1\n\n- [ ] T001 [P] Setup\n- [ ] T002 Lint\n\n## Phase 2\n\n- [x] T010 [US1] Model\n",
     "#Phase 1", "T011", "- [ ] T011 Docs\n"),
    # Kiro: top-level numbers run through the document, subtasks per parent
    ("# Plan\n\n- [x] 1. Setup\n  - [ ] 1.1 Repo\n  - _Requirements: 1.1_\n\n## Later\n\n- [ ]* 2. Tests\n",
     "", "3.", "- [ ] 3. Docs\n"),
    # unlabelled lists stay unlabelled
    ("# Todo\n\n* [ ] milk\n* [x] eggs\n", "", "", "* [ ] Docs\n"),
])
def test_add_in_each_label_scheme(tmp_path: Path, text: str, where: str, label: str, line: str) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", text)
    r.commit("plan")
    out = as_json(r.zyflow("add", "Docs", "--in", f"tasks.md{where}", "--json"))
    assert out["label"] == label
    after = r.read("tasks.md")
    assert line in after and len(after) == len(text) + len(line)


def test_kiro_subtask_and_optional_marker(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write("tasks.md", "- [ ] 6. Calendar\n  - [ ] 6.1 Grid\n    - _Requirements: 2.1_\n- [ ]* 7. Property tests\n")
    r.commit("plan")
    assert as_json(r.zyflow("add", "Week view", "--under", "tasks.md#6", "--json"))["label"] == "6.2"
    assert as_json(r.zyflow("add", "Fuzzing", "--after", "tasks.md#7", "--json"))["label"] == "8."
    assert r.read("tasks.md") == ("- [ ] 6. Calendar\n  - [ ] 6.1 Grid\n    - _Requirements: 2.1_\n  - [ ] 6.2 Week view\n"
                                  "- [ ]* 7. Property tests\n- [ ] 8. Fuzzing\n")


def test_writes_keep_crlf_bom_mode_and_a_missing_final_newline(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    raw = b"\xef\xbb\xbf# Plan\r\n\r\n- [ ] 1.1 One\r\n- [ ] 1.2 Two"
    r.write("tasks.md", raw)
    (r.root / "tasks.md").chmod(0o600)
    r.commit("plan")
    r.zyflow("add", "Three", "--after", "tasks.md#1.2")
    r.zyflow("check", "tasks.md#1.1")
    assert (r.root / "tasks.md").read_bytes() == b"\xef\xbb\xbf# Plan\r\n\r\n- [x] 1.1 One\r\n- [ ] 1.2 Two\r\n- [ ] 1.3 Three"
    assert (r.root / "tasks.md").stat().st_mode & 0o777 == 0o600


# -- versions and --expect -------------------------------------------------------------------------


def test_a_version_moves_with_the_tasks_own_text_and_state_only(repo: Repo) -> None:
    v = tasks(repo)
    act(repo, "check", f"{PATH}#1.1")  # another task's edit
    act(repo, "set", f"{PATH}#2.2", "--note", "later")  # another task's state
    after = tasks(repo)
    assert after["1.3"]["version"] == v["1.3"]["version"]
    assert after["1.1"]["version"] != v["1.1"]["version"] and after["2.2"]["version"] != v["2.2"]["version"]
    repo.commit("check 1.1")  # committing changes neither the text nor the state
    assert tasks(repo)["1.1"]["version"] == after["1.1"]["version"]


def test_a_stale_expected_version_is_exit_4_naming_the_current_one(repo: Repo) -> None:
    seen = tasks(repo)["1.3"]["version"]
    act(repo, "edit", f"{PATH}#1.3", "--title", "Login endpoint (JSON)")  # another writer
    now = as_json(act(repo, "show", f"{PATH}#1.3", "--json"))["version"]
    for args in (("check",), ("edit", "--title", "x"), ("claim", "--as", "al"), ("set", "--note", "n"), ("release",)):
        proc = act(repo, args[0], f"{PATH}#1.3", *args[1:], "--expect", seen, check=False)
        assert proc.returncode == 4, args
        assert f"version is {now}, not {seen}" in proc.stderr and proc.stderr.count("\n") == 1
    assert "(JSON)" in repo.read(PATH) and "[ ] 1.3" in repo.read(PATH)
    assert act(repo, "check", f"{PATH}#1.3", "--expect", now).returncode == 0


# -- claim, release, ready, prime ------------------------------------------------------------------


def test_claim_is_refused_when_held_or_done_and_seen_in_every_worktree(repo: Repo, tmp_path: Path) -> None:
    wt = Repo(tmp_path / "wt", repo.env)
    repo.git("worktree", "add", "-q", "--detach", str(wt.root), "HEAD")
    act(repo, "claim", f"{PATH}#1.3", "--as", "alice")
    other = wt.zyflow("claim", f"{PATH}#1.3", "--as", "bob", check=False)
    assert other.returncode == 4 and "held by alice" in other.stderr
    assert tasks(wt)["1.3"]["assignee"] == "alice" and tasks(wt)["1.3"]["status"] == "in_progress"
    assert act(repo, "claim", f"{PATH}#1.2", "--as", "bob", check=False).returncode == 4  # done
    assert wt.zyflow("release", f"{PATH}#1.3", "--as", "bob", check=False).returncode == 4
    wt.zyflow("release", f"{PATH}#1.3", "--as", "alice")
    t = tasks(repo)["1.3"]
    assert (t["status"], t["assignee"]) == ("todo", None)


def test_ready_lists_open_unheld_unblocked_tasks_first_subtask_only(repo: Repo) -> None:
    labels = [t["label"] for t in json.loads(act(repo, "ready", "--json").stdout)]
    assert labels == ["1.1", "1.3", "2.1.1", "2.2"]
    act(repo, "claim", f"{PATH}#2.1.1", "--as", "al")
    act(repo, "set", f"{PATH}#1.1", "--status", "blocked")
    assert [t["label"] for t in json.loads(act(repo, "ready", "--json").stdout)] == ["1.3", "2.2"]
    act(repo, "check", f"{PATH}#2.1.1")
    assert [t["label"] for t in json.loads(act(repo, "ready", PATH, "--limit", "2", "--json").stdout)] == ["1.3", "2.1.2"]


def test_show_has_details_state_and_history(repo: Repo) -> None:
    act(repo, "claim", f"{PATH}#1.2", "--as", "al", check=False)  # done: refused, nothing recorded
    act(repo, "set", f"{PATH}#1.2", "--note", "cost 12 is enough")
    shown = as_json(act(repo, "show", f"{PATH}#1.2", "--json"))
    assert shown["details"] == ["  - bcrypt, cost 12"] and shown["note"] == "cost 12 is enough"
    assert [e["event"] for e in shown["history"]] == ["noted", "added"]
    text = act(repo, "show", f"{PATH}#1.2").stdout
    assert "version   " + shown["version"] in text and "bcrypt" in text


def test_prime_is_a_short_brief(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    for k in range(4):
        body = "".join(f"- [{'x' if n % 3 == 0 else ' '}] {k + 1}.{n + 1} Task number {n} of change {k}, with words\n"
                       for n in range(50))
        r.write(f"openspec/changes/c{k}/tasks.md", f"# Tasks\n\n## {k + 1}. Work\n\n{body}")
    r.commit("200 tasks")
    r.zyflow("claim", "openspec/changes/c0/tasks.md#1.2", "--as", "agent-1")
    brief = r.zyflow("prime", "--as", "agent-1").stdout
    assert len(brief) / 4 < 1500, len(brief)  # ~4 characters a token
    assert "## Held by agent-1 (1)" in brief and "c0/tasks.md#1.2" in brief and "## Ready (131)" in brief
    assert all(f"`{cmd}" in brief for cmd in ("ready", "show", "claim", "check", "release", "add", "edit"))


# -- refusals --------------------------------------------------------------------------------------


def test_writes_are_refused_while_the_file_is_in_conflict(repo: Repo) -> None:
    repo.diverge(PATH, PLAN.replace("1.3 Login endpoint", "1.3 Login API"), PLAN.replace("1.3 Login endpoint", "1.3 Sign-in"))
    repo.git("-c", "merge.zyflow.driver=false", "merge", "feature", check=False)
    assert repo.git("ls-files", "-u")
    for args in (("check", f"{PATH}#1.1"), ("add", "x", "--in", PATH), ("edit", f"{PATH}#2.2", "--title", "y")):
        proc = act(repo, *args, check=False)
        assert proc.returncode == 1 and "conflict" in proc.stderr or "being merged" in proc.stderr, proc.stderr
    repo.git("merge", "--abort")
    repo.write(PATH, PLAN + "<<<<<<< ours\n- [ ] a\n=======\n- [ ] b\n>>>>>>> theirs\n")
    proc = act(repo, "check", f"{PATH}#1.1", check=False)
    assert proc.returncode == 1 and "conflict markers" in proc.stderr


def test_a_setext_heading_underline_is_not_a_conflict_marker(tmp_path: Path) -> None:
    """`=======` under a line is a Markdown heading; only an opening marker means a conflict."""
    r = Repo.installed(tmp_path, {PATH: "Release plan\n=======\n\n- [ ] 1.1 Ship it\n- [ ] 1.2 Tell people\n"})
    act(r, "check", f"{PATH}#1.1")
    assert r.read(PATH) == "Release plan\n=======\n\n- [x] 1.1 Ship it\n- [ ] 1.2 Tell people\n"
    r.write(PATH, r.read(PATH) + ">>>>>>> theirs\n")
    proc = act(r, "check", f"{PATH}#1.2", check=False)
    assert proc.returncode == 0, "a lone closing marker is text, as git's own resolve check sees it"


def test_commit_commits_that_change_alone_or_refuses(repo: Repo) -> None:
    repo.write("other.txt", "staged\n")
    repo.git("add", "other.txt")
    out = as_json(act(repo, "check", f"{PATH}#1.3", "--commit", "--json"))
    assert out["uncommitted"] is None and out["commit"] == repo.git("rev-parse", "HEAD").strip()
    msg = repo.git("log", "-1", "--format=%B")
    assert msg.startswith("Check 1.3 Login endpoint\n") and f"Zyflow-Task: {out['id']} checked" in msg
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == [PATH]
    assert repo.git("diff", "--cached", "--name-only").split() == ["other.txt"], "other staged work stays staged"
    repo.write(PATH, repo.read(PATH) + "- [ ] 9.9 hand-written\n")
    proc = act(repo, "check", f"{PATH}#1.1", "--commit", check=False)
    assert proc.returncode == 2 and "uncommitted edits" in proc.stderr and "[ ] 1.1" in repo.read(PATH)
    repo.git("checkout", "--", PATH)
    added = as_json(act(repo, "add", "Sessions", "--after", f"{PATH}#1.3", "--commit", "--json"))
    assert added["provisional"] is False and added["id"] == tasks(repo)["1.4"]["id"], "the id it said is the id"


# -- races: real processes -------------------------------------------------------------------------


def _together(repo: Repo, commands: list[list[str]], cwds: list[Path] | None = None) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen([ZYFLOW, *c], cwd=(cwds or [repo.root] * len(commands))[k], env=repo.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k, c in enumerate(commands)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def test_ten_processes_claiming_one_task_from_two_worktrees_give_one_owner(repo: Repo, tmp_path: Path) -> None:
    wt = Repo(tmp_path / "wt", repo.env)
    repo.git("worktree", "add", "-q", "--detach", str(wt.root), "HEAD")
    tid = tasks(repo)["1.3"]["id"]
    tasks(wt)  # both stores exist: the race is about the claim, not the first sync
    results = _together(repo, [["claim", tid, "--as", f"agent-{n}"] for n in range(10)],
                        [repo.root if n % 2 else wt.root for n in range(10)])
    codes = sorted(p.returncode for p in results)
    assert codes == [0] + [4] * 9, [(p.returncode, p.stderr) for p in results]
    winner = next(p for p in results if p.returncode == 0).args[-1]
    assert tasks(repo)["1.3"]["assignee"] == winner == tasks(wt)["1.3"]["assignee"]
    assert all(f"held by {winner}" in p.stderr for p in results if p.returncode == 4)


def test_ten_processes_checking_ten_tasks_of_one_file_all_land(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    text = "# Plan\n\n" + "".join(f"- [ ] 1.{n} Task {n}\n" for n in range(1, 11))
    r.write("tasks.md", text)
    r.commit("plan")
    r.zyflow("tasks")
    results = _together(r, [["check", f"tasks.md#1.{n}"] for n in range(1, 11)])
    assert [p.returncode for p in results] == [0] * 10, [p.stderr for p in results]
    assert r.read("tasks.md") == text.replace("[ ]", "[x]")


# -- every corpus file: only the task's own bytes change ---------------------------------------------


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
def test_each_verb_changes_only_its_tasks_bytes_on_every_corpus_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library the CLI, MCP and board call, in-process on a real repository (Python's start
    per call would cost minutes here; the CLI faces are tested above)."""
    from zyflow_git import actions
    from zyflow_git.reconcile import Repo as Where
    from zyflow_git.selectors import View
    from zyflow_git.taskview import fresh_connection

    r = Repo.create(tmp_path)
    files = {f"c/{k:02d}/tasks.md": src.read_bytes() for k, src in enumerate(CORPUS)}
    for rel, data in files.items():
        r.write(rel, data)
    r.commit("corpus")
    for key, value in r.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(r.root)
    repo = Where(r.root)
    conn = fresh_connection(repo)
    checked = edited = added = 0
    for rel, data in files.items():
        path = r.root / rel
        before = data.splitlines(keepends=True)
        wf = View(repo, conn).file(rel)
        plain = [t for t in wf.tasks if not t.done and wf.unit(t).state == " "]
        if plain:
            t = plain[len(plain) // 2]
            actions.check(repo, conn, t.id)
            after = path.read_bytes().splitlines(keepends=True)
            changed = [k for k in range(len(before)) if before[k] != after[k]]
            assert len(after) == len(before) and changed == [t.line - 1], rel
            assert len(after[t.line - 1]) == len(before[t.line - 1]), "one byte: the box"
            actions.check(repo, conn, t.id, False)
            assert path.read_bytes() == data, rel
            checked += 1
        t = wf.tasks[len(wf.tasks) // 3]
        out = actions.edit(repo, conn, t.id, "Reworded by a test")
        after = path.read_bytes().splitlines(keepends=True)
        head = t.line - 1
        gone = len(before) - len(after)  # the lines a wrapped title went on with
        assert after[:head] == before[:head] and after[head + 1:] == before[head + 1 + gone:], rel
        assert after[head].rstrip(b"\r\n").endswith(b"Reworded by a test") and out.task.label == t.label
        ending = lambda line: line[len(line.rstrip(b"\r\n")):]  # noqa: E731
        assert ending(after[head]) == ending(before[head]), "line ending kept"
        path.write_bytes(data)
        edited += 1
        last = wf.tasks[-1]
        out = actions.add(repo, conn, "Added by a test", after=last.id)
        after = path.read_bytes().splitlines(keepends=True)
        at = next(k for k, line in enumerate(after) if b"Added by a test" in line)
        rest = after[:at] + after[at + 1:]
        if at == len(after) - 1 and not before[-1].endswith((b"\n", b"\r")):  # no final newline, then or now
            rest[-1] = rest[-1].rstrip(b"\r\n")
        assert rest == before and after[at].startswith(b"".join(before[last.line - 1:last.line])[:2]), rel
        assert out.said and not out.said[1:], rel
        path.write_bytes(data)
        added += 1
    conn.close()
    from zyflow_git.core.parse import parse_bytes

    open_files = sum(1 for d in files.values() if any(t.state == " " for t in parse_bytes(d).tasks))
    assert (checked, edited, added) == (open_files, len(files), len(files)) and open_files > 10


def test_kiro_states_spec_kit_tags_and_path_filters(tmp_path: Path) -> None:
    r = Repo.installed(tmp_path, {
        ".kiro/specs/cal/tasks.md": "- [-] 1. Calendar grid\n- [~] 2. Week view\n",
        "specs/001/tasks.md": "## Phase 1\n\n- [ ] T001 [P] [US1] Create project structure\n",
    })
    r.write(".zyflow.toml", '[merge]\npatterns = ["**/tasks.md"]\n')
    r.commit("patterns")
    r.zyflow("check", ".kiro/specs/cal/tasks.md#1")
    r.zyflow("uncheck", ".kiro/specs/cal/tasks.md#2")  # [~] queued -> [ ]
    assert r.read(".kiro/specs/cal/tasks.md") == "- [x] 1. Calendar grid\n- [ ] 2. Week view\n"
    r.zyflow("edit", "specs/001/tasks.md#T001", "--title", "Create the project layout")
    assert r.read("specs/001/tasks.md").endswith("- [ ] T001 [P] [US1] Create the project layout\n")
    only = json.loads(r.zyflow("tasks", "specs", "--json").stdout)
    assert [t["label"] for t in only] == ["T001"]
    assert r.zyflow("tasks", "nowhere", check=False).returncode == 2
