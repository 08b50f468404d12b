"""Every merge rule as a scenario: base, ours, theirs and the exact expected result."""

from __future__ import annotations

from textwrap import dedent

import pytest

from zyflow_git.core.conflicts import Markers
from zyflow_git.core.merge import merge_bytes


def d(text: str) -> bytes:
    return dedent(text).lstrip("\n").encode()


BASE = d("""
    # Tasks

    ## 1. Build

    - [ ] 1.1 Parser
    - [ ] 1.2 Renderer
    - [ ] 1.3 Merge

    ## 2. Ship

    - [ ] 2.1 Release
    """)


def edit(data: bytes, *pairs: tuple[str, str]) -> bytes:
    text = data.decode()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


SCENARIOS = [
    ("disjoint toggles on adjacent lines",
     BASE, edit(BASE, ("[ ] 1.1", "[x] 1.1")), edit(BASE, ("[ ] 1.2", "[x] 1.2")),
     edit(BASE, ("[ ] 1.1", "[x] 1.1"), ("[ ] 1.2", "[x] 1.2"))),
    ("the same toggle on both sides is taken once",
     BASE, edit(BASE, ("[ ] 1.3", "[x] 1.3")), edit(BASE, ("[ ] 1.3", "[x] 1.3")),
     edit(BASE, ("[ ] 1.3", "[x] 1.3"))),
    ("both append to the same section: both kept, renumbered",
     BASE, edit(BASE, ("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Docs\n")), edit(BASE, ("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Bench\n")),
     edit(BASE, ("1.3 Merge\n", "1.3 Merge\n- [ ] 1.4 Docs\n- [ ] 1.5 Bench\n"))),
    ("text edit on one side, check on the other",
     BASE, edit(BASE, ("1.2 Renderer", "1.2 Byte-exact renderer")), edit(BASE, ("[ ] 1.2", "[x] 1.2")),
     edit(BASE, ("[ ] 1.2 Renderer", "[x] 1.2 Byte-exact renderer"))),
    ("edits to different words of one title merge",
     BASE, edit(BASE, ("2.1 Release", "2.1 Release v1")), edit(BASE, ("2.1 Release", "2.1 Tag and Release")),
     edit(BASE, ("2.1 Release", "2.1 Tag and Release v1"))),
    ("delete on one side, untouched on the other",
     BASE, edit(BASE, ("- [ ] 1.2 Renderer\n", "")), BASE,
     edit(BASE, ("- [ ] 1.2 Renderer\n", ""))),
    ("delete on one side, check on the other: a conflict",
     BASE, edit(BASE, ("- [ ] 1.2 Renderer\n", "")), edit(BASE, ("[ ] 1.2", "[x] 1.2")),
     edit(BASE, ("- [ ] 1.2 Renderer\n", "<<<<<<< ours\n=======\n- [x] 1.2 Renderer\n>>>>>>> theirs\n"))),
    ("renumbering on one side, check on the other",
     BASE, edit(BASE, ("- [ ] 1.1 Parser\n- [ ] 1.2 Renderer\n- [ ] 1.3 Merge\n",
                       "- [ ] 1.1 Model\n- [ ] 1.2 Parser\n- [ ] 1.3 Renderer\n- [ ] 1.4 Merge\n")),
     edit(BASE, ("[ ] 1.3 Merge", "[x] 1.3 Merge")),
     edit(BASE, ("- [ ] 1.1 Parser\n- [ ] 1.2 Renderer\n- [ ] 1.3 Merge\n",
                 "- [ ] 1.1 Model\n- [ ] 1.2 Parser\n- [ ] 1.3 Renderer\n- [x] 1.4 Merge\n"))),
    ("a move to another section on one side, a check on the other",
     BASE, edit(BASE, ("- [ ] 1.3 Merge\n", ""), ("- [ ] 2.1 Release\n", "- [ ] 2.1 Release\n- [ ] 1.3 Merge\n")),
     edit(BASE, ("[ ] 1.3", "[x] 1.3")),
     edit(BASE, ("- [ ] 1.3 Merge\n", ""), ("- [ ] 2.1 Release\n", "- [ ] 2.1 Release\n- [x] 1.3 Merge\n"))),
    ("new sections on both sides are both kept, theirs numbered next with its tasks",
     BASE, BASE + b"\n## 3. Docs\n\n- [ ] 3.1 Guide\n", BASE + b"\n## 3. Bench\n\n- [ ] 3.1 Numbers\n",
     BASE + b"\n## 3. Docs\n\n- [ ] 3.1 Guide\n\n## 4. Bench\n\n- [ ] 4.1 Numbers\n"),
    ("spec-kit phases both sides added: the phase number moves, the ids do not",
     b"## Phase 1: Setup\n\n- [ ] T001 Init\n",
     b"## Phase 1: Setup\n\n- [ ] T001 Init\n\n## Phase 2: US1\n\n- [ ] T002 [US1] Model\n",
     b"## Phase 1: Setup\n\n- [ ] T001 Init\n\n## Phase 2: Polish\n\n- [ ] T002 Docs\n",
     b"## Phase 1: Setup\n\n- [ ] T001 Init\n\n## Phase 2: US1\n\n- [ ] T002 [US1] Model\n\n## Phase 3: Polish\n\n- [ ] T003 Docs\n"),
    ("nested subtasks merge like tasks",
     d("- [ ] 1 Parent\n  - [ ] 1.1 Child A\n  - [ ] 1.2 Child B\n"),
     d("- [ ] 1 Parent\n  - [x] 1.1 Child A\n  - [ ] 1.2 Child B\n"),
     d("- [ ] 1 Parent task\n  - [ ] 1.1 Child A\n  - [x] 1.2 Child B\n"),
     d("- [ ] 1 Parent task\n  - [x] 1.1 Child A\n  - [x] 1.2 Child B\n")),
    ("detail lines edited on one side, checkbox on the other",
     d("- [ ] task-1-1: Types\n  - files: a.ts\n\n- [ ] task-1-2: Runner\n"),
     d("- [ ] task-1-1: Types\n  - files: a.ts, b.ts\n\n- [ ] task-1-2: Runner\n"),
     d("- [x] task-1-1: Types\n  - files: a.ts\n\n- [ ] task-1-2: Runner\n"),
     d("- [x] task-1-1: Types\n  - files: a.ts, b.ts\n\n- [ ] task-1-2: Runner\n")),
    ("prose edits in different blocks",
     d("# T\n\nIntro.\n\n- [ ] a\n\nOutro.\n"), d("# T\n\nIntro, better.\n\n- [ ] a\n\nOutro.\n"),
     d("# T\n\nIntro.\n\n- [ ] a\n\nOutro, better.\n"), d("# T\n\nIntro, better.\n\n- [ ] a\n\nOutro, better.\n")),
    ("unlabelled appends: ours first, then theirs",
     d("- [ ] a\n"), d("- [ ] a\n- [ ] from ours\n"), d("- [ ] a\n- [ ] from theirs\n"),
     d("- [ ] a\n- [ ] from ours\n- [ ] from theirs\n")),
    ("add/add: both sides created the same file",
     b"", d("# T\n- [ ] a\n- [ ] b\n"), d("# T\n- [ ] a\n- [ ] b\n"), d("# T\n- [ ] a\n- [ ] b\n")),
    ("add/add: different tasks are all kept, a check wins",
     b"", d("# T\n- [x] a\n- [ ] b\n"), d("# T\n- [ ] a\n- [ ] c\n"), d("# T\n- [x] a\n- [ ] b\n- [ ] c\n")),
    ("uncheck on one side",
     edit(BASE, ("[ ] 1.1", "[x] 1.1")), BASE, edit(BASE, ("[ ] 1.1", "[x] 1.1"), ("[ ] 2.1", "[x] 2.1")),
     edit(BASE, ("[ ] 2.1", "[x] 2.1"))),
    ("the same fix on both sides, plus a trailing space on one",
     d("- [ ] Fix funtional bug\n"), d("- [ ] Fix functional bug \n"), d("- [ ] Fix functional bug\n"),
     d("- [ ] Fix functional bug \n")),
]


