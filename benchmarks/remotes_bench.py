"""Issue 16's figures: `tasks --branches` on 50 branches, and `push`/`pull` round trips of the
runtime log to a local bare remote, with `git fetch`/`git push` of a branch beside them.

A repository with 10 OpenSpec task files of 100 tasks; 50 branches, each checking, adding or
rewording a task in one or two files. Two clones of a bare remote for the round trips.
Usage: python benchmarks/remotes_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from actions_bench import timed  # noqa: E402
from benchutil import EXE, p50_p90, scratch  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    with scratch("zyflow-remotes-") as (root, env):
        run = lambda *a, cwd=root: subprocess.run(list(a), cwd=cwd, env=env, check=True, capture_output=True)  # noqa: E731
        run("git", "init", "-q", "-b", "main")
        files = [f"openspec/changes/c{k}/tasks.md" for k in range(10)]
        for k, path in enumerate(files):
            (root / path).parent.mkdir(parents=True)
            (root / path).write_text("# Tasks\n\n## 1. Work\n\n" + "".join(f"- [ ] 1.{n} Task {n} of change {k}\n" for n in range(1, 101)))
        run("git", "add", "-A")
        run("git", "commit", "-qm", "plan")
        run(EXE, "install")
        for b in range(50):
            run("git", "checkout", "-q", "-b", f"agent-{b:02d}", "main")
            path = root / files[b % 10]
            text = path.read_text()
            text = [text.replace(f"- [ ] 1.{b + 1} ", f"- [x] 1.{b + 1} "), text + f"- [ ] 1.{101 + b} New {b}\n",
                    text.replace(f"Task {b + 1} of", f"Task {b + 1} (reworded) of")][b % 3]
            path.write_text(text)
            run("git", "commit", "-qam", f"agent {b}")
        run("git", "checkout", "-q", "main")
        branches = [timed([EXE, "tasks", "--branches"], root, env) for _ in range(args.runs)]
        print(f"tasks --branches, 50 branches:   {p50_p90(branches)}")
        heads = [timed(["git", "for-each-ref", "refs/heads"], root, env) for _ in range(args.runs)]
        print(f"git for-each-ref, beside:        {p50_p90(heads)}")
        bare = root.parent / "remote.git"
        run("git", "init", "-q", "--bare", str(bare))
        run("git", "remote", "add", "origin", str(bare))
        run("git", "push", "-q", "origin", "main")
        other = root.parent / "other"
        run("git", "clone", "-q", str(bare), str(other))
        run(EXE, "install", cwd=other)
        pushes, pulls, fetches = [], [], []
        for k in range(args.runs):
            run(EXE, "set", f"{files[0]}#1.{k + 1}", "--note", f"n{k}")
            pushes.append(timed([EXE, "push"], root, env))
            pulls.append(timed([EXE, "pull"], other, env))
            fetches.append(timed(["git", "fetch", "-q", "origin"], other, env))
        print(f"push (one new event):            {p50_p90(pushes)}")
        print(f"pull (one new event):            {p50_p90(pulls)}")
        print(f"git fetch, beside:               {p50_p90(fetches)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
