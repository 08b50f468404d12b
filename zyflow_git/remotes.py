"""The runtime log across machines: fetch, merge and push ``refs/zyflow/runtime`` with git's
own transport, and claims that hold across machines (compare-and-swap on the remote's ref).

A remote's log is fetched to ``refs/zyflow-remote/<remote>/runtime``. Two logs that grew apart
are joined by a merge commit (empty tree, both tips as parents): every event of both is kept,
and the projection replays them in hybrid-logical-clock order (``runtime``), so every machine
that has the same events shows the same state. Nothing here needs a server: a bare repository,
a forge, or a folder is the meeting point.
"""

from __future__ import annotations

import sqlite3
TYPE_CHECKING = False  # typing costs ~4 ms to import, on every command's path
if TYPE_CHECKING:
    from typing import Any

from . import runtime
from .errors import BadInput, Held, ZyflowError
from .gitcli import commit_id, git
from .reconcile import Repo

RETRIES = 10


def remote_ref(remote: str) -> str:
    return f"refs/zyflow-remote/{remote}/runtime"


def default_remote(repo: Repo) -> str:
    """The current branch's remote, else ``origin``; ``BadInput`` when there is none."""
    from .gitcli import config_get, current_branch

    branch = current_branch(repo.root)
    name = config_get(f"branch.{branch}.remote", repo.root) if branch else None
    name = name if name and name != "." else "origin"
    _check_remote(repo, name, "; name one")
    return name


def _check_remote(repo: Repo, remote: str, hint: str = "") -> None:
    remotes = git("remote", cwd=repo.root, check=False).stdout.decode().split()
    if remote not in remotes:
        raise BadInput(f"no remote {remote!r} (this repository has: {', '.join(remotes) or 'none'}){hint}")


