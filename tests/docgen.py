"""Hypothesis strategies for task documents: the shapes real task files have, and noise."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = ["parser", "merge", "driver", "store", "hooks", "fix", "test", "docs", "렌더러", "✅", "**bold**",
         "`code`", "api", "cli", "login", "cache", "x", "[link](u)", "a|b", "#tag", "1.5"]

title = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
indent = st.sampled_from(["", "  ", "    ", "\t", "   "])
marker = st.sampled_from(["-", "*", "+", "1.", "2.", "1)"])
box = st.sampled_from(["[ ]", "[x]", "[X]"])
eol = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])

line = st.one_of(
    st.builds(lambda i, m, b, lb, t: f"{i}{m} {b} {lb}{t}", indent, marker, box,
              st.sampled_from(["", "1.1 ", "2.3.1 ", "task-1-2: ", "T012: "]), title),
    st.builds(lambda i, m, t: f"{i}{m} {t}", indent, marker, title),
    st.builds(lambda h, t: f"{h} {t}", st.sampled_from(["#", "##", "###", "####"]), title),
    title,
    st.sampled_from(["", "", "  ", "---", "***", "- - -", "```", "```ts", "~~~", "<!-- note -->",
                     "<!--", "-->", "> quote", "> - [ ] quoted", "| a | b |", "|---|---|", "===",
                     "    indented code", "      - [ ] code in an item", "        # deeper code", "     five", "-", "-", "*", "1.", "-   ", "  -", "  *", "=", "--", "- [ ]", "[x]: /url", "<details>", "\t- [ ] tab",
                     "10. [ ] ten", "-  [ ] two spaces", "- [ ]no space", "- [x]\tafter tab",
                     "a | b", "| a |", "|:-|-:|", "--|--", "- | -", "|---|", "  | x | y |", "  |---|---|",
                     "- [ ] a | b", "a \\| b | c", "| - |"]),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A Markdown document as text, line endings varied, final newline optional."""
    lines = draw(st.lists(line, max_size=40))
    ends = draw(st.lists(eol, min_size=len(lines), max_size=len(lines)))
    text = "".join(a + b for a, b in zip(lines, ends))
    if draw(st.booleans()) and text:
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@st.composite
def task_lists(draw: st.DrawFn) -> str:
    """A well-formed task list: sections of numbered tasks, nested subtasks, detail lines."""
    out = ["# Tasks", ""]
    for s in range(1, draw(st.integers(1, 4)) + 1):
        out += [f"## {s}. {draw(title)}", ""]
        for t in range(1, draw(st.integers(0, 6)) + 1):
            out.append(f"- {draw(box)} {s}.{t} {draw(title)}")
            if draw(st.booleans()):
                out.append(f"  - {draw(box)} {s}.{t}.1 {draw(title)}")
            if draw(st.integers(0, 4)) == 0:
                out.append(f"  - detail {draw(title)}")
        out.append("")
    return "\n".join(out)
