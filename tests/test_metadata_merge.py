"""Issue 13: front matter key by key, tables row by row, "last updated" lines, presets."""

from __future__ import annotations

from pathlib import Path

import pytest

from zyflow_git.core.frontmatter import Rules
from zyflow_git.core.merge import merge_bytes
from zyflow_git.mergerules import parse_rules

from .gitutil import Repo

TASK = """---
id: task-114
title: 'cli: filter task list by parent task'
status: To Do
assignee: []
created_date: '2025-07-06'
updated_date: '2025-07-06'
labels: [cli]
dependencies:
  - task-100
# keep this comment
priority: medium
---

## Description

Filter the task list by parent.

- [ ] #1 Add `--parent` flag
- [ ] #2 Plain output
"""


def edit(text: str, *pairs: tuple[str, str]) -> bytes:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def merge(base: str | bytes, ours: bytes, theirs: bytes, rules: Rules | None = None) -> tuple[str, int]:
    result = merge_bytes(base if isinstance(base, bytes) else base.encode(), ours, theirs, rules=rules)
    return result.data.decode(), result.conflicts


# -- front matter ---------------------------------------------------------------------------------

def test_each_side_moves_its_own_keys() -> None:
    text, conflicts = merge(TASK, edit(TASK, ("status: To Do", "status: In Progress")),
                           edit(TASK, ("priority: medium", "priority: high"), ("- [ ] #2", "- [x] #2")))
    assert conflicts == 0
    assert text == TASK.replace("status: To Do", "status: In Progress").replace("priority: medium", "priority: high") \
        .replace("- [ ] #2", "- [x] #2")


def test_both_set_the_update_time_the_later_wins_and_bytes_elsewhere_are_kept() -> None:
    ours = edit(TASK, ("updated_date: '2025-07-06'", "updated_date: '2025-07-09'"), ("- [ ] #1", "- [x] #1"))
    theirs = edit(TASK, ("updated_date: '2025-07-06'", "updated_date: '2025-07-08 14:30'"), ("- [ ] #2", "- [x] #2"))
    for a, b in ((ours, theirs), (theirs, ours)):
        text, conflicts = merge(TASK, a, b)
        assert conflicts == 0 and "updated_date: '2025-07-09'" in text
        assert "title: 'cli: filter task list by parent task'" in text and "# keep this comment\n" in text


def test_the_same_second_on_both_sides_is_no_conflict_and_the_same_day_with_two_notes_is() -> None:
    base = "---\nupdated_at: 2026-01-01T10:00:00Z\nlast_activity: 2026-03-01 — start\n---\n- [ ] a\n"
    ours = edit(base, ("10:00:00Z", "12:00:00Z"), ("2026-03-01 — start", "2026-03-07 — plan 11-02 done"))
    theirs = edit(base, ("10:00:00Z", "12:00:00+00:00"), ("2026-03-01 — start", "2026-03-07 — phase 17 merged"))
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 1 and "updated_at: 2026-01-01T12:00:00Z\n" in text
    assert "<<<<<<< ours\nlast_activity: 2026-03-07 — plan 11-02 done\n=======\n" in text


def test_status_furthest_along_wins_and_its_assignee_follows() -> None:
    ours = edit(TASK, ("status: To Do", "status: In Progress"), ("assignee: []", "assignee: [alice]"))
    theirs = edit(TASK, ("status: To Do", "status: Done"), ("assignee: []", "assignee: [bob]"))
    text, conflicts = merge(TASK, ours, theirs)
    assert conflicts == 0 and "status: Done\n" in text and "assignee: [bob]\n" in text


def test_a_status_outside_the_known_order_is_a_conflict_on_that_key_alone() -> None:
    ours = edit(TASK, ("status: To Do", "status: Blocked"), ("priority: medium", "priority: high"))
    theirs = edit(TASK, ("status: To Do", "status: Done"))
    text, conflicts = merge(TASK, ours, theirs)
    assert conflicts == 1
    assert "<<<<<<< ours\nstatus: Blocked\n=======\nstatus: Done\n>>>>>>> theirs\n" in text and "priority: high" in text


def test_lists_merge_as_sets_additions_from_both_removals_win() -> None:
    ours = edit(TASK, ("labels: [cli]", "labels: [cli, ux]"), ("  - task-100\n", "  - task-100\n  - task-7\n"))
    theirs = edit(TASK, ("labels: [cli]", "labels: [api]"), ("  - task-100\n", "  - task-9\n"))
    text, conflicts = merge(TASK, ours, theirs)
    assert conflicts == 0
    assert "labels: [ux, api]\n" in text and "dependencies:\n  - task-7\n  - task-9\n" in text