@pytest.mark.parametrize("name,base,ours,theirs,expected", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name: str, base: bytes, ours: bytes, theirs: bytes, expected: bytes) -> None:
    result = merge_bytes(base, ours, theirs)
    assert result.data.decode() == expected.decode()
    assert result.conflicts == expected.count(b"<<<<<<<")


def test_true_conflict_wraps_that_task_alone() -> None:
    ours = edit(BASE, ("1.3 Merge", "1.3 Merge by line"), ("[ ] 1.1", "[x] 1.1"))
    theirs = edit(BASE, ("1.3 Merge", "1.3 Merge by task"), ("[ ] 2.1", "[x] 2.1"))
    result = merge_bytes(BASE, ours, theirs)
    assert result.conflicts == 1
    assert result.data.decode() == edit(BASE, ("[ ] 1.1", "[x] 1.1"), ("[ ] 2.1", "[x] 2.1"), (
        "- [ ] 1.3 Merge\n",
        "<<<<<<< ours\n- [ ] 1.3 Merge by line\n=======\n- [ ] 1.3 Merge by task\n>>>>>>> theirs\n")).decode()


def test_conflict_applies_the_clean_changes_on_both_sides_of_the_markers() -> None:
    ours = edit(BASE, ("1.3 Merge", "1.3 Merge by line"))
    theirs = edit(BASE, ("1.3 Merge", "1.3 Merge by task"), ("[ ] 1.3", "[x] 1.3"))
    text = merge_bytes(BASE, ours, theirs).data.decode()
    assert "<<<<<<< ours\n- [x] 1.3 Merge by line\n=======\n- [x] 1.3 Merge by task\n>>>>>>> theirs\n" in text


