"""Merge work proportional to the change: runs of top-level tasks that no side touched.

Most of a task file is byte-identical in base, ours and theirs. ``find_runs`` cuts base at
its top-level lines (a task or bullet at column 0, an ATX heading) into segments, and takes
the maximal runs of base segments that stand, unchanged and in the same order, as segments of
all three versions. Each run is replaced by one placeholder task line in all three versions;
the merge then parses, matches, merges and verifies the much smaller texts, and ``expand``
puts each run's bytes back where its placeholder landed.

A run stands in for itself only where the whole merge would treat its tasks as units that
nobody changed: matched byte for byte (pass 0 of ``identity.match_units``), kept in place,
never relabelled, and read alike in the merged text. So a segment joins a run only when

- it opens with a task line at column 0, and every line of it is a task line, a blank line or
  a plain indented line (no fence, HTML, table, quote, heading, tab or other construct that
  could reach past the segment's end or change how the next top-level line is read);
- its text occurs once in each version, and each of its task lines occurs once in each
  version (so pass 0 pairs the run's tasks with themselves, as it pairs the placeholder);

and the merge of the smaller texts is used only when, in addition (``merge._check_trimmed``):

- both sides' matches keep base order (no move: then every pass of the matcher sees the same
  gaps and candidates with the runs as with their placeholders);
- relabelling changed nothing, and no label occurs twice counting the runs' labels;
- the unit after each placeholder starts at a top-level line, and the merged smaller text
  passes the merge's own verification.

Otherwise the caller merges the whole texts. A differential test proves both give the same
bytes on generated scenarios, the corpus and real merges.
"""

from __future__ import annotations

from .lazyre import lazy
from .parse import LABEL
from .record import Record
from .tally import tally
from .text import Text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Task

# A line that starts a segment: a bullet with content, or an ATX heading, at column 0.
_TOP = lazy(r"[-*+] \S|#{1,6}(?:[ \t]|\r?\n|\r|$)")
# A segment that may join a run: a task at column 0, then task lines, blank lines and plain
# indented lines only (a plain line starts with a letter, "(", a quotation mark, or a single
# emphasis or code mark; never a digit, a block quote, HTML, a fence, a table, a heading or a
# rule), and no tab or "|" anywhere.
# A CR is a line end of its own only where no LF follows: else "\r\n" could also be read as a
# line ending in CR and an empty line, and a CRLF segment that does not match would be tried
# every way (2^n for n such lines: a task with 22 CRLF detail lines above a tab took 15 s).
_EOL = r"(?:\r\n|\r(?!\n)|\n)"
_TASK_LINE = r" *[-*+] \[[ xX~-]\]\*?(?: [^\t|\r\n]*)?" + _EOL
_PLAIN_LINE = (r" {2,}(?:[-*+] )?(?:[^\W\d_]|[(\"']|\*\*?[^\W\d_]|_[^\W\d_]|`[^`\s])[^\t|\r\n]*" + _EOL)
_BLANK_LINE = r" *" + _EOL
_QUIET = lazy(r"[-*+] \[[ xX~-]\]\*?(?: [^\t|\r\n]*)?" + _EOL
              + r"(?:" + _TASK_LINE + "|" + _PLAIN_LINE + "|" + _BLANK_LINE + ")*")
_TASK = lazy(_TASK_LINE)
# A one-line segment's start, for _quiet_line: then a space and the title, or the line's end.
_QUIET_HEAD = lazy(r"[-*+] \[[ xX~-]\]\*?[ \r\n]")
# One line a run may hold; a task line at column 0 (both also serve events.quick_events).
QUIET_LINE = lazy(_TASK_LINE + "|" + _PLAIN_LINE + "|" + _BLANK_LINE)
TOP_TASK_LINE = lazy(r"[-*+] \[[ xX~-]\]\*?(?: [^\t|\r\n]*)?" + _EOL)
# The label split_head reads off a quiet task line: parse.LABEL, its end of line before the EOL.
# Each line is found by the "\n" before it (the text is searched with one put in front): a
# pattern that opens with a literal is searched for that character, "(?m)^" at every position.
_LABELS = lazy(r"\n *[-*+] \[[ xX~-]\]\*?[ ]+" + LABEL.pattern.replace("|$)", r"|(?=[\r\n]|\Z))"))

