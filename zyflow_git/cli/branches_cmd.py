"""``zyflow-git preview`` and ``ci-merge``: merges before they happen, and where forges merge."""

from __future__ import annotations

import click

from ..console import echo, echo_json


@click.command()
@click.argument("branch")
@click.option("--json", "as_json", is_flag=True, help="Print the preview as JSON.")
def preview(branch: str, as_json: bool) -> int:
    """A dry run of merging BRANCH into HEAD: per task file clean or conflict, what the merge
    would check, add or reword, the tasks both sides touched. Nothing is written. Exit 0
    clean, 1 conflicts."""
    from ..branches import preview as dry_run
    from ..reconcile import Repo

    done = dry_run(Repo(), branch)
    if as_json:
        echo_json(done)
    else:
        echo(f"merging {branch} into HEAD: {'clean' if done['clean'] else 'CONFLICTS'}")
        for f in done["files"]:
            echo(f"  {f['path']}: {f['status']}")
            for c in f["changes"]:
                echo(f"    {c['event']:<10} {c['label'] + ' ' if c['label'] else ''}{c['title'].strip()}")
            if f["both_touched"]:
                echo(f"    both sides touched: {'; '.join(f['both_touched'])}")
        for p in done["other_conflicts"]:
            echo(f"  {p}: conflict (not a task file)")
    return 0 if done["clean"] else 1


@click.command(name="ci-merge")
@click.argument("base")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as JSON.")
def ci_merge(base: str, as_json: bool) -> int:
    """For CI, in a checkout of a pull request's branch: merge BASE into it with the merge
    driver (configured for this command if install never ran) and commit when clean. Exit 0
    merged (or nothing to merge), 1 conflicts remain (merge aborted, nothing changed), 2 bad input."""
    from ..forge import ci_merge as merge
    from ..reconcile import Repo

    done = merge(Repo(), base)
    if as_json:
        echo_json(done)
    elif done["conflicts"]:
        echo(f"zyflow-git: merging {base} leaves conflicts (merge aborted, nothing changed): "
             + ", ".join(done["conflicts"]), err=True)
    elif done["merged"]:
        files = ", ".join(done["task_files"]) or "no task files"
        echo(f"merged {base} as {done['commit'][:8]} (task files merged by task: {files}); push it")
    else:
        echo(f"nothing to merge: {base} is already in this branch")
    return 1 if done["conflicts"] else 0
