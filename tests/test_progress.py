"""The progress bar of long walks: on a terminal, after about a second, never when piped."""

from __future__ import annotations

import io
import re

import pytest

from zyflow_git import progress

from .gitutil import Repo, on_a_pty


def test_the_bar_waits_for_a_slow_walk_then_draws_and_ends_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    out = io.StringIO()
    bar = progress.Bar("reading history", "commits", out, after=1.0)
    bar(1, 10)
    now[0] += 0.5
    bar(2, 10)
    assert out.getvalue() == "", "a walk that may end soon shows nothing"
    now[0] += 0.6
    bar(3, 10)
    assert out.getvalue().endswith("[#########.....................] 3/10 commits")
    now[0] += 0.01
    bar(4, 10)
    assert "4/10" not in out.getvalue(), "redrawn at most every 0.1 s"
    now[0] += 1
    bar(10, 10)
    assert out.getvalue().endswith("] 10/10 commits\n")
    bar.close()
    assert out.getvalue().count("\n") == 1


def test_a_quick_walk_shows_no_bar_and_a_failed_one_ends_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    out = io.StringIO()
    quick = progress.Bar("reading history", "commits", out, after=1.0)
    for n in range(1, 6):
        quick(n, 5)
    assert out.getvalue() == ""
    slow = progress.Bar("reading history", "commits", out, after=0.0)
    slow(1, 5)
    slow.close()  # the walk stopped (an error, ^C): the cursor is left on a new line
    assert out.getvalue().endswith("1/5 commits\n")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A repository of 60 commits, each checking one task (made without hooks, for speed)."""
    r = Repo.installed(tmp_path_factory.mktemp("history"), {"tasks.md": "".join(f"- [ ] 1.{k} Task {k}\n" for k in range(1, 61))})
    for k in range(1, 59):
        r.write("tasks.md", r.read("tasks.md").replace(f"- [ ] 1.{k} ", f"- [x] 1.{k} "))
        r.git("-c", "core.hooksPath=/dev/null", "commit", "-qam", f"check {k}")
    return r


def forget_history(repo: Repo) -> None:
    """Remove the store, so that the next command reads the history again."""
    for db in (repo.root / ".git" / "zyflow").glob("state.db*"):
        db.unlink()


@pytest.mark.parametrize("command", [("log", "--json"), ("replay", "HEAD~5"), ("blame", "tasks.md"), ("show", "tasks.md#1.3")])
def test_walks_report_progress_on_a_terminal_only(history: Repo, command: tuple[str, ...]) -> None:
    forget_history(history)
    shown = on_a_pty(history, list(command), stream="stderr", env={"ZYFLOW_GIT_PROGRESS_AFTER": "0"})
    walked = re.findall(r"reading history \[[#.]{30}\] (\d+)/(\d+) commits", shown)
    assert walked and walked[-1][0] == walked[-1][1] and int(walked[-1][1]) >= 58, shown
    assert shown.endswith("commits\r\n"), "the bar ends its line"
    forget_history(history)
    piped = history.zyflow(*command)
    assert "reading history" not in piped.stderr