def test_a_key_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    ours = edit(TASK, ("priority: medium\n", ""))
    theirs = edit(TASK, ("priority: medium", "priority: high"))
    text, conflicts = merge(TASK, ours, theirs)
    assert conflicts == 1 and "<<<<<<< ours\n=======\n# keep this comment\npriority: high\n>>>>>>> theirs\n" in text


def test_keys_added_on_both_sides_are_both_kept() -> None:
    ours = edit(TASK, ("priority: medium\n", "priority: medium\nmilestone: v1\n"))
    theirs = edit(TASK, ("priority: medium\n", "priority: medium\nparent: task-100\n"))
    text, conflicts = merge(TASK, ours, theirs)
    assert conflicts == 0 and "milestone: v1\nparent: task-100\n" in text


def test_configured_rules_and_rules_off() -> None:
    ours = edit(TASK, ("priority: medium", "priority: high"))
    theirs = edit(TASK, ("priority: medium", "priority: low"))
    assert merge(TASK, ours, theirs)[1] == 1
    text, conflicts = merge(TASK, ours, theirs, parse_rules({"priority": "theirs"}, "t"))
    assert conflicts == 0 and "priority: low" in text
    ours2 = edit(TASK, ("updated_date: '2025-07-06'", "updated_date: '2025-07-09'"))
    theirs2 = edit(TASK, ("updated_date: '2025-07-06'", "updated_date: '2025-07-08'"))
    assert "updated_date: '2025-07-08'" in merge(TASK, ours2, theirs2, parse_rules({"updated_date": "min"}, "t"))[0]
    assert merge(TASK, ours2, theirs2, parse_rules({"rules": False}, "t"))[1] == 1
    custom = parse_rules({"priority": {"order": ["low", "medium", "high"]}}, "t")
    assert "priority: high" in merge(TASK, ours, theirs, custom)[0]


def test_bad_rules_are_one_line_bad_input() -> None:
    from zyflow_git.errors import BadInput

    with pytest.raises(BadInput, match="merge.front_matter.status"):
        parse_rules({"status": "newest"}, ".zyflow.toml")


# -- tables -----------------------------------------------------------------------------------------

TABLE = """# Requirements

| ID | Requirement | Phase | Status |
|----|-------------|-------|--------|
| R-01 | Parse tasks | 1 | Pending |
| R-02 | Merge tasks | 2 | Pending |
| R-03 | Store state | 3 | Pending |

- [ ] 1.1 a
"""


def test_each_side_updates_its_own_rows() -> None:
    ours = edit(TABLE, ("| R-01 | Parse tasks | 1 | Pending |", "| R-01 | Parse tasks | 1 | Complete |"))
    theirs = edit(TABLE, ("| R-03 | Store state | 3 | Pending |", "| R-03 | Store state | 3 | Complete |"),
                  ("| R-02 | Merge tasks | 2 | Pending |\n", "| R-02 | Merge tasks | 2 | Pending |\n| R-04 | Hooks | 3 | Pending |\n"))
    text, conflicts = merge(TABLE, ours, theirs)
    assert conflicts == 0
    assert text == TABLE.replace("| 1 | Pending |", "| 1 | Complete |").replace("| 3 | Pending |", "| 3 | Complete |") \
        .replace("| R-02 | Merge tasks | 2 | Pending |\n", "| R-02 | Merge tasks | 2 | Pending |\n| R-04 | Hooks | 3 | Pending |\n")


def test_padding_is_not_a_change() -> None:
    ours = edit(TABLE, ("| R-02 | Merge tasks | 2 | Pending |", "| R-02 | Merge tasks |   2 | Pending   |"))
    theirs = edit(TABLE, ("| R-02 | Merge tasks | 2 | Pending |", "| R-02 | Merge tasks | 2 | Complete |"))
    text, conflicts = merge(TABLE, ours, theirs)
    assert conflicts == 0 and "| R-02 | Merge tasks | 2 | Complete |" in text