PLACEHOLDER = "@@zyflow-git run {n} {nonce}@@"
_PLACEHOLDER_LINE = lazy(r"(?m)^- \[ \] (@@zyflow-git run \d+ [0-9a-f]+@@)(?:\r\n|\r|\n)")


class Trimmed(Record):
    """The three smaller texts and the runs their placeholders stand for (by placeholder title)."""

    __slots__ = ("base", "ours", "theirs", "runs", "nonce")
    base: Text
    ours: Text
    theirs: Text
    runs: dict[str, str]  # placeholder title -> the run's text, without its trailing blank lines
    nonce: str

    def labels(self) -> list[str]:
        """The labels of the runs' tasks, as ``parse.split_head`` reads them."""
        return [label for label, _ in _LABELS.findall("\n" + "".join(self.runs.values()))]

    def placeholders(self, tasks: list[Task]) -> bool:
        """Whether each placeholder is read as a top-level task, once (not swallowed by a
        fence, an HTML block or a table the text before it opened)."""
        found = [t.title for t in tasks if t.depth == 0 and t.title in self.runs]
        return len(found) == len(self.runs) and set(found) == set(self.runs)

    def expand(self, text: str) -> str:
        """A merged smaller text with each placeholder line replaced by its run's lines."""
        parts: list[str] = []
        titles: list[str] = []
        pos = 0
        for found in _PLACEHOLDER_LINE.finditer(text):
            title = found.group(1)
            if title in self.runs:
                parts += (text[pos:found.start()], self.runs[title])
                titles.append(title)
                pos = found.end()
        if len(titles) != len(self.runs) or set(titles) != set(self.runs):
            raise Declined("a placeholder is missing from the merged text, or stands twice")
        parts.append(text[pos:])
        return "".join(parts)


class Declined(Exception):
    """The smaller texts would not merge as the whole ones do: merge the whole texts."""


def cuts(lines: tuple[str, ...]) -> list[int]:
    """The indexes of the top-level lines (a bullet with content or an ATX heading at column
    0) after the front matter: where the segments start. A task line ("- [") needs no pattern."""
    from .structure import front_matter_end

    top = _TOP.match
    return [i for i in range(front_matter_end(lines), len(lines))
            if lines[i].startswith("- [") or (lines[i][0] in "-*+#" and top(lines[i]))]


