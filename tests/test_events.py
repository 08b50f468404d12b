"""quick_events (no parse, no matcher) agrees with task_events wherever it answers."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.events import quick_events, task_events
from zyflow_git.core.parse import parse_text
from zyflow_git.core.text import Text, split_lines

from .test_merge_properties import TASK, task_file

LABEL = re.compile(r"^(\d+)\.(\d+)")


def doc(lines: list[str]):  # type: ignore[no-untyped-def]
    return parse_text(Text(False, split_lines("\n".join(lines) + "\n")))


@st.composite
def small_edits(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    old = draw(task_file())
    new = list(old)
    idx = [i for i, line in enumerate(new) if TASK.match(line)]
    for _ in range(draw(st.integers(0, 3))):
        if not idx:
            break
        i = draw(st.sampled_from(idx))
        m = TASK.match(new[i])
        assert m is not None
        ind, mark, box, rest = m.groups()
        op = draw(st.sampled_from(["toggle", "relabel", "emphasis", "reword", "rename", "duplicate", "insert", "insert"]))
        if op == "insert":  # new tasks after this one (or after its details), or at the end
            at = draw(st.sampled_from([i + 1, i + 2, len(new)]))
            titles = draw(st.lists(st.sampled_from(["Write docs", "Ship it", rest, "9.9 Added"]), min_size=1, max_size=3))
            new[at:at] = [f"{draw(st.sampled_from(['- ', '* ', '  - ']))}[{draw(st.sampled_from([' ', 'x']))}] {t}" for t in titles]
            idx = [j for j, line in enumerate(new) if TASK.match(line)]
        elif op == "toggle":
            new[i] = f"{ind}{mark} [{' ' if box != ' ' else 'x'}] {rest}"
        elif op == "relabel":
            relabelled = LABEL.sub(lambda g: f"{g[1]}.{int(g[2]) + 1}", rest)
            new[i] = f"{ind}{mark} [{box}] {relabelled}"
        elif op == "emphasis":
            new[i] = f"{ind}{mark} [{box}] **{rest}**"
        elif op == "reword":
            new[i] = f"{ind}{mark} [{box}] {rest} again"
        elif op == "rename":  # other words (alike or not), the label kept or not
            label = LABEL.match(rest)
            words = draw(st.sampled_from(["Quite other words", "zz", rest[::-1], rest[: len(rest) // 2] + " and more"]))
            new[i] = f"{ind}{mark} [{draw(st.sampled_from([box, 'x']))}] {label.group(0) + ' ' if label and draw(st.booleans()) else ''}{words}"
        else:
            new[i] = new[draw(st.sampled_from(idx))]
    return old, new


@given(small_edits())
def test_quick_events_agree_with_task_events(case: tuple[list[str], list[str]]) -> None:
    agree(case)


def agree(case: tuple[list[str], list[str]]) -> None:
    """Wherever quick_events answers: the units (lines and parents too), events and mapping of
    a parse and task_events."""
    old_lines, new_lines = case
    old = doc(old_lines)
    o = split_lines("\n".join(old_lines) + "\n")
    n = split_lines("\n".join(new_lines) + "\n")
    quick = quick_events(old, o, n)
    if quick is None:
        return
    new_doc, events, mapping = quick
    reference = parse_text(Text(False, n))
    assert new_doc.render() == reference.render()
    assert [(u.__class__, u) for u in new_doc.units] == [(u.__class__, u) for u in reference.units]
    assert [(u.line, getattr(u, "parent", None), getattr(u, "depth", None)) for u in new_doc.units] == \
        [(u.line, getattr(u, "parent", None), getattr(u, "depth", None)) for u in reference.units]
    assert (events, mapping) == task_events(old, reference)


def test_quick_events_answer_for_tasks_added_at_the_end_and_between() -> None:
    lines = ["# T", "", "## 1. Work", "", "- [ ] 1.1 one", "  - detail", "- [ ] 1.2 two", "", "## 2. More", "", "- [x] 2.1 three"]
    old = doc(lines)
    o = split_lines("\n".join(lines) + "\n")
    for at, added in ((len(lines), ["- [ ] 2.2 four"]), (6, ["- [ ] 1.3 new", "- [x] 1.4 newer"]),
                      (7, ["- [ ] 1.5 after a blank"]), (5, ["- [ ] 1.6 takes the details"])):
        new_lines = lines[:at] + added + lines[at:]
        n = split_lines("\n".join(new_lines) + "\n")
        result = quick_events(old, o, n)
        if at in (5, 7):  # a blank line would lead it / the details would become its own: parsed
            assert result is None
            continue
        assert result is not None and [e.event for e in result[1]] == ["added"] * len(added)
        assert (result[1], result[2]) == task_events(old, parse_text(Text(False, n)))


def test_quick_events_answer_for_a_toggle() -> None:
    lines = ["# T", "", "- [ ] 1.1 one", "- [ ] 1.2 two"]
    old = doc(lines)
    o = split_lines("\n".join(lines) + "\n")
    n = split_lines("\n".join(lines).replace("[ ] 1.2", "[x] 1.2") + "\n")
    result = quick_events(old, o, n)
    assert result is not None and [e.event for e in result[1]] == ["checked"]


@st.composite
def flat_lists_with_inserts(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Plans like most real ones (top-level tasks under headings, some details), and task lines
    inserted at any line: the insert quick path's home ground, and every way around it."""
    lines: list[str] = []
    for s in range(draw(st.integers(1, 3))):
        lines += [f"## {s + 1}. Part", ""] if draw(st.booleans()) else [f"## {s + 1}. Part"]
        for t in range(draw(st.integers(0, 5))):
            lines.append(f"{draw(st.sampled_from(['- ', '* ']))}[{draw(st.sampled_from([' ', 'x']))}] {s + 1}.{t + 1} "
                         f"{draw(st.sampled_from(['Task', 'Write docs', 'Ship it']))} {t}")
            if draw(st.integers(0, 4)) == 0:
                lines.append(draw(st.sampled_from(["  - detail", "  - [ ] sub task", "  more words", "", "```"])))
    new = list(lines)
    at = draw(st.integers(0, len(new)))
    new[at:at] = [f"{draw(st.sampled_from(['- ', '* ', '  - ', '-  ']))}[ ] {draw(st.sampled_from(['New one', 'Ship it 0', '1.1 Task 0', 'Other']))}"
                  for _ in range(draw(st.integers(1, 3)))]
    return lines, new


