"""Merge work proportional to the change: runs of top-level tasks that no side touched.

Most of a task file is byte-identical in base, ours and theirs. ``find_runs`` cuts each
version at its top-level lines (a task or bullet at column 0, an ATX heading) into segments,
and takes the maximal runs of base segments that stand, unchanged and in the same order, in
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
from .text import Text, split_lines

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
# One line a run may hold; a task line at column 0 (both also serve events.quick_events).
QUIET_LINE = lazy(_TASK_LINE + "|" + _PLAIN_LINE + "|" + _BLANK_LINE)
TOP_TASK_LINE = lazy(r"[-*+] \[[ xX~-]\]\*?(?: [^\t|\r\n]*)?" + _EOL)
_TASKS = lazy(r"(?m)^" + _TASK_LINE)
_LINE_END = lazy(r" *(?:\r\n|\r|\n)?")
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


def segments(text: Text) -> list[str]:
    """The text cut before each top-level line after its front matter; the first segment is
    what comes before the first such line (front matter included), possibly empty.

    Written for the 2,000-task file's ~7,000 lines a merge cuts: a task line ("- [") needs no
    pattern, and the segments are slices of the whole text (half the time of joining each
    segment's lines); ``_segments_by_line`` is the plain reference a test holds it to."""
    from itertools import accumulate

    from .structure import front_matter_end

    lines = text.lines
    top = _TOP.match
    cuts = [i for i in range(front_matter_end(lines), len(lines))
            if lines[i].startswith("- [") or (lines[i][0] in "-*+#" and top(lines[i]))]
    opens = bool(cuts) and cuts[0] == 0  # the text opens with a top-level line: an empty first segment
    bounds = [*cuts, len(lines)] if opens else [0, *cuts, len(lines)]
    whole = "".join(lines)
    ends = [0, *accumulate(map(len, lines))]
    pieces = [whole[ends[a]:ends[b]] for a, b in zip(bounds, bounds[1:])]
    return [""] + pieces if opens else pieces


def _segments_by_line(text: Text) -> list[str]:
    """``segments``, the plain way: line by line, each segment joined from its lines."""
    from .structure import front_matter_end

    lines = text.lines
    heading = _TOP.match
    cuts = [0]
    for i in range(front_matter_end(lines), len(lines)):
        line = lines[i]
        c = line[:1]
        if c == "-" or c == "*" or c == "+":
            if line[1:2] != " " or not line[2:3] or line[2:3].isspace():  # _TOP's "[-*+] \S"
                continue
        elif c != "#" or not heading(line):
            continue
        cuts.append(i)
    cuts.append(len(lines))
    if len(cuts) > 2 and cuts[1] == 0:
        cuts[1:2] = []  # the text opens with a top-level line: the first segment is empty
        return [""] + ["".join(lines[a:b]) for a, b in zip(cuts, cuts[1:])]
    return ["".join(lines[a:b]) for a, b in zip(cuts, cuts[1:])]


def find_runs(base: Text, ours: Text, theirs: Text) -> Trimmed | None:
    """The three texts with their quiet, shared runs replaced by placeholders (None when
    there is no run worth it)."""
    segs = [segments(t) for t in (base, ours, theirs)]
    where_o, where_t = _positions(segs[1]), _positions(segs[2])
    seen_b = _positions(segs[0])
    last_o, last_t = len(segs[1]) - 1, len(segs[2]) - 1
    twice = _twice_task_lines(base, ours, theirs)
    quiet: list[tuple[int, int, int]] = []  # (base, ours, theirs) segment indexes
    for i in range(1, len(segs[0]) - 1):  # the first and the last segment always stay
        seg = segs[0][i]
        j = where_o.get(seg, -1)
        if j <= 0 or j == last_o:
            continue
        k = where_t.get(seg, -1)
        if k <= 0 or k == last_t or seen_b[seg] < 0 or _QUIET.fullmatch(seg) is None:
            continue
        if twice and any(line in twice for line in _TASKS.findall(seg)):
            continue
        quiet.append((i, j, k))
    groups: list[list[tuple[int, int, int]]] = []
    for q in quiet:
        if groups and groups[-1][-1][0] + 1 == q[0] and groups[-1][-1][1] + 1 == q[1] and groups[-1][-1][2] + 1 == q[2]:
            groups[-1].append(q)
        elif not groups or (q[1] > groups[-1][-1][1] and q[2] > groups[-1][-1][2]):
            groups.append([q])
        # else: a side moved this segment before an earlier run; it stays, and the merge sees the move
    if not groups:
        return None
    nonce = _nonce(segs)
    runs: dict[str, str] = {}
    plans: list[list[tuple[int, int, str]]] = [[], [], []]  # per version: first, last segment, placeholder line
    for n, group in enumerate(groups):
        title = PLACEHOLDER.format(n=n, nonce=nonce)
        text = "".join(segs[0][group[0][0]:group[-1][0] + 1])
        end = _LINE_END.match(text, len(text.rstrip(" \r\n")))
        body = text[:end.end()] if end else text  # the blank lines at its end stay (it always matches)
        runs[title] = body
        line = f"- [ ] {title}{_eol_of(body)}{text[len(body):]}"
        for v in range(3):
            plans[v].append((group[0][v], group[-1][v], line))
    trimmed = [Text(t.bom, split_lines(_replace(sv, plan))) for t, sv, plan in zip((base, ours, theirs), segs, plans)]
    return Trimmed(trimmed[0], trimmed[1], trimmed[2], runs, nonce)


def _positions(texts: list[str]) -> dict[str, int]:
    """Where each segment text stands; -1 for a text that occurs more than once."""
    out = dict(zip(texts, range(len(texts))))  # the last index of each (as a dict display keeps)
    if len(out) < len(texts):
        for t, n in tally(texts).items():
            if n > 1:
                out[t] = -1
    return out


def _twice_task_lines(*texts: Text) -> set[str]:
    """Task-looking lines some version holds more than once (pass 0 would not pair them)."""
    out: set[str] = set()
    for t in texts:
        counts = tally(t.lines)
        out.update(line for line, n in counts.items() if n > 1 and "[" in line and _TASK.fullmatch(line))
    return out


def _nonce(segs: list[list[str]]) -> str:
    """A word no version holds, so placeholders cannot meet a real line."""
    joined = ["".join(s) for s in segs]
    n = 0
    while any(f"{n:x}@@" in j for j in joined):
        n += 1
    return f"{n:x}"


def _eol_of(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else line[-1:] if line[-1:] in ("\r", "\n") else "\n"


def _replace(segs: list[str], plan: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for first, last, line in plan:
        out += segs[pos:first]
        out.append(line)
        pos = last + 1
    out += segs[pos:]
    return "".join(out)


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