def test_a_row_changed_two_ways_is_a_conflict_around_that_row() -> None:
    ours = edit(TABLE, ("| Merge tasks | 2 |", "| Merge tasks by task | 2 |"), ("| R-01 | Parse tasks | 1 | Pending |", "| R-01 | Parse tasks | 1 | Complete |"))
    theirs = edit(TABLE, ("| Merge tasks | 2 |", "| Merge task lists | 2 |"))
    text, conflicts = merge(TABLE, ours, theirs)
    assert conflicts == 1
    assert "<<<<<<< ours\n| R-02 | Merge tasks by task | 2 | Pending |\n=======\n| R-02 | Merge task lists | 2 | Pending |\n>>>>>>> theirs\n" in text
    assert "| R-01 | Parse tasks | 1 | Complete |" in text


def test_the_row_further_along_wins_a_progress_table() -> None:
    base = "## Progress\n\n| Phase | Plans | Status | Done |\n|---|---|---|---|\n| 16. Discuss | 0/4 | Not started | - |\n"
    ours = edit(base, ("| 0/4 | Not started | - |", "| 3/4 | In Progress | - |"))
    theirs = edit(base, ("| 0/4 | Not started | - |", "| 0/4 | Planned | - |"))
    for a, b in ((ours, theirs), (theirs, ours)):
        text, conflicts = merge(base, a, b)
        assert conflicts == 0 and "| 16. Discuss | 3/4 | In Progress | - |" in text


def test_a_progress_row_whose_other_side_reworded_it_is_still_a_conflict() -> None:
    base = "| Phase | Status |\n|---|---|\n| 9. Docs | Not started |\n"
    ours = edit(base, ("| 9. Docs | Not started |", "| 9. Docs | Complete |"))
    theirs = edit(base, ("| 9. Docs | Not started |", "| 9. Docs | Planned |")).replace(b"| Phase |", b"| Phase |")
    theirs = theirs.replace(b"| 9. Docs | Planned |", b"| 9. Docs | Planned |")
    assert merge(base, ours, theirs)[1] == 0
    reworded = "| Phase | Status | Note |\n|---|---|---|\n| 9. Docs | Not started | draft |\n"
    o = edit(reworded, ("| Not started | draft |", "| Complete | draft |"))
    t = edit(reworded, ("| Not started | draft |", "| Planned | reviewed by Ana |"))
    assert merge(reworded, o, t)[1] == 1


def test_duplicate_keys_and_renamed_keys_merge_by_line() -> None:
    base = "| k | v |\n|---|---|\n| a | 1 |\n| a | 2 |\n"
    ours = edit(base, ("| a | 1 |", "| a | 10 |"))
    theirs = edit(base, ("| a | 1 |", "| a | 11 |"))
    assert merge(base, ours, theirs)[1] == 1
    renamed = "| k | v |\n|---|---|\n| a | 1 |\n| b | 2 |\n"
    o = edit(renamed, ("| a | 1 |", "| A | 1 |"))
    t = edit(renamed, ("| a | 1 |", "| a | 5 |"))
    assert merge(renamed, o, t)[1] == 1


def test_a_last_updated_line_takes_the_later_date() -> None:
    base = "# Roadmap\n\nIntro.\n*Last updated: 2026-03-01*\n\n- [ ] a\n- [ ] b\n"
    ours = edit(base, ("2026-03-01", "2026-03-07"), ("- [ ] a", "- [x] a"))
    theirs = edit(base, ("2026-03-01", "2026-03-05"), ("- [ ] b", "- [x] b"))
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 0 and "*Last updated: 2026-03-07*" in text and "- [x] a\n- [x] b\n" in text


# -- presets and the driver end to end ----------------------------------------------------------------

