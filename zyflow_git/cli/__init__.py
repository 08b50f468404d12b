"""The command line: a click group whose commands are imported only when they run."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ..console import echo
from ..errors import EXIT_INTERRUPTED

# name -> (module under zyflow_git.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd", "Build a throwaway repository and show zyflow-git at work on it."),
    "parse": ("parse_cmd", "Print the tasks of a task file as a table or JSON."),
    "merge-driver": ("merge_cmd", "git's merge-driver entry: %O %A %B %L %P."),
    "merge-file": ("merge_cmd", "Merge BASE OURS THEIRS by task, like git merge-file."),
    "resolve": ("resolve_cmd", "Re-merge a file holding git conflict markers, by task."),
    "install": ("install_cmd", "Register the merge driver (and hooks) in this repository."),
    "uninstall": ("install_cmd", "Remove exactly what install added."),
    "doctor": ("doctor_cmd", "Check the driver, hooks and state store; --repair rebuilds the store."),
    "sync": ("sync_cmd", "Reconcile the state store with the checked-out commit now."),
    "hook": ("sync_cmd", "Run a git hook's work (called by the installed shims)."),
    "tasks": ("tasks_cmd", "The tasks at HEAD with their runtime state."),
    "set": ("tasks_cmd", "Set a task's runtime status, assignee or note."),
    "show": ("show_cmd", "One task whole: state, version, details, history."),
    "ready": ("show_cmd", "Open tasks nobody holds and nothing blocks, in file order."),
    "prime": ("show_cmd", "A compact Markdown brief of the tasks for an agent's context."),
    "check": ("act_cmd", "Check a task's box in its file."),
    "uncheck": ("act_cmd", "Clear a task's box in its file."),
    "add": ("act_cmd", "Add a task after, under or in a place, labelled as the file numbers."),
    "edit": ("act_cmd", "Reword a task, keeping its label, box and details."),
    "claim": ("act_cmd", "Take a task (in progress, yours); refused when someone holds it."),
    "release": ("act_cmd", "Give a task back."),
    "mcp": ("mcp_cmd", "Serve the tasks to AI agents over MCP (stdio)."),
    "push": ("remote_cmd", "Send the runtime log (claims, statuses) to a remote, joined with its own."),
    "pull": ("remote_cmd", "Fetch a remote's runtime log and join it into this one."),
    "preview": ("branches_cmd", "A dry run of merging a branch: the task files, clean or conflict."),
    "ci-merge": ("branches_cmd", "For CI: merge the base branch into a pull request with the driver."),
    "board": ("board_cmd", "A local web board of the tasks: claims, checks, history, live."),
    "log": ("audit_cmd", "The timeline of task events read from git history."),
    "replay": ("audit_cmd", "The tasks as they were at any commit or tag."),
    "blame": ("audit_cmd", "Per task: who added it and who last changed its state."),
    "help": ("help_cmd", "Show the help of zyflow-git or of one command."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{COMMANDS[name][0]}")
        attr = name.replace("-", "_")
        command: click.Command = getattr(module, attr if hasattr(module, attr) else attr + "_")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zyflow-git")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour on a terminal (NO_COLOR turns auto off).")
@click.option("--no-pager", is_flag=True, help="Never page long output.")
def cli(color: str, no_pager: bool) -> None:
    """zyflow-git: git as the single source of truth for Markdown task lists."""
    from .. import console as output

    output.COLOR, output.PAGER = color, not no_pager


def run(args: list[str]) -> int:
    """Run the CLI; every error becomes one line on stderr and its documented exit code.
    A reader that stops reading (``zyflow-git tasks | head -1``) is not an error: exit 0."""
    from ..boundary import guarded

    def work() -> int:
        try:
            result: Any = cli.main(args=args, prog_name="zyflow-git", standalone_mode=False)
        except SystemExit:
            # click turns EPIPE into exit 1 (after wrapping stdout to silence the flush); a
            # reader that stopped reading is not a failure.
            if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
                return 0
            raise
        except click.exceptions.Abort:
            click.echo("zyflow-git: interrupted", err=True)
            return EXIT_INTERRUPTED
        except click.UsageError as err:
            # One error style: click's usage errors as one line, like ours, with where to look.
            path = (err.ctx.command_path or "") if err.ctx else ""
            see = f"zyflow-git {path.split(' ', 1)[1]}" if " " in path else "zyflow-git"
            echo(f"zyflow-git: {err.format_message()} (see `{see} --help`)", err=True)
            return err.exit_code
        except click.ClickException as err:
            echo(f"zyflow-git: {err.format_message()}", err=True)
            return err.exit_code
        return int(result or 0)

    return guarded(work)


def main() -> None:
    """Entry for ``python -m zyflow_git.cli``."""
    sys.exit(run(sys.argv[1:]))
