"""Reading an enum value a clerk typed: a name in any case (``on-approval``) or its number."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar

from govchain.errors import InputError

E = TypeVar("E", bound=IntEnum)


def parse_enum(enum: type[E], text: str | int | E, what: str) -> E:
    """``enum`` member named or numbered ``text``; an :class:`InputError` naming the choices."""
    if isinstance(text, enum):
        return text
    try:
        if isinstance(text, int) or str(text).strip().isdigit():
            return enum(int(text))
        return enum[str(text).strip().upper().replace("-", "_").replace(" ", "_")]
    except (KeyError, ValueError):
        names = ", ".join(m.name.lower() for m in enum if m.value)
        raise InputError(f"'{text}' is not {what} (one of: {names}).") from None
