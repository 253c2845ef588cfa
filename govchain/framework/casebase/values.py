"""Values cases take and show, parsed in one place: amounts in fen (never floats), times, levels.

Every case that carries money takes it in fen — the smallest unit of the yuan — as an integer, or
as yuan with at most two decimals, parsed digit by digit; times are whole seconds since 1970 (UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from govchain.errors import InputError

#: Largest amount in fen a case stores (a uint64).
MAX_FEN = 2**64 - 1
#: Latest time a case stores (a uint40 of seconds).
MAX_TIME = 2**40 - 1


def fen(text: str | int) -> int:
    """An amount in fen: an integer (``12550``) or yuan with at most two decimals (``125.50``).
    No floats: the text is parsed digit by digit."""
    if isinstance(text, (bool, float)):
        raise InputError(f"'{text}' is not an amount: give fen as an integer or yuan as text.")
    raw = str(text).strip().replace(",", "")
    whole, dot, cents = raw.partition(".")
    if not whole.isdigit() or (dot and (not cents.isdigit() or len(cents) > 2)):
        raise InputError(f"'{text}' is not an amount (fen as an integer, or yuan like 125.50).")
    value = int(whole) * 100 + int(cents.ljust(2, "0")) if dot else int(whole)
    if not 0 < value <= MAX_FEN:
        raise InputError(f"'{text}' is not a positive amount within range.")
    return value


def yuan(amount: int) -> str:
    """Fen as people read them: ``125,000.50 yuan``."""
    return f"{amount // 100:,}.{amount % 100:02d} yuan"


def unix_time(value: Any) -> int:
    """A time as the chain stores it: ``2026-11-22`` (00:00 UTC), ``2026-11-22T10:00:00Z``, a
    datetime, or seconds since 1970."""
    if isinstance(value, datetime):
        seconds = int(value.timestamp())
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        text = str(value).strip()
        seconds = -1
        if text.isdigit():
            seconds = int(text)
        else:
            for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
                try:
                    seconds = int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())
                    break
                except ValueError:
                    continue
            else:
                raise InputError(
                    f"'{value}' is not a date (use 2026-11-22 or 2026-11-22T10:00:00Z)."
                )
    if not 0 < seconds <= MAX_TIME:
        raise InputError(f"'{value}' is not a date within range.")
    return seconds


def show_time(seconds: Any) -> str:
    """Seconds since 1970 as a UTC date and time (``-`` for none)."""
    value = int(seconds)
    if value <= 0:
        return "-"
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC")


def count(text: str | int, what: str = "count") -> int:
    """A positive whole number (a count, a request id)."""
    value = int(text) if str(text).strip().isdigit() else -1
    if not 0 < value < 2**64:
        raise InputError(f"'{text}' is not a positive {what}.")
    return value
