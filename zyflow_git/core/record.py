"""Small slotted value objects, for the modules the merge driver imports.

``dataclasses`` costs ~15 ms to import (it pulls in ``inspect``) and a frozen dataclass
~3.5 us to build; the driver runs inside other people's ``git merge`` and builds ~10,000 units
for a 2,000-task file. Records are immutable by convention: change them with ``replace``.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

# Per class, what equality compares, read in C (a merge compares thousands of units).
_KEYS: dict[type, Callable[[object], tuple[object, ...]]] = {}


class Record:
    """Fields are the subclass's ``__slots__``; equality looks at ``_compare`` (default: all)."""

    __slots__ = ()
    _compare: tuple[str, ...] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        names: tuple[str, ...] = self.__slots__  # type: ignore[assignment]
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} fields")
        defaults = type(self)._defaults()
        for name, value in zip(names, args):
            object.__setattr__(self, name, value)
        for name in names[len(args):]:
            if name in kwargs:
                object.__setattr__(self, name, kwargs.pop(name))
            elif name in defaults:
                object.__setattr__(self, name, defaults[name])
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(kwargs)}")

    @classmethod
    def _defaults(cls) -> dict[str, object]:
        return {}

    def _key(self) -> tuple[object, ...]:
        key = _KEYS.get(type(self))
        if key is None:
            names: tuple[str, ...] = self._compare or self.__slots__  # type: ignore[assignment]
            key = _KEYS[type(self)] = attrgetter(*names) if len(names) > 1 else lambda r: tuple(getattr(r, n) for n in names)
        return key(self)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__  # type: ignore[assignment]
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({fields})"

    def replace(self, **changes: object) -> "Record":
        """A copy with some fields changed."""
        new = object.__new__(type(self))
        names: tuple[str, ...] = self.__slots__  # type: ignore[assignment]
        for name in names:
            object.__setattr__(new, name, changes.pop(name) if name in changes else getattr(self, name))
        if changes:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(changes)}")
        return new
