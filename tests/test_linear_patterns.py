"""No pattern of the package backtracks more than linearly on what a clone can put in a file:
each stall an adversarial run or a fuzz of every pattern found has a hang guard (a real process
under a timeout that it used to outlive; not a timing figure) and, where a pattern was rewritten,
a property holding it to the pattern it replaced."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from .gitutil import ZYFLOW


def test_repeated_double_stars_on_a_deep_path_answer_at_once() -> None:
    """A regex of ten `**/` took 384 s on a deep path inside a hook; the matcher is linear."""
    code = ("from zyflow_git.core.globs import PathMatcher\n"
            "m = PathMatcher(('**/' * 10 + 'x/tasks.md',))\n"
            "print(m.match('a/' * 2000 + 'tasks.md'), m.match('a/' * 50 + 'x/tasks.md'))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["False", "True"]


def test_a_long_crlf_task_with_a_tab_in_its_details_merges_at_once(tmp_path: Path) -> None:
    """The pattern that tells a run's segments could split CRLF as CR + an empty line: a task
    with 22 CRLF detail lines and a tab below took 15 s to refuse (exponential), so a Windows
    task file of 300 lines with 40 such lines stalled the driver for good. It is unambiguous
    now; the merge answers at once (a hang guard, not a timing figure)."""
    tasks = [f"- [ ] 1.{n} Task {n} with a title\r\n" for n in range(1, 400)]
    tasks[200] = "- [ ] 1.201 Long task\r\n" + "  detail line of the long task\r\n" * 40 + "  a cell\tafter a tab\r\n"
    base = "# Tasks\r\n\r\n" + "".join(tasks)
    ours = base.replace("- [ ] 1.5 ", "- [x] 1.5 ")
    theirs = base.replace("- [ ] 1.390 ", "- [x] 1.390 ")
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / name).write_bytes(text.encode())
    proc = subprocess.run([ZYFLOW, "merge-driver", "base", "ours", "theirs", "7", "tasks.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ours").read_bytes() == base.replace("- [ ] 1.5 ", "- [x] 1.5 ").replace("- [ ] 1.390 ", "- [x] 1.390 ").encode()


def test_a_long_heading_edited_on_one_side_merges_at_once(tmp_path: Path) -> None:
    """The status words at a heading's end ("COMPLETED", "DONE") were dropped by a pattern
    that tried every start in a run of separators: quadratic, so a heading of 30,000 dashes
    edited on one side kept `git merge` for 108 s. They are found by the word now (a hang
    guard, not a timing figure)."""
    base = "# T\n\n## Phase " + "-" * 40_000 + " x\n\n- [ ] 1.1 a\n- [ ] 1.2 b\n"
    ours = base.replace("[ ] 1.1", "[x] 1.1")
    theirs = base.replace("[ ] 1.2", "[x] 1.2").replace(" x\n", " y\n")
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / name).write_text(text)
    proc = subprocess.run([ZYFLOW, "merge-driver", "base", "ours", "theirs", "7", "tasks.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ours").read_text() == theirs.replace("[ ] 1.1", "[x] 1.1")


@settings(max_examples=300 if os.environ.get("CI") else 3000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.sampled_from(["DONE", "TODO", "WIP", "COMPLETE", "COMPLETED", "IN PROGRESS", "IN", "PROGRESS", "x", "Phase",
                                 " ", "  ", "-", ":", "–", "—", ".", "!", "\n", "\t", "\u3000", "(", "_", "é"]), max_size=12))
def test_status_words_are_dropped_as_the_quadratic_pattern_dropped_them(pieces: list[str]) -> None:
    from zyflow_git.core.identity import _drop_status

    text = "".join(pieces)
    assert _drop_status(text) == re.sub(r"[\s:\-–—]*\b(?:COMPLETED?|DONE|WIP|IN PROGRESS|TODO)\b[\s.!]*$", "", text)


def test_front_matter_lines_with_long_runs_of_spaces_are_read_at_once() -> None:
    """Two front-matter patterns tried every split of a run of spaces: a list item with 80,000
    spaces inside took ~6 minutes, a value with 100,000 spaces before text ~30 s (quadratic).
    A hang guard, not a timing figure."""
    code = ("from zyflow_git.core.frontmatter import _items, _scalar\n"
            "print(_items('tags:\\n- a' + ' ' * 80000 + 'b\\n- c\\n'), _scalar('title: a' + ' ' * 100000 + 'b # note\\n'))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{['a' + ' ' * 80000 + 'b', 'c']!r} {'a' + ' ' * 100000 + 'b'}\n"


LINE_BITS = ["-", " ", "  ", "\t", "a", "b c", "#", " #x", "\r", "\u2028", "\x0b", "é"]


@settings(max_examples=300 if os.environ.get("CI") else 3000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.sampled_from(LINE_BITS), max_size=10), st.sampled_from(["", "\n", "\r\n", "\r"]))
def test_front_matter_items_and_comments_read_as_the_quadratic_patterns_read_them(bits: list[str], eol: str) -> None:
    from zyflow_git.core.frontmatter import _COMMENT, _item

    for line in ("".join(bits) + eol).splitlines(keepends=True) or [""]:
        old = re.match(r"^([ \t]*)-[ \t]+(.*?)[ \t]*(\r?\n)?$", line)
        assert _item(line) == (None if old is None else (old.group(1), old.group(2))), repr(line)
    value = "".join(bits).strip()
    assert _COMMENT.sub("", value) == re.sub(r"\s+#.*$", "", value)


OLD_DELIMITER = r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?\|?[ \t]*\r?\n?$"


def test_a_table_line_of_blanks_is_read_at_once() -> None:
    """The table-delimiter pattern could split a run of blanks between two of its parts every
    way (quadratic: 200,000 blanks, ~37 minutes); a hang guard, not a timing figure."""
    code = ("from zyflow_git.core.tables import _DELIMITER\n"
            "print(_DELIMITER.match(' ' * 200000 + 'x'), bool(_DELIMITER.match('| --- |' + ' ' * 200000 + '\\n')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["None", "True"]


@settings(max_examples=300 if os.environ.get("CI") else 3000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.sampled_from([" ", "\t", "|", "-", "--", ":", "a", "\r", "\n"]), max_size=14))
def test_table_delimiters_are_read_as_the_quadratic_pattern_read_them(bits: list[str]) -> None:
    from zyflow_git.core.tables import _DELIMITER

    line = "".join(bits)
    assert bool(_DELIMITER.match(line)) == bool(re.match(OLD_DELIMITER, line)), repr(line)
