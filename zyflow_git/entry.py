"""Console-script entry: the merge driver starts without importing click or anything heavy."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``merge-driver`` directly (it runs inside git merges); everything else via click."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["merge-driver"]:
        from .mergedriver import driver_main

        return driver_main(args[1:])
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