def fetch(repo: Repo, remote: str) -> str | None:
    """Fetch the remote's runtime log; its tip, or None when the remote has none yet."""
    _check_remote(repo, remote)
    proc = git("fetch", "--quiet", "--no-tags", remote, f"+{runtime.REF}:{remote_ref(remote)}", cwd=repo.root, check=False)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        if "couldn't find remote ref" in err or "could not find remote ref" in err.lower():
            return None
        raise ZyflowError(f"git fetch {remote} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return commit_id(remote_ref(remote), repo.root)


def _is_ancestor(repo: Repo, a: str, b: str) -> bool:
    return git("merge-base", "--is-ancestor", a, b, cwd=repo.root, check=False).returncode == 0


def joined(repo: Repo, local: str | None, other: str | None, summary: str) -> str | None:
    """The commit whose history holds both logs: one of them when it holds the other, else a
    new merge commit (not yet on any ref)."""
    if other is None or local == other:
        return local
    if local is None or _is_ancestor(repo, local, other):
        return other
    if _is_ancestor(repo, other, local):
        return local
    return runtime.make_commit(repo.root, [], [local, other], summary)


def absorb(repo: Repo, remote: str, theirs: str | None) -> int:
    """Join a fetched log into the local one (compare-and-swap, retried); how many commits of
    theirs were new here."""
    if theirs is None:
        return 0
    for _ in range(RETRIES):
        local = runtime.tip(repo.root)
        target = joined(repo, local, theirs, f"merge the runtime log of {remote}")
        if target == local:
            return 0
        new = _count(repo, theirs, local)
        if runtime.move(repo.root, target, local):  # type: ignore[arg-type]
            return new
    raise runtime.Stale(f"{runtime.REF} kept moving while joining {remote}'s log; try again")


def _count(repo: Repo, theirs: str, local: str | None) -> int:
    span = [theirs] if local is None else [theirs, f"^{local}"]
    out = git("rev-list", "--count", "--no-merges", *span, "--", cwd=repo.root, check=False).stdout.decode().strip()
    return int(out or 0)


def pull(repo: Repo, conn: sqlite3.Connection, remote: str | None = None) -> dict[str, Any]:
    """Fetch the remote's log and join it into ours; the projection catches up."""
    remote = remote or default_remote(repo)
    new = absorb(repo, remote, fetch(repo, remote))
    runtime.catch_up(repo.root, conn)
    return {"remote": remote, "received": new, "tip": runtime.tip(repo.root)}


def push(repo: Repo, conn: sqlite3.Connection, remote: str | None = None) -> dict[str, Any]:
    """Pull, then push the joined log; a push refused because the remote moved is retried."""
    remote = remote or default_remote(repo)
    for _ in range(RETRIES):
        theirs = fetch(repo, remote)
        received = absorb(repo, remote, theirs)
        local = runtime.tip(repo.root)
        if local is None or local == theirs:
            runtime.catch_up(repo.root, conn)
            return {"remote": remote, "received": received, "sent": 0, "tip": local}
        if _push(repo, remote, local, theirs):
            runtime.catch_up(repo.root, conn)
            git("update-ref", remote_ref(remote), local, cwd=repo.root, check=False)
            return {"remote": remote, "received": received, "sent": _count(repo, local, theirs), "tip": local}
    raise runtime.Stale(f"{remote}'s runtime log kept moving under {RETRIES} pushes; try again")


def _push(repo: Repo, remote: str, commit: str, expected: str | None) -> bool:
    """Compare-and-swap on the remote's ref: True when it moved from ``expected`` to ``commit``."""
    lease = f"--force-with-lease={runtime.REF}:{expected or ''}"
    proc = git("push", "--quiet", "--no-verify", lease, remote, f"{commit}:{runtime.REF}", cwd=repo.root, check=False)
    if proc.returncode == 0:
        return True
    err = proc.stderr.decode("utf-8", "replace")
    if "stale info" in err or "rejected" in err or "fetch first" in err or "non-fast-forward" in err:
        return False
    raise ZyflowError(f"git push {remote} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")


def claim(repo: Repo, conn: sqlite3.Connection, selector: str, name: str, *, remote: str | None = None,
          expect: str | None = None) -> Any:
    """A claim that holds across machines: fetch and join the remote's log, check, then push the
    claim with compare-and-swap before it counts here. When the push is refused, someone wrote
    first: fetch again and check again (exit 4, "claimed by NAME on another machine", when they
    took it)."""
    from .actions import Outcome, _expect, _name, claim_checks, fresh_view
    from .selectors import find

    remote = remote or default_remote(repo)
    for _ in range(RETRIES):
        theirs = fetch(repo, remote)
        absorb(repo, remote, theirs)
        with fresh_view(repo, conn) as view:
            task = find(view, selector)
            try:
                _expect(task, expect)
                done = claim_checks(task, name)
            except Held as err:
                raise Held(f"{err}, as {remote}'s runtime log says", err.current, err.holder) from None
            if done is not None:
                return done
            local = runtime.tip(repo.root)
            event, stamp = runtime.event_for(conn, task.id, {"status": "in_progress", "assignee": name})
            commit = runtime.make_commit(repo.root, [event], [local] if local else [], f"claim {task.id} as {name}", stamp)
            if not _push(repo, remote, commit, theirs):
                continue
            if not runtime.move(repo.root, commit, local):  # a local writer slipped in: join them
                absorb(repo, "local", commit)
            git("update-ref", remote_ref(remote), commit, cwd=repo.root, check=False)
            runtime.catch_up(repo.root, conn)
            after = task.reread_runtime(conn)
        return Outcome(after, True, [f"claimed {_name(after)} {after.title} as {name} (pushed to {remote})"])
    raise runtime.Stale(f"{remote}'s runtime log kept moving under {RETRIES} claims; try again")


def absorb_fetched(repo: Repo) -> int:
    """Join the logs a plain ``git fetch`` brought (``install --share`` adds the refspec) into
    ours; one ``git for-each-ref`` when there is nothing new."""
    if not _may_have_fetched_logs(repo):
        return 0
    listed = git("for-each-ref", "--format=%(objectname) %(refname)", "refs/zyflow-remote/", cwd=repo.root,
                 check=False).stdout.decode().split("\n")
    import os

    # A shortcut, not a truth: the fetched tips known to be in our log as it was (its tip is the
    # first word); when our log moved (a write, a reset) git is asked again.
    memo = os.path.join(repo.common_dir, "absorbed")
    try:
        with open(memo, encoding="ascii") as fh:
            words = fh.read().split()
    except OSError:
        words = []
    local = runtime.tip(repo.root)
    known = set(words[1:]) if words[:1] == [local or "-"] else set()
    joined_any, seen = 0, set()
    for line in filter(None, listed):
        sha, ref = line.split(" ", 1)
        seen.add(sha)
        if sha in known or sha == local:
            continue
        if local is None or not _is_ancestor(repo, sha, local):
            joined_any += absorb(repo, ref.split("/")[2], sha)
            local = runtime.tip(repo.root)
    if seen != known:
        try:
            os.makedirs(repo.common_dir, exist_ok=True)
            with open(memo, "w", encoding="ascii") as fh:
                fh.write(" ".join([local or "-", *sorted(seen)]) + "\n")
        except OSError:
            pass  # without it the next command asks git again
    return joined_any


def _may_have_fetched_logs(repo: Repo) -> bool:
    """Whether a fetched log can exist, without a git process on every command: the files ref
    store keeps them as files under refs/zyflow-remote/ or lines of packed-refs; any other
    store (reftable) is asked."""
    import os

    common = os.path.dirname(repo.common_dir)
    if os.path.isdir(os.path.join(common, "reftable")):
        return True
    if os.path.isdir(os.path.join(common, "refs", "zyflow-remote")):
        return True
    try:
        with open(os.path.join(common, "packed-refs"), "rb") as fh:
            return b" refs/zyflow-remote/" in fh.read()
    except OSError:
        return False


# -- install --share: plain git fetch and push carry the log ----------------------------------------


def share_config(remote: str) -> list[tuple[str, str]]:
    """The (key, value) lines ``install --share`` adds to git config for ``remote``."""
    return [(f"remote.{remote}.fetch", f"+{runtime.REF}:{remote_ref(remote)}"),
            (f"remote.{remote}.push", "HEAD"),
            (f"remote.{remote}.push", f"{runtime.REF}:{runtime.REF}")]