@given(flat_lists_with_inserts())
def test_quick_events_for_inserted_tasks_agree_with_task_events(case: tuple[list[str], list[str]]) -> None:
    agree(case)


def test_quick_events_for_a_reword_pair_alike_titles_and_part_others() -> None:
    lines = ["# T", "", "- [ ] 1.1 one thing to do", "- [ ] 1.2 two"]
    for new, want in (("- [ ] 1.1 one thing to do now", ["edited"]), ("- [x] zz", ["added", "removed"])):
        case = (lines, lines[:2] + [new] + lines[3:])
        result = quick_events(doc(lines), split_lines("\n".join(lines) + "\n"), split_lines("\n".join(case[1]) + "\n"))
        assert result is not None and [e.event for e in result[1]] == want
        agree(case)


@given(st.one_of(small_edits(), flat_lists_with_inserts()))
def test_the_sync_carries_ids_by_the_quick_path_as_the_matcher_does(case: tuple[list[str], list[str]]) -> None:
    """reconcile._next_version (the hooks' sync: the previous version parsed, the new one made
    by quick_events) gives the document a parse gives and the ids _match_ids carries."""
    from zyflow_git.core.parse import parse_bytes
    from zyflow_git.core.text import decode
    from zyflow_git.reconcile import _match_ids, _next_version

    old_data, new_data = (("\n".join(lines) + "\n").encode() for lines in case)
    old_ids = [f"id{k}" for k in range(len(parse_bytes(old_data).tasks))]
    old = decode(old_data)
    new_doc, carried = _next_version(old, parse_text(old), old_ids, decode(new_data))
    if new_doc is None:
        return
    reference = parse_bytes(new_data)
    assert [(u.__class__, u, u.line) for u in new_doc.units] == [(u.__class__, u, u.line) for u in reference.units]
    assert carried == _match_ids(old_data, old_ids, reference)


def test_a_document_made_anew_derives_anew() -> None:
    """Document.derived travels only where the quick path hands it on: a replaced document
    (other units) computes its section paths again, and derived values are not compared."""
    first = doc(["# A", "- [ ] 1.1 one", "# B", "- [ ] 2.1 two"])
    assert first.sections()[3] == ("B",)
    moved = first.replace(units=(first.units[2], first.units[3], first.units[0], first.units[1]))
    assert moved.sections()[3] == ("A",) and first.sections()[3] == ("B",)
    assert doc(["# A", "- [ ] 1.1 one", "# B", "- [ ] 2.1 two"]) == first  # one has derived, one not
