"""The parsing rules, one test each (see docs/format.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zyflow_git.core.model import Block, Heading, Task, section_paths
from zyflow_git.core.parse import parse, parse_bytes

from .test_roundtrip import CORPUS


def tasks(text: str, reference: bool = False) -> list[Task]:
    return parse(text, reference=reference).tasks


@pytest.fixture(params=[False, True], ids=["fast", "reference"])
def ref(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_headings_form_sections(ref: bool) -> None:
    doc = parse("# T\n## 1. Build\n- [ ] a\n### 1.1 Parser\n- [ ] b\n## Phase 2: Ship ✅\n- [ ] c\n", reference=ref)
    paths = [p for u, p in zip(doc.units, section_paths(doc.units)) if isinstance(u, Task)]
    assert paths == [("T", "1. Build"), ("T", "1. Build", "1.1 Parser"), ("T", "Phase 2: Ship ✅")]


def test_tasks_before_first_heading_belong_to_root(ref: bool) -> None:
    doc = parse("- [ ] early\n\n# Later\n- [x] late\n", reference=ref)
    assert [t.title for t in doc.tasks] == ["early", "late"]
    assert section_paths(doc.units)[0] == ()


@pytest.mark.parametrize("line", ["- [ ] a", "* [ ] a", "+ [ ] a", "1. [ ] a", "3) [ ] a"])
def test_markers(line: str, ref: bool) -> None:
    assert [t.title for t in tasks(line + "\n", ref)] == ["a"]


@pytest.mark.parametrize("box,done,state", [("[ ]", False, " "), ("[x]", True, "x"), ("[X]", True, "X"),
                                            ("[-]", False, "-"), ("[~]", False, "~")])
def test_checkbox_states(box: str, done: bool, state: str, ref: bool) -> None:
    (t,) = tasks(f"- {box} a\n", ref)
    assert (t.done, t.state, t.title) == (done, state, "a")


@pytest.mark.parametrize("line,label,title", [("- [ ]* 3.2 Property tests", "3.2", "Property tests"),
                                              ("  - [x]* 3.3 Done optional", "3.3", "Done optional"),
                                              ("- [ ]*", "", "")])
def test_kiro_optional_tasks(line: str, label: str, title: str, ref: bool) -> None:
    """Kiro marks optional tasks with a star after the box; the star is kept, apart from the label."""
    (t,) = tasks(line + "\n", ref)
    assert (t.optional, t.label, t.title) == (True, label, title)
    assert parse(line + "\n", reference=ref).render() == line + "\n"


@pytest.mark.parametrize("text", ["- [ ]no space\n", "- [ ]*no space\n", "- [ ]** two stars\n", "- [P] legend\n",
                                  "- [  ] two\n", "[ ] no marker\n", "- \\[ ] escaped\n"])
def test_not_tasks(text: str, ref: bool) -> None:
    assert tasks(text, ref) == []


@pytest.mark.parametrize("text,depths", [
    ("- [ ] a\n  - [ ] b\n    - [ ] c\n", [0, 1, 2]),
    ("- [ ] a\n    - [ ] b\n", [0, 1]),
    ("- [ ] a\n\t- [ ] b\n", [0, 1]),
    ("- plain\n  - [ ] b\n", [1]),
])
def test_nesting(text: str, depths: list[int], ref: bool) -> None:
    assert [t.depth for t in tasks(text, ref)] == depths


def test_nested_task_parent(ref: bool) -> None:
    a, b, c = tasks("- [ ] a\n  - [ ] b\n- [ ] c\n", ref)
    assert (a.parent, b.parent, c.parent) == (None, 0, None)


def test_detail_lines_belong_to_task(ref: bool) -> None:
    (t, u) = tasks("- [x] task-1-1: Types\n  - TaskCategory\n  - files: `a.ts`\n\n- [ ] task-1-2: Next\n", ref)
    assert t.body == ("  - TaskCategory\n", "  - files: `a.ts`\n")
    assert u.lead == ("\n",)


@pytest.mark.parametrize("title,label,rest", [
    ("1.1 Parser", "1.1", "Parser"),
    ("1.2.3 Deep", "1.2.3", "Deep"),
    ("task-1-2: Thing", "task-1-2:", "Thing"),
    ("T047: Add command", "T047:", "Add command"),
    ("3. Third", "3.", "Third"),
    ("2024 plans", "", "2024 plans"),
    ("1.5x faster", "", "1.5x faster"),
    ("Plain title", "", "Plain title"),
])
def test_labels(title: str, label: str, rest: str, ref: bool) -> None:
    (t,) = tasks(f"- [ ] {title}\n", ref)
    assert (t.label, t.title) == (label, rest)


@pytest.mark.parametrize("text", [
    "```\n- [ ] in fence\n```\n",
    "~~~md\n- [x] in fence\n~~~\n",
    "<!--\n- [ ] in comment\n-->\n",
    "<div>\n- [ ] in html\n</div>\n",
    "    - [ ] indented code\n",
    "> - [ ] in a quote\n",
])
def test_no_tasks_inside_opaque_blocks(text: str, ref: bool) -> None:
    assert tasks(text, ref) == []
    assert all(isinstance(u, Block) for u in parse(text, reference=ref).units)


def test_front_matter_is_one_opaque_block(ref: bool) -> None:
    doc = parse("---\nid: task-1\nstatus: To Do\n---\n\n## Acceptance\n- [ ] a\n", reference=ref)
    assert isinstance(doc.units[0], Block) and len(doc.units[0].lines) == 4
    assert [u.text for u in doc.units if isinstance(u, Heading)] == ["Acceptance"]


def test_duplicate_titles_are_distinct_tasks(ref: bool) -> None:
    assert [t.title for t in tasks("## A\n- [ ] Write tests\n## B\n- [ ] Write tests\n", ref)] == ["Write tests"] * 2


def test_headings_without_numbers(ref: bool) -> None:
    doc = parse("### Database & Schema\n- [ ] a\n", reference=ref)
    assert isinstance(doc.units[0], Heading) and doc.units[0].text == "Database & Schema"


def test_deep_nesting(ref: bool) -> None:
    text = "".join("  " * d + f"- [ ] level {d}\n" for d in range(12))
    assert [t.depth for t in tasks(text, ref)] == list(range(12))


def test_lazy_continuation_is_part_of_the_task(ref: bool) -> None:
    (t,) = tasks("- [ ] a long title\nthat wraps\n", ref)
    assert t.body == ("that wraps\n",)


def test_setext_heading_is_a_section() -> None:
    doc = parse("Title\n=====\n- [ ] a\n")
    assert doc.reference and isinstance(doc.units[0], Heading) and doc.units[0].text == "Title"


def test_prose_tables_rules_kept_in_place(ref: bool) -> None:
    text = "# T\n\nIntro prose.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n- [ ] a\n"
    doc = parse(text, reference=ref)
    assert doc.render() == text
    assert [type(u).__name__ for u in doc.units] == ["Heading", "Block", "Block", "Task"] or \
        [type(u).__name__ for u in doc.units][-1] == "Task"


CHECKBOX_LINE = re.compile(rb"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX~-]\](?:\*?[ \t]|\*?\r?$)")


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_checkbox_line_of_the_corpus_is_a_task(path: Path) -> None:
    """The real files hold no checkbox in code or HTML, so every checkbox line is a task
    (Kiro's `[-]`, `[~]` and optional `[ ]*` ones included)."""
    data = path.read_bytes()
    assert len(parse_bytes(data).tasks) == len(CHECKBOX_LINE.findall(data))
