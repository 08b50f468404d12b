"""Issue 12's figures: `zyflow-git mcp` start-up (spawn to initialized, through the SDK's own
client over stdio) and the p50 of tool calls on a repository with one 2,000-task file; the CLI's
`tasks --json` (a whole process) beside them.
Usage: python benchmarks/mcp_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import anyio
from actions_bench import PATH, planned_repo, timed  # noqa: E402
from benchutil import EXE, p50_p90, scratch  # noqa: E402
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters


async def measure(root: str, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"start": [], "list_tasks": [], "ready_tasks": [], "show_task": [], "claim/release": []}
    for k in range(runs):
        start = time.perf_counter()
        async with Client(StdioServerParameters(command=EXE, args=["mcp"], cwd=root, env=env)) as client:
            out["start"].append((time.perf_counter() - start) * 1000)
            if k:  # the first session only measures a cold start
                continue
            for _ in range(runs):
                for name, args in (("list_tasks", {}), ("ready_tasks", {"limit": 10}),
                                   ("show_task", {"task": f"{PATH}#10.51"})):
                    t = time.perf_counter()
                    r = await client.call_tool(name, args)
                    out[name].append((time.perf_counter() - t) * 1000)
                    assert not r.is_error, r.content
                t = time.perf_counter()
                await client.call_tool("claim_task", {"task": f"{PATH}#10.51", "agent": "bench"})
                await client.call_tool("release_task", {"task": f"{PATH}#10.51"})
                out["claim/release"].append((time.perf_counter() - t) * 500)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    with scratch("zyflow-mcp-") as (root, env):
        planned_repo(root, env)
        figures = anyio.run(measure, str(root), env, args.runs)
        for name, samples in figures.items():
            print(f"{name:<16} {p50_p90(samples)}")
        cli = [timed([EXE, "tasks", "--json"], root, env) for _ in range(args.runs)]
        print(f"{'CLI tasks --json':<16} {p50_p90(cli)}   (a whole process, beside)")
        print(f"list_tasks returns 2,000 tasks; p50 {statistics.median(figures['list_tasks']):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
