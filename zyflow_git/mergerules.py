"""The front-matter rules of a repository (``[merge.front_matter]`` in ``.zyflow.toml``),
read by the merge driver only when a file it merges has front matter.

```toml
[merge.front_matter]
rules = true                                  # false: a key changed two ways is always a conflict
updated_date = "max"                          # max, min, union, ours, theirs, conflict
status = { order = ["To Do", "In Progress", "Done"] }
```
"""

from __future__ import annotations

import os

from .core.frontmatter import RULES, Rules
from .errors import BadInput


def parse_rules(table: object, where: str) -> Rules:
    """Rules from the ``[merge.front_matter]`` table; a bad entry is ``BadInput``."""
    if table is None:
        return Rules()
    if not isinstance(table, dict):
        raise BadInput(f"{where}: merge.front_matter must be a table")
    keys: dict[str, str] = {}
    orders: dict[str, tuple[str, ...]] = {}
    enabled = True
    for key, value in table.items():
        if key == "rules":
            if not isinstance(value, bool):
                raise BadInput(f"{where}: merge.front_matter.rules must be true or false")
            enabled = value
        elif isinstance(value, str) and value in RULES and value != "order":
            keys[key] = value
        elif isinstance(value, dict) and isinstance(value.get("order"), list) and all(isinstance(v, str) for v in value["order"]):
            orders[key] = tuple(value["order"])
            keys[key] = "order"
        else:
            raise BadInput(f"{where}: merge.front_matter.{key}: use one of {', '.join(r for r in RULES if r != 'order')}"
                           " or {{ order = [...] }}")
    return Rules(keys, orders, enabled)


def load_rules(top: str = ".") -> Rules:
    """The rules of the repository at ``top`` (defaults when there is no .zyflow.toml)."""
    from .config import CONFIG_NAME, MAX_CONFIG_BYTES
    from .fsio import read_regular

    path = os.path.join(top, CONFIG_NAME)
    if not os.path.lexists(path):
        return Rules()
    import tomllib

    try:
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise BadInput(f"{path}: {err}") from None
    merge = data.get("merge", {})
    return parse_rules(merge.get("front_matter") if isinstance(merge, dict) else None, path)
