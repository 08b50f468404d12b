"""The MCP face: ``zyflow-git mcp`` serves one repository's tasks to agents over stdio.

A thin face over the same library as the CLI (``actions``, ``queries``, ``selectors``,
``timeline``): every call opens the store fresh (as a command does), so two servers in two
worktrees see each other's claims at once, and every write goes through the same lock and
expected versions. Results are JSON objects with the keys of the CLI's ``--json``; failures are
tool errors whose JSON carries a machine-readable ``code`` (``version_conflict``, ``claimed``,
``not_found``, ``ambiguous``, ``bad_input``, ``conflicted_file``, ``internal``) and, for
conflicts, the current version and holder, so an agent can re-read and retry.

Imported only by ``zyflow-git mcp``: the SDK (pydantic, anyio) costs ~0.3 s to import.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Callable

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from .errors import Ambiguous, StaleVersion, ZyflowError
from .store import STATUSES

INSTRUCTIONS = (
    "Tasks are Markdown checklists kept in git. Name a task by its id, a unique id prefix or PATH#LABEL. "
    "Take work with ready_tasks then claim_task; pass the version you read as expected_version to every "
    "write; on version_conflict or claimed, re-read with show_task and decide again."
)

Task = Annotated[str, Field(description="Task id, unique id prefix, or PATH#LABEL.")]
Expected = Annotated[str | None, Field(description="Refuse unless the task's version is still this.")]
Agent = Annotated[str, Field(description="Who acts (your agent name).")]
Path = Annotated[str | None, Field(description="A task file or folder.")]
Commit = Annotated[bool, Field(description="Commit the file's change alone.")]
Status = Annotated[str, Field(description=", ".join(STATUSES) + " (done checks the box).")]

READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)


def result(data: dict[str, Any]) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(data, ensure_ascii=False))],
                          structured_content=data)


def failure(err: BaseException) -> CallToolResult:
    """A tool error an agent can act on: its code, message, and what is current."""
    if isinstance(err, ZyflowError):
        data: dict[str, Any] = {"code": err.code, "message": str(err)}
        if isinstance(err, StaleVersion):
            data.update(current_version=err.current, holder=err.holder)
        if isinstance(err, Ambiguous):
            data["candidates"] = err.candidates
    else:
        from .fsio import log_exception

        where = log_exception(err)
        data = {"code": "internal", "message": f"internal error: {err!r}" + (f" (details in {where})" if where else "")}
    return CallToolResult(content=[TextContent(type="text", text=json.dumps({"error": data}, ensure_ascii=False))],
                          structured_content={"error": data}, is_error=True)


def _session(work: Callable[[Any, Any], dict[str, Any]]) -> CallToolResult:
    """Run ``work(repo, conn)`` on a fresh store, as one command would."""
    from .taskview import session

    try:
        with session() as (repo, conn):
            return result(work(repo, conn))
    except Exception as err:  # noqa: BLE001 - the boundary: every failure is a tool error
        return failure(err)


def build() -> MCPServer:
    """The server and its tools (one sentence each: the list stays small in an agent's context)."""
    from . import actions, queries
    from .selectors import View

    server: MCPServer = MCPServer("zyflow-git", instructions=INSTRUCTIONS)

    def tasks_of(found: list[Any]) -> dict[str, Any]:
        return {"tasks": [t.as_dict() for t in found]}

    @server.tool(annotations=READ)
    def list_tasks(path: Path = None, status: Annotated[str | None, Field(description="todo, in_progress, blocked, review or done.")] = None,
                   assignee: str | None = None) -> CallToolResult:
        """List the tasks of the working tree, optionally by file, status or assignee."""
        return _session(lambda repo, conn: tasks_of(queries.list_tasks(View(repo, conn), [path] if path else None,
                                                                     status, assignee)))

    @server.tool(annotations=READ)
    def ready_tasks(path: Path = None, limit: int | None = None) -> CallToolResult:
        """List open tasks nobody holds and nothing blocks, in file order."""
        return _session(lambda repo, conn: tasks_of(queries.ready(View(repo, conn), [path] if path else None, limit)))

    @server.tool(annotations=READ)
    def show_task(task: Task) -> CallToolResult:
        """Show one task with its details, runtime state, version and history."""
        return _session(lambda repo, conn: queries.show(View(repo, conn), task))

    @server.tool(annotations=WRITE)
    def claim_task(task: Task, agent: Agent, expected_version: Expected = None,
                   remote: Annotated[str | None, Field(description="A git remote: the claim then holds across machines.")] = None,
                   ) -> CallToolResult:
        """Take a task (in_progress, yours); fails with code claimed if someone else holds it."""
        def work(repo: Any, conn: Any) -> dict[str, Any]:
            if remote:
                from .remotes import claim as claim_remote

                return claim_remote(repo, conn, task, agent, remote=remote, expect=expected_version).as_dict()
            return actions.claim(repo, conn, task, agent, expect=expected_version).as_dict()

        return _session(work)

    @server.tool(annotations=WRITE)
    def release_task(task: Task, agent: Annotated[str | None, Field(description="Only if this name holds it.")] = None,
                     expected_version: Expected = None) -> CallToolResult:
        """Give a task back (todo, no assignee)."""
        return _session(lambda repo, conn: actions.release(repo, conn, task, agent, expect=expected_version).as_dict())

    @server.tool(annotations=WRITE)
    def set_status(task: Task, status: Status, note: str | None = None, expected_version: Expected = None) -> CallToolResult:
        """Set a task's status, and optionally a note."""
        return _session(lambda repo, conn: actions.set_task(repo, conn, task, status=status, note=note,
                                                            expect=expected_version).as_dict())

    @server.tool(annotations=WRITE)
    def check_task(task: Task, expected_version: Expected = None, commit: Commit = False) -> CallToolResult:
        """Check a task's box in its file."""
        return _session(lambda repo, conn: actions.check(repo, conn, task, True, expect=expected_version,
                                                         commit=commit).as_dict())

    @server.tool(annotations=WRITE)
    def uncheck_task(task: Task, expected_version: Expected = None, commit: Commit = False) -> CallToolResult:
        """Clear a task's box in its file."""
        return _session(lambda repo, conn: actions.check(repo, conn, task, False, expect=expected_version,
                                                         commit=commit).as_dict())

    @server.tool(annotations=WRITE)
    def add_task(title: str, after: Annotated[str | None, Field(description="Insert after this task.")] = None,
                 under: Annotated[str | None, Field(description="Insert as this task's last subtask.")] = None,
                 into: Annotated[str | None, Field(description="PATH or PATH#HEADING: append there.")] = None,
                 commit: Commit = False) -> CallToolResult:
        """Add an open task after, under or into a place, labelled as the file numbers."""
        return _session(lambda repo, conn: actions.add(repo, conn, title, after=after, under=under, into=into,
                                                       commit=commit).as_dict())

    @server.tool(annotations=WRITE)
    def edit_task(task: Task, title: str, expected_version: Expected = None, commit: Commit = False) -> CallToolResult:
        """Reword a task, keeping its label, box and details."""
        return _session(lambda repo, conn: actions.edit(repo, conn, task, title, expect=expected_version,
                                                        commit=commit).as_dict())

    @server.tool(annotations=READ)
    def task_history(target: Annotated[str, Field(description="Task selector or task file path.")],
                     limit: int | None = None) -> CallToolResult:
        """Show the history of a task or a file: checks, edits, claims, newest first."""
        return _session(lambda repo, conn: {"events": queries.task_history(repo, conn, target)[:limit]})

    @server.tool(annotations=READ)
    def replay(rev: Annotated[str, Field(description="A commit, branch or tag.")]) -> CallToolResult:
        """List the tasks as they were at a commit."""
        return _session(lambda repo, conn: {"rev": rev, "tasks": queries.replay(repo, conn, rev)})

    return server


def serve(repo_path: str | None = None) -> None:
    """Check the repository (a clear error before any protocol), then serve it on stdio."""
    import os

    from .reconcile import Repo

    if repo_path is not None:
        os.chdir(repo_path)
    repo = Repo()  # NotARepository (exit 2) when there is none: said before the protocol starts
    os.chdir(repo.top)
    build().run("stdio")