def find_runs(base: Text, ours: Text, theirs: Text, worth: float = 1.0) -> Trimmed | None:
    """The three texts with their quiet, shared runs replaced by placeholders (None when
    there is no run, or when base's quiet segments are too few to leave a smaller base of at
    most ``worth`` of its lines).

    A segment is base's lines from one cut to the next; the text before the first cut and the
    last segment always stay. Its first line is a task line that occurs once in each version,
    so where it stands in ours and theirs is a dict lookup, and the segment stands there too
    when the lines that follow are the same and the next line is a cut there as well (whether
    a line is a cut depends on that line alone, past the front matter)."""
    from .structure import front_matter_end

    b_lines, o_lines, t_lines = base.lines, ours.lines, theirs.lines
    starts = cuts(b_lines)
    quiet_b = [(a, end) for a, end in zip(starts, starts[1:])
               if (_quiet_line(b_lines[a]) if end - a == 1 else _QUIET.fullmatch("".join(b_lines[a:end])))]
    if len(b_lines) - sum([end - a for a, end in quiet_b]) > len(b_lines) * worth:
        return None  # a file of few quiet segments (prose, many headings): merge it whole at once
    texts = (base, ours, theirs)
    once_b, once_o, once_t = (tally(t.lines) for t in texts)
    at_o = dict(zip(o_lines, range(len(o_lines))))  # where a line stands (its last place)
    at_t = dict(zip(t_lines, range(len(t_lines))))
    fm_o, fm_t = front_matter_end(o_lines), front_matter_end(t_lines)
    n_o, n_t = len(o_lines), len(t_lines)
    quiet: list[tuple[int, int, int, int]] = []  # (base, ours, theirs) first line; number of lines
    for a, end in quiet_b:
        first = b_lines[a]
        if once_b[first] != 1 or once_o.get(first) != 1 or once_t.get(first) != 1:
            continue
        p, r, n = at_o[first], at_t[first], end - a
        if p < fm_o or r < fm_t or p + n >= n_o or r + n >= n_t:
            continue  # in front matter, or the last segment there
        if n > 1 and (o_lines[p:p + n] != b_lines[a:end] or t_lines[r:r + n] != b_lines[a:end]):
            continue
        o_next, t_next = o_lines[p + n], t_lines[r + n]
        if not (o_next.startswith("- [") or _is_cut(o_next)) or not (t_next.startswith("- [") or _is_cut(t_next)):
            continue  # the segment goes on there
        if n > 1 and any(_TASK.fullmatch(line) for line in b_lines[a + 1:end]
                         if "[" in line and (once_b[line] > 1 or once_o[line] > 1 or once_t[line] > 1)):
            continue  # pass 0 would not pair a task line some version holds twice
        quiet.append((a, p, r, n))
    groups: list[list[int]] = []  # [base, ours, theirs first line, number of lines]
    for a, p, r, n in quiet:
        if groups:
            last = groups[-1]
            if a == last[0] + last[3] and p == last[1] + last[3] and r == last[2] + last[3]:
                last[3] += n  # the next segment in all three
                continue
            if p < last[1] or r < last[2]:
                continue  # a side moved this segment before an earlier run; it stays, and the merge sees the move
        groups.append([a, p, r, n])
    if not groups:
        return None
    nonce = _nonce(texts)
    runs: dict[str, str] = {}
    out: list[list[str]] = [[], [], []]
    pos = [0, 0, 0]
    for number, (a, p, r, n) in enumerate(groups):
        title = PLACEHOLDER.format(n=number, nonce=nonce)
        kept = n  # the blank lines at its end stay (it always matches)
        while kept > 1 and not b_lines[a + kept - 1].strip(" \r\n"):
            kept -= 1
        runs[title] = body = "".join(b_lines[a:a + kept])
        placeholder = [f"- [ ] {title}{_eol_of(body)}", *b_lines[a + kept:a + n]]
        for v, at in enumerate((a, p, r)):
            out[v] += texts[v].lines[pos[v]:at]
            out[v] += placeholder
            pos[v] = at + n
    trimmed = [Text(t.bom, (*lines, *t.lines[at:])) for t, lines, at in zip(texts, out, pos)]
    return Trimmed(trimmed[0], trimmed[1], trimmed[2], runs, nonce)


def _quiet_line(line: str) -> bool:
    """``_QUIET.fullmatch`` of one line that ends with its line end, for half the time (the
    pattern's character class is tried character by character; ``in`` is a C search)."""
    return _QUIET_HEAD.match(line) is not None and "\t" not in line and "|" not in line


def _is_cut(line: str) -> bool:
    """Whether a line past the front matter starts a segment (as ``cuts`` reads it)."""
    return line.startswith("- [") or (line[0] in "-*+#" and _TOP.match(line) is not None)


def _nonce(texts: tuple[Text, ...]) -> str:
    """A word no version holds, so placeholders cannot meet a real line."""
    joined = ["".join(t.lines) for t in texts]
    n = 0
    while any(f"{n:x}@@" in j for j in joined):
        n += 1
    return f"{n:x}"


def _eol_of(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else line[-1:] if line[-1:] in ("\r", "\n") else "\n"


def stands_alone(pieces: list[object], runs: dict[str, str]) -> bool:
    """Whether the unit after each placeholder starts at a top-level line (or none follows)."""
    from .model import Task

    for i, piece in enumerate(pieces):
        if type(piece) is Task and piece.title in runs and i + 1 < len(pieces):
            nxt = pieces[i + 1]
            if type(nxt) is Task:
                first = nxt.head()
            else:
                lines = getattr(nxt, "lines", None)
                first = lines[0] if lines else ""
            if not first or not _TOP.match(first):
                return False
    return True


def ordered(pairs: dict[int, int]) -> bool:
    """Whether a matching keeps base order (no unit moved)."""
    olds = [o for _, o in sorted(pairs.items())]
    return all(a < b for a, b in zip(olds, olds[1:]))