def test_install_detects_backlog_and_a_status_race_merges_clean(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    path = "backlog/tasks/task-114 - cli-filter.md"
    r.write(path, TASK)
    r.commit("task")
    proc = r.zyflow("install", "--no-hooks")
    assert "detected: Backlog.md (1 file)" in proc.stdout
    toml = r.read(".zyflow.toml")
    assert '"/backlog/tasks/*.md"' in toml and "[merge.front_matter]" in toml
    r.commit("install")
    r.diverge(path, edit(TASK, ("status: To Do", "status: In Progress"),
                         ("updated_date: '2025-07-06'", "updated_date: '2025-07-08'")).decode(),
              edit(TASK, ("status: To Do", "status: Done"), ("updated_date: '2025-07-06'", "updated_date: '2025-07-07'"),
                   ("- [ ] #1", "- [x] #1"), ("- [ ] #2", "- [x] #2")).decode())
    r.run("git", "merge", "-q", "--no-edit", "feature")
    merged = r.read(path)
    assert "status: Done\n" in merged and "updated_date: '2025-07-08'\n" in merged and "- [x] #2" in merged


def test_install_detects_gsd_and_a_chosen_preset(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write(".planning/STATE.md", "---\nlast_updated: 2026-01-01\n---\n# State\n")
    r.write(".planning/ROADMAP.md", "# Roadmap\n\n- [ ] Phase 1\n")
    r.commit("plan")
    assert "detected: GSD (2 files)" in r.zyflow("install", "--no-hooks").stdout
    assert '"/.planning/*.md"' in r.read(".zyflow.toml")
    assert r.git("check-attr", "merge", "--", ".planning/STATE.md").strip().endswith("merge: zyflow")
    other = Repo.create(tmp_path / "other")
    other.write("README.md", "x\n")
    other.commit("x")
    assert "presets: Kiro" in other.zyflow("install", "--no-hooks", "--preset", "kiro").stdout


# -- properties: a key or row changed on one side is never undone -------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KEYS = ["status", "priority", "owner", "milestone", "updated_date", "labels", "x1", "x2"]
VALUES = st.sampled_from(["To Do", "In Progress", "Done", "high", "low", "'2026-01-02'", "'2026-03-04'", "[a, b]", "[c]", "v1"])


@st.composite
def front_matter_edits(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    base = {k: draw(VALUES) for k in keys}
    ours, theirs = dict(base), dict(base)
    for k in keys:
        side = draw(st.sampled_from(["none", "ours", "theirs", "both"]))
        if side in ("ours", "both"):
            ours[k] = draw(VALUES)
        if side in ("theirs", "both"):
            theirs[k] = draw(VALUES)
    return base, ours, theirs


def render_fm(values: dict[str, str]) -> bytes:
    return ("---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\n\n- [ ] a task\n").encode()


@given(front_matter_edits())
def test_a_key_changed_on_one_side_is_never_undone(edits: tuple[dict[str, str], dict[str, str], dict[str, str]]) -> None:
    base, ours, theirs = edits
    result = merge_bytes(render_fm(base), render_fm(ours), render_fm(theirs))
    text = result.data.decode()
    for k in base:
        for side, other in ((ours, theirs), (theirs, ours)):
            if side[k] != base[k] and other[k] == base[k]:
                assert f"{k}: {side[k]}\n" in text, (k, text)
    if result.conflicts == 0:
        assert "- [ ] a task" in text and text.count("---\n") == 2


@st.composite
def table_edits(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    n = draw(st.integers(1, 6))
    base = [f"| R-{i} | {draw(st.sampled_from(['Pending', 'Complete', 'In Progress']))} |" for i in range(n)]
    ours, theirs = list(base), list(base)
    for i in range(n):
        side = draw(st.sampled_from(["none", "ours", "theirs"]))
        target = ours if side == "ours" else theirs if side == "theirs" else None
        if target is not None:
            target[i] = f"| R-{i} | {draw(st.sampled_from(['Done', 'Blocked', 'Planned']))} |"
    if draw(st.booleans()):
        ours.append("| R-90 | new |")
    if draw(st.booleans()):
        theirs.insert(0, "| R-91 | new |")
    return base, ours, theirs


def render_table(rows: list[str]) -> bytes:
    return ("# T\n\n| ID | Status |\n|----|--------|\n" + "".join(r + "\n" for r in rows) + "\n- [ ] a\n").encode()


@given(table_edits())
def test_a_row_changed_or_added_on_one_side_is_never_undone(edits: tuple[list[str], list[str], list[str]]) -> None:
    base, ours, theirs = edits
    result = merge_bytes(render_table(base), render_table(ours), render_table(theirs))
    assert result.conflicts == 0
    text = result.data.decode()
    for row in set(ours + theirs) - set(base):
        assert text.count(row + "\n") == 1, (row, text)


def test_a_progress_row_whose_figures_the_other_side_filled_in_goes_with_the_status() -> None:
    base = "| Phase | Plans | Status |\n|---|---|---|\n| 9. Docs | 0/? | Not started |\n"
    ours = edit(base, ("| 0/? | Not started |", "| 0/2 | Not started |"))
    theirs = edit(base, ("| 0/? | Not started |", "| 1/2 | In progress |"))
    text, conflicts = merge(base, ours, theirs)
    assert conflicts == 0 and "| 9. Docs | 1/2 | In progress |" in text
