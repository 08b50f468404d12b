"""The clean-but-wrong merges of issue 8, each reproduced exactly, then fixed."""

from __future__ import annotations

from textwrap import dedent

from zyflow_git.core.merge import merge_bytes
from zyflow_git.core.model import section_paths
from zyflow_git.core.parse import parse_bytes


def d(text: str) -> bytes:
    return dedent(text).lstrip("\n").encode()


def placed(data: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, title, section path) of every task."""
    doc = parse_bytes(data)
    return [(u.label, u.title, p) for u, p in zip(doc.units, section_paths(doc.units)) if u in doc.tasks]


OPENSPEC = d("""
    ## 1. Setup

    - [ ] 1.1 Scaffold
    - [ ] 1.2 Config

    ## 2. Build

    - [ ] 2.1 Parser
    - [ ] 2.2 Renderer
    """)


def test_a_task_appended_to_a_section_stays_there_when_the_other_side_inserts_a_section_after_it() -> None:
    ours = OPENSPEC.replace(b"## 2. Build", b"## 3. Baseline\n\n- [ ] 3.1 Measure\n\n## 2. Build")
    theirs = OPENSPEC.replace(b"1.2 Config\n", b"1.2 Config\n- [ ] 1.3 Lint\n")
    result = merge_bytes(OPENSPEC, ours, theirs)
    assert result.conflicts == 0
    assert ("1.3", "Lint", ("1. Setup",)) in placed(result.data)
    assert ("3.1", "Measure", ("3. Baseline",)) in placed(result.data)


def test_a_task_appended_to_the_last_section_stays_there_when_the_other_side_appends_a_section() -> None:
    ours = OPENSPEC + b"\n## 3. Baseline\n\n- [ ] 3.1 Measure\n"
    theirs = OPENSPEC.replace(b"2.2 Renderer\n", b"2.2 Renderer\n- [ ] 2.3 Merge\n")
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge_bytes(OPENSPEC, a, b)
        assert result.conflicts == 0
        assert ("2.3", "Merge", ("2. Build",)) in placed(result.data)
        assert ("3.1", "Measure", ("3. Baseline",)) in placed(result.data)


def test_a_subsection_inserted_by_one_side_does_not_capture_the_other_sides_append() -> None:
    ours = OPENSPEC + b"\n### 2.x Later\n\n- [ ] Polish\n"
    theirs = OPENSPEC + b"- [ ] 2.3 Merge\n"
    result = merge_bytes(OPENSPEC, ours, theirs)
    assert ("2.3", "Merge", ("2. Build",)) in placed(result.data)
    assert ("", "Polish", ("2. Build", "2.x Later")) in placed(result.data)


def test_both_rewrite_the_same_paragraph_is_a_conflict() -> None:
    base = d("# Plan\n\nWe ship in May.\n\n- [ ] a\n")
    ours = d("# Plan\n\nThe launch moved to autumn after the audit.\n\n- [ ] a\n")
    theirs = d("# Plan\n\nScope cut: no launch this year.\n\n- [ ] a\n")
    result = merge_bytes(base, ours, theirs)
    assert result.conflicts == 1
    assert result.data.decode().count("launch") == 2 and b"<<<<<<<" in result.data


def test_both_retitle_a_task_beyond_recognition_is_a_conflict_not_two_tasks() -> None:
    ours = OPENSPEC.replace(b"1.2 Config", b"1.2 Environment variables for deploys")
    theirs = OPENSPEC.replace(b"1.2 Config", b"1.2 Secrets vault wiring")
    result = merge_bytes(OPENSPEC, ours, theirs)
    assert result.conflicts == 1
    text = result.data.decode()
    assert "<<<<<<< ours\n- [ ] 1.2 Environment variables for deploys\n=======\n- [ ] 1.2 Secrets vault wiring\n>>>>>>> theirs\n" in text
    assert "2.1 Parser" in text and "1.3" not in text


def test_equal_replacements_merge_cleanly() -> None:
    ours = theirs = OPENSPEC.replace(b"1.2 Config", b"1.2 Secrets vault wiring")
    assert merge_bytes(OPENSPEC, ours, theirs).data == ours


SPECKIT = d("""
    ## Phase 1: Setup

    - [ ] T001 Create project structure
    - [ ] T002 [P] Configure linting in ruff.toml

    ## Phase 2: User Story 1

    - [ ] T003 [US1] Model in src/models/user.py
    - [ ] T004 [US1] Service in src/services/user.py (depends on T003)
    """)


def test_speckit_ids_both_sides_appended_get_the_next_free_id_and_nothing_else_moves() -> None:
    ours = SPECKIT + b"- [ ] T005 [US1] Endpoint in src/api/user.py\n"
    theirs = SPECKIT.replace(b"Configure linting in ruff.toml\n", b"Configure linting in ruff.toml\n- [ ] T005 [P] CI workflow\n")
    result = merge_bytes(SPECKIT, ours, theirs)
    assert result.conflicts == 0
    labels = [t.label for t in parse_bytes(result.data).tasks]
    assert labels == ["T001", "T002", "T006", "T003", "T004", "T005"]
    assert b"(depends on T003)" in result.data
    assert result.notes == ("relabelled T005 -> T006: [P] CI workflow",)


KIRO = d("""
    # Implementation Plan

    - [x] 1. Set up project
      - Create the workspace
      - _Requirements: 1.1_

    - [ ] 2. Data layer
      - [ ] 2.1 Schema
        - _Requirements: 2.1, 2.3_
      - [ ]* 2.2 Property tests
    """)


def test_kiro_global_numbering_both_sides_add_a_top_level_task() -> None:
    ours = KIRO + b"\n- [ ] 3. API\n  - [ ] 3.1 Routes\n"
    theirs = KIRO + b"\n## Later\n\n- [ ] 3. Docs\n  - [ ] 3.1 Guide\n  - _Requirements: 4.1_\n"
    result = merge_bytes(KIRO, ours, theirs)
    assert result.conflicts == 0
    tasks = parse_bytes(result.data).tasks
    assert [(t.label, t.title) for t in tasks] == [
        ("1.", "Set up project"), ("2.", "Data layer"), ("2.1", "Schema"), ("2.2", "Property tests"),
        ("3.", "API"), ("3.1", "Routes"), ("4.", "Docs"), ("4.1", "Guide")]
    assert b"_Requirements: 4.1_" in result.data and tasks[3].optional


def test_position_labels_with_a_gap_still_never_duplicate() -> None:
    base = d("- [ ] 1.1 a\n- [ ] 1.2 b\n- [ ] 1.4 d\n")
    ours = base + b"- [ ] 1.5 e\n"
    theirs = base + b"- [ ] 1.5 f\n"
    labels = [t.label for t in parse_bytes(merge_bytes(base, ours, theirs).data).tasks]
    assert labels == ["1.1", "1.2", "1.4", "1.5", "1.6"]


def test_add_add_a_table_one_side_extended_is_kept_once() -> None:
    """Both branches generated the file; one also wrote a line after the shared table. Once."""
    head = "# Plan\n\n- [ ] T001 a\n\n## Index\n\n| id | what |\n|----|------|\n| T001 | a |\n"
    ours = (head + "\n<!-- status:start -->\n").encode()
    theirs = head.replace("[ ] T001", "[x] T001").encode()
    result = merge_bytes(b"", ours, theirs)
    assert result.conflicts == 0
    assert result.data == ours.replace(b"[ ] T001", b"[x] T001")


def test_add_add_two_drafts_of_one_paragraph_are_a_conflict() -> None:
    ours = b"# Plan\n\nServer becomes read-only on the document table after US1.\n\n- [ ] a\n"
    theirs = b"# Plan\n\nServer becomes read-only on the file table (renamed) after US1.\n\n- [ ] a\n"
    result = merge_bytes(b"", ours, theirs)
    assert result.conflicts == 1
    assert result.data.count(b"read-only") == 2 and result.data.count(b"- [ ] a") == 1


def test_add_add_a_paragraph_one_side_went_on_writing_takes_the_longer() -> None:
    ours = b"# Plan\n\nThe listing read README.md as a task. It confused users.\n"
    theirs = b"# Plan\n\nThe listing read README.md as a task.\n"
    assert merge_bytes(b"", ours, theirs).data == ours
    assert merge_bytes(b"", theirs, ours).data == ours
