"""Properties of the merge, on generated task lists and generated concurrent edits."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.identity import normalize_title
from zyflow_git.core.merge import merge_bytes
from zyflow_git.core.parse import parse_bytes

from .docgen import documents

TASK = re.compile(r"^(\s*)([-*]|\d+\.) \[([ xX])\] (.*)$")
WORDS = ["parser", "merge", "store", "hooks", "docs", "bench", "login", "cache", "렌더러", "api"]


@st.composite
def task_file(draw: st.DrawFn) -> list[str]:
    """A task list with unique titles: sections, labels, nested subtasks, detail lines, prose."""
    counter = iter(range(10_000))
    lines = ["# Plan", ""]
    for s in range(1, draw(st.integers(1, 3)) + 1):
        lines += [f"## {s}. Section {draw(st.sampled_from(WORDS))}", ""]
        if draw(st.booleans()):
            lines += ["Some prose about this section.", ""]
        for t in range(1, draw(st.integers(0, 5)) + 1):
            box = draw(st.sampled_from([" ", "x"]))
            lines.append(f"- [{box}] {s}.{t} {draw(st.sampled_from(WORDS))} item {next(counter)}")
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"  - [ ] {s}.{t}.1 sub item {next(counter)}")
            if draw(st.integers(0, 4)) == 0:
                lines.append(f"  - detail {next(counter)}")
        lines.append("")
    return lines


def task_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if TASK.match(line)]


@st.composite
def edited(draw: st.DrawFn, lines: list[str], tag: str) -> list[str]:
    """The file after a few random edits: toggles, retitles, deletes, inserts."""
    out = list(lines)
    fresh = iter(range(10_000))
    for _ in range(draw(st.integers(0, 4))):
        idx = task_lines(out)
        op = draw(st.sampled_from(["toggle", "retitle", "delete", "insert"]))
        if not idx:
            op = "insert"
        if op == "insert":
            at = draw(st.sampled_from(idx)) if idx else len(out) - 1
            indent = TASK.match(out[at]).group(1) if idx else ""  # type: ignore[union-attr]
            code = "".join(draw(st.lists(st.sampled_from("qwzjkvy"), min_size=3, max_size=3)))
            out.insert(at + 1, f"{indent}- [ ] added by {tag} {code}{next(fresh)}")
            continue
        i = draw(st.sampled_from(idx))
        m = TASK.match(out[i])
        assert m is not None
        ind, mark, box, rest = m.groups()
        if op == "toggle":
            out[i] = f"{ind}{mark} [{' ' if box != ' ' else 'x'}] {rest}"
        elif op == "retitle":
            out[i] = f"{ind}{mark} [{box}] {rest} {tag}"
        else:
            nxt = out[i + 1] if i + 1 < len(out) else ""
            if nxt.startswith(ind + " ") and nxt.strip():
                continue  # keep parents with children: deleting them re-parents
            del out[i]
    return out


def to_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def tasks_of(data: bytes) -> Counter[tuple[str, bool]]:
    return Counter((normalize_title(t.title), t.done) for t in parse_bytes(data).tasks)


@st.composite
def three_way(draw: st.DrawFn) -> tuple[bytes, bytes, bytes]:
    base = draw(task_file())
    return to_bytes(base), to_bytes(draw(edited(base, "ours"))), to_bytes(draw(edited(base, "theirs")))


@given(three_way())
def test_one_sided_change_gives_exactly_that_side(case: tuple[bytes, bytes, bytes]) -> None:
    base, ours, theirs = case
    assert merge_bytes(base, base, theirs).data == theirs
    assert merge_bytes(base, ours, base).data == ours


@given(documents())
def test_merging_a_file_with_itself_is_identity(text: str) -> None:
    data = text.encode("utf-8", "surrogateescape")
    assert merge_bytes(data, data, data).data == data


@given(three_way())
def test_the_same_change_on_both_sides_is_taken_once(case: tuple[bytes, bytes, bytes]) -> None:
    base, ours, _ = case
    assert merge_bytes(base, ours, ours).data == ours


@given(three_way())
def test_no_task_is_lost(case: tuple[bytes, bytes, bytes]) -> None:
    base, ours, theirs = case
    result = merge_bytes(base, ours, theirs)
    got = {normalize_title(t.title) for t in parse_bytes(result.data).tasks}
    text = result.data.decode()
    b, o, t = ({normalize_title(x.title) for x in parse_bytes(v).tasks} for v in (base, ours, theirs))
    for title in (o - b) | (t - b):  # added (or retitled) on a side
        assert title in got or title in text.casefold(), title
    for title in b:
        if title in o and title in t:  # deleted by neither side
            untouched = [v for v in (ours, theirs) if _line_of(v, title) == _line_of(base, title)]
            if untouched:
                assert title in got or result.conflicts, title


def _line_of(data: bytes, title: str) -> str | None:
    for task in parse_bytes(data).tasks:
        if normalize_title(task.title) == title:
            return task.head()
    return None


@given(three_way())
def test_swapping_ours_and_theirs_gives_the_same_tasks(case: tuple[bytes, bytes, bytes]) -> None:
    base, ours, theirs = case
    one, two = merge_bytes(base, ours, theirs), merge_bytes(base, theirs, ours)
    assert one.conflicts == two.conflicts
    if not one.conflicts:
        assert tasks_of(one.data) == tasks_of(two.data)


@given(st.text(alphabet="ab c", max_size=30), st.text(alphabet="ab c", max_size=30))
def test_similarity_of_a_title_extended_at_its_end_is_the_ratio_it_shortcuts(start: str, more: str) -> None:
    from zyflow_git.core.identity import LONE_GAP_SIMILARITY, _ratio, similarity

    a, b = start + more, start
    if a and b:
        assert similarity(a, b) == similarity(b, a) == max(LONE_GAP_SIMILARITY, _ratio(a, b))
