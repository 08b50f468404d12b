"""The audit's history walk beside `git log -p -- '*tasks.md'` on the same repository.

A generated history of 5,000 commits touching 50 task files (each commit checks, adds or
rewords a task in one file), built with git fast-import. Measures, in one run:
  - `git log -p -- '*tasks.md'` (the plain-git way to read the same history),
  - the backfill (first `Audit.backfill()`, in-process, and `zyflow-git log` as a process),
  - an incremental run after one new commit (in-process and as a process).
Usage: python benchmarks/audit_bench.py [--commits N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchutil import EXE, against_copy, scratch  # noqa: E402





def history(root: Path, env: dict[str, str], commits: int) -> None:
    rnd = random.Random(5)
    files = {f: [f"# Change {f}", "", "## 1. Work", ""] + [f"- [ ] 1.{t + 1} Task {f}-{t} to do" for t in range(20)]
             for f in range(50)}
    stream = []
    for n in range(commits):
        f = rnd.randrange(50)
        lines = files[f]
        tasks = [i for i, l in enumerate(lines) if l.startswith("- [")]
        op = rnd.random()
        i = rnd.choice(tasks)
        if op < 0.5:
            lines[i] = lines[i].replace("[ ]", "[x]") if "[ ]" in lines[i] else lines[i].replace("[x]", "[ ]")
        elif op < 0.8:
            lines.append(f"- [ ] 1.{len(tasks) + 1} Added task {n}")
        else:
            lines[i] = lines[i] + " (reworded)"
        data = ("\n".join(lines) + "\n").encode()
        stream.append(f"commit refs/heads/main\nmark :{n + 1}\ncommitter b <b@x> {1700000000 + n * 60} +0000\n"
                      f"data {len(f'commit {n}')}\ncommit {n}\n".encode())
        if n:
            stream.append(f"from :{n}\n".encode())
        stream.append(f"M 100644 inline openspec/changes/c{f:02}/tasks.md\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=env, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, env=env, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, env=env, check=True)


def timed(args: list[str], root: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def in_process(root: Path) -> float:
    # open_store, not fresh_connection: that one already reads the history (settle_ids). (pygit2,
    # imported before the clock since session 4, is no longer used by the walk: session 7.)
    code = ("import time, os, pygit2; os.chdir(%r); from zyflow_git.reconcile import Repo; from zyflow_git.store import open_store; "
            "from zyflow_git.audit import Audit; repo = Repo(); conn = open_store(repo.db_path); a = Audit(repo, conn); "
            "t = time.perf_counter(); a.backfill(); print((time.perf_counter() - t) * 1000)") % str(root)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def drop_cache(db: Path) -> None:
    """Empty the event cache (what a first run finds)."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.executescript("DELETE FROM events; DELETE FROM audit_commits; DELETE FROM blob_tasks; "
                       "DELETE FROM meta WHERE key = 'audit_tips';")
    conn.commit()
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", type=Path, help="a checkout of earlier code: its cold `log --json` in a copy, same rounds")
    args = ap.parse_args()
    with scratch("zyflow-audit-bench-") as (root, env):
        history(root, env, args.commits)
        db = root / ".git" / "zyflow"
        print(f"history: {args.commits} commits touching 50 task files")
        git_log = [timed(["git", "log", "-p", "--", "*tasks.md"], root, env) for _ in range(args.runs)]
        print(f"  git log -p -- '*tasks.md'             p50 {statistics.median(git_log):8.1f} ms")
        subprocess.run([EXE, "sync"], cwd=root, env=env, check=True, capture_output=True)
        back_in, back_proc, back_old = [], [], []
        if args.against:
            old, old_root = against_copy(args.against, root, env, ["sync"])
        for _ in range(max(1, args.runs // 2)):
            drop_cache(db / "state.db")
            back_in.append(in_process(root))
            drop_cache(db / "state.db")
            back_proc.append(timed([EXE, "log", "--json"], root, env))
            if args.against:
                drop_cache(old_root / ".git" / "zyflow" / "state.db")
                back_old.append(timed([old, "log", "--json"], old_root, env))
        print(f"  backfill, in-process                  p50 {statistics.median(back_in):8.1f} ms"
              f"   ({statistics.median(back_in) / statistics.median(git_log):.2f}x git log -p)")
        print(f"  backfill, `zyflow-git log` process     p50 {statistics.median(back_proc):8.1f} ms"
              f"   ({statistics.median(back_proc) / statistics.median(git_log):.2f}x git log -p)")
        if back_old:
            print(f"  the same, --against's code             p50 {statistics.median(back_old):8.1f} ms"
                  f"   ({statistics.median(back_old) / statistics.median(git_log):.2f}x git log -p)")
        inc_in, inc_proc = [], []
        for k in range(max(2, args.runs)):
            p = root / "openspec" / "changes" / "c00" / "tasks.md"
            p.write_text(p.read_text() + f"- [ ] 1.99 Incremental {k}\n")
            subprocess.run(["git", "commit", "-q", "-am", f"inc {k}"], cwd=root, env=env, check=True,
                           capture_output=True)
            if k % 2 == 0:
                inc_in.append(in_process(root))
            else:
                inc_proc.append(timed([EXE, "log", "--json"], root, env))
        print(f"  incremental (one new commit), in-process  p50 {statistics.median(inc_in):8.1f} ms")
        print(f"  incremental, `zyflow-git log` process      p50 {statistics.median(inc_proc):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
