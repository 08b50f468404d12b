"""Console-script entry: the merge driver starts without importing click or anything heavy."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``merge-driver`` and ``hook`` directly (they run inside other people's git
    commands, and click alone costs ~40 ms to import), and plain ``tasks [--json]``; everything
    else via click."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["merge-driver"], ["hook"], ["tasks"]):
        # Short runs that build many small objects and hold no cycles worth collecting: the
        # collector's passes over the live units are ~10% of a whole 2,000-task merge.
        import gc

        gc.disable()
    if args[:1] == ["merge-driver"]:
        from .mergedriver import driver_main

        return driver_main(args[1:])
    if args[:1] == ["hook"] and len(args) > 1 and args[1] not in ("-h", "--help"):
        from .hookrun import run_hook

        return run_hook(args[1], args[2:])
    if args in (["tasks"], ["tasks", "--json"]):  # what scripts and agents run most: no click
        from .tasks_report import plain_tasks

        return plain_tasks(as_json=len(args) == 2)
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
