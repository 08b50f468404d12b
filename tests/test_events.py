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
        op = draw(st.sampled_from(["toggle", "relabel", "emphasis", "reword", "duplicate"]))
        if op == "toggle":
            new[i] = f"{ind}{mark} [{' ' if box != ' ' else 'x'}] {rest}"
        elif op == "relabel":
            relabelled = LABEL.sub(lambda g: f"{g[1]}.{int(g[2]) + 1}", rest)
            new[i] = f"{ind}{mark} [{box}] {relabelled}"
        elif op == "emphasis":
            new[i] = f"{ind}{mark} [{box}] **{rest}**"
        elif op == "reword":
            new[i] = f"{ind}{mark} [{box}] {rest} again"
        else:
            new[i] = new[draw(st.sampled_from(idx))]
    return old, new


@given(small_edits())
def test_quick_events_agree_with_task_events(case: tuple[list[str], list[str]]) -> None:
    old_lines, new_lines = case
    old = doc(old_lines)
    o = split_lines("\n".join(old_lines) + "\n")
    n = split_lines("\n".join(new_lines) + "\n")
    quick = quick_events(old, o, n)
    if quick is None:
        return
    new_doc, events = quick
    reference = parse_text(Text(False, n))
    assert new_doc.render() == reference.render()
    assert [(u.__class__, u) for u in new_doc.units] == [(u.__class__, u) for u in reference.units]
    want, mapping = task_events(old, reference)
    assert events == want
    assert mapping == {k: k for k in range(len(reference.tasks))}


def test_quick_events_answer_for_a_toggle() -> None:
    lines = ["# T", "", "- [ ] 1.1 one", "- [ ] 1.2 two"]
    old = doc(lines)
    o = split_lines("\n".join(lines) + "\n")
    n = split_lines("\n".join(lines).replace("[ ] 1.2", "[x] 1.2") + "\n")
    result = quick_events(old, o, n)
    assert result is not None and [e.event for e in result[1]] == ["checked"]
