"""core/edits on generated documents: a write changes only the bytes of the task concerned,
and re-parses to the task it meant (property-based; the CLI and corpus tests are in
test_act_on_tasks.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core import edits
from zyflow_git.core.parse import parse_text
from zyflow_git.core.text import decode, encode

from .docgen import documents, task_lists


def _parsed(text: str):  # type: ignore[no-untyped-def]
    t = decode(text.encode("utf-8"))
    return t, parse_text(t)


@given(st.one_of(documents(), task_lists()), st.integers(0, 10_000), st.booleans())
def test_set_box_changes_one_character_and_only_that_task(text: str, pick: int, done: bool) -> None:
    t, doc = _parsed(text)
    if not doc.tasks:
        return
    k = pick % len(doc.tasks)
    lines = edits.set_box(t.lines, doc, doc.tasks[k], done)
    before, after = "".join(t.lines), "".join(lines)
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after)) <= 1
    again = parse_text(decode(encode(t.bom, after)))
    assert [x.done for x in again.tasks] == [(done if j == k else x.done) for j, x in enumerate(doc.tasks)]


@given(st.one_of(documents(), task_lists()), st.integers(0, 10_000), st.sampled_from(["Ship it", "[P] Tagged", "Ünïcode ✅"]))
def test_retitle_changes_only_the_tasks_title_lines(text: str, pick: int, title: str) -> None:
    t, doc = _parsed(text)
    if not doc.tasks:
        return
    k = pick % len(doc.tasks)
    task = doc.tasks[k]
    lines = edits.retitle(t.lines, task, title)
    n = edits.wrapped(task)
    assert lines[: task.line] == t.lines[: task.line] and lines[task.line + 1:] == t.lines[task.line + 1 + n:]
    again = parse_text(decode(encode(t.bom, "".join(lines))))
    assert len(again.tasks) == len(doc.tasks)
    new = again.tasks[k]
    assert (new.label, new.state, new.prefix) == (task.label, task.state, task.prefix)
    assert new.title.endswith(title)


@given(task_lists(), st.integers(0, 10_000))
def test_a_task_inserted_after_another_is_a_new_line_and_a_new_task(text: str, pick: int) -> None:
    t, doc = _parsed(text)
    if not doc.tasks:
        return
    ref = doc.tasks[pick % len(doc.tasks)]
    k = list(doc.units).index(ref)
    end = edits.subtree_end(doc, k)
    at = edits.unit_end_line(doc, end - 1)
    siblings = [u for u in doc.tasks if u.parent == ref.parent and u.depth == ref.depth]
    label = edits.next_label(doc, siblings, ref, None, None)
    moves = edits.shifted(doc, [s for s in siblings if s.line > ref.line], label)
    new = edits.task_line(ref, ref.prefix, label, "Inserted", "\n")
    lines = edits.insert_lines(edits.relabel(t.lines, moves), at, [new])
    again = parse_text(decode(encode(t.bom, "".join(lines))))
    assert len(again.tasks) == len(doc.tasks) + 1
    labels = [x.label for x in again.tasks]
    assert len(set(labels)) == len(labels) or len(set(x.label for x in doc.tasks)) < len(doc.tasks)
    assert sum(1 for a, b in zip(lines[:at] + lines[at + 1:], t.lines) if a != b) == len(moves)