def test_diff3_style_and_marker_size() -> None:
    ours = edit(BASE, ("1.3 Merge", "1.3 Merge by line"))
    theirs = edit(BASE, ("1.3 Merge", "1.3 Merge by task"))
    text = merge_bytes(BASE, ours, theirs, Markers(size=9, style="diff3")).data.decode()
    assert ("<<<<<<<<< ours\n- [ ] 1.3 Merge by line\n||||||||| base\n- [ ] 1.3 Merge\n"
            "=========\n- [ ] 1.3 Merge by task\n>>>>>>>>> theirs\n") in text


def test_line_endings_bom_and_final_newline_follow_ours() -> None:
    ours = b"\xef\xbb\xbf" + edit(BASE, ("[ ] 1.1", "[x] 1.1")).replace(b"\n", b"\r\n").rstrip(b"\r\n")
    theirs = edit(BASE, ("[ ] 2.1", "[x] 2.1"))
    result = merge_bytes(BASE, ours, theirs).data
    assert result.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in result and b"\n" not in result.replace(b"\r\n", b"")
    assert result.endswith(b"- [x] 2.1 Release")


def test_ours_without_final_newline_in_the_middle() -> None:
    base = b"- [ ] a\n"
    ours = b"- [ ] a"
    theirs = b"- [ ] a\n- [ ] b\n"
    assert merge_bytes(base, ours, theirs).data == b"- [ ] a\n- [ ] b"


def test_renumbering_leaves_unnumbered_and_authored_duplicates_alone() -> None:
    base = d("- [ ] 1.1 a\n- [ ] 1.1 b\n")
    ours = d("- [ ] 1.1 a\n- [ ] 1.1 b\n- [ ] 1.2 c\n")
    theirs = d("- [x] 1.1 a\n- [ ] 1.1 b\n")
    assert merge_bytes(base, ours, theirs).data == d("- [x] 1.1 a\n- [ ] 1.1 b\n- [ ] 1.2 c\n")


def test_renumbering_carries_into_subtask_labels() -> None:
    base = d("- [ ] 1.1 a\n")
    ours = d("- [ ] 1.1 a\n- [ ] 1.2 b\n  - [ ] 1.2.1 b1\n")
    theirs = d("- [ ] 1.1 a\n- [ ] 1.2 c\n  - [ ] 1.2.1 c1\n")
    assert merge_bytes(base, ours, theirs).data == d(
        "- [ ] 1.1 a\n- [ ] 1.2 b\n  - [ ] 1.2.1 b1\n- [ ] 1.3 c\n  - [ ] 1.3.1 c1\n")
