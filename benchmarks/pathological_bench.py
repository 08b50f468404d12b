"""Inputs that once stalled the driver, beside `git merge-file`, as whole processes.

Shapes from the adversarial run (issue 9): one very long task line edited on both sides
(29 KB and 129 KB), and a 10,000-line code fence edited on both sides. Before the work
budget, the driver took 7.8 s, 122 s and 14 s on them. And (session 6) a CRLF file of 400 tasks
with one task of 40 detail lines above a tab, which the run pattern took exponential time to
refuse. Usage:
python benchmarks/pathological_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys

from merge_bench import compare  # noqa: E402


def long_line(words: int) -> tuple[str, str, str]:
    title = " ".join(f"w{i % 97}" for i in range(words))
    base = f"# T\n\n- [ ] 1.1 {title}\n- [ ] 1.2 next\n"
    ours = base.replace("w5 ", "OURS ", 1).replace("[ ] 1.2", "[x] 1.2")
    theirs = base.replace(" w7", " THEIRS", 1)[::-1].replace(" w3"[::-1], " LAST"[::-1], 1)[::-1]
    return base, ours, theirs


def big_fence(lines: int = 10_000) -> tuple[str, str, str]:
    body = "".join(f"x = {i % 7}\n" for i in range(lines))
    base = f"# T\n\n- [ ] a\n\n```python\n{body}```\n"
    ours = base.replace("x = 3\n", "x = 'ours'\n", 1)
    theirs = base[::-1].replace("\n3 = x", "\n'sriet' = x", 1)[::-1]
    return base, ours, theirs


def crlf_details(details: int = 40) -> tuple[str, str, str]:
    tasks = [f"- [ ] 1.{n} Task {n} with a title\r\n" for n in range(1, 400)]
    tasks[200] = "- [ ] 1.201 Long task\r\n" + "  detail line of the long task\r\n" * details + "  a cell\tafter a tab\r\n"
    base = "# Tasks\r\n\r\n" + "".join(tasks)
    return base, base.replace("- [ ] 1.5 ", "- [x] 1.5 "), base.replace("- [ ] 1.390 ", "- [x] 1.390 ")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    compare([("one task line of 5,000 words, both sides edit it", long_line(5_000)),
             ("one task line of 20,000 words, both sides edit it", long_line(20_000)),
             ("a 10,000-line fence, both sides edit it", big_fence()),
             ("CRLF, 400 tasks, one with 40 detail lines above a tab", crlf_details())], args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
