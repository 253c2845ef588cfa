"""Files a user hands to GovChain (documents, data files, CSV, keys, config): read with bounds,
so that whatever they contain — binary bytes, gigabytes, JSON nested 100,000 deep — ends in one
clear sentence (an :class:`InputError`), never a crash of the interpreter or a raw exception.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govchain.errors import InputError

#: Largest user file read whole (a batch CSV of 100,000 rows is ~20 MB).
MAX_BYTES = 256 * 1024 * 1024
#: Deepest JSON nesting accepted: far beyond any certificate (they nest 3-4 deep), far below the
#: interpreter's stack.
MAX_JSON_DEPTH = 64


def read_bytes(path: Path, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``; a sentence naming ``what`` when it cannot be read or is too big."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{what} {path} is {size:,} bytes; the limit is {max_bytes:,}.")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"Cannot read {what} {path}: {exc.strerror or exc}.") from None
    if len(data) > max_bytes:
        raise InputError(f"{what} {path} is larger than {max_bytes:,} bytes.")
    return data


def read_text(path: Path, what: str, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped)."""
    raw = read_bytes(path, what, max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not a UTF-8 text file.") from None


def check_json_depth(text: str, where: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before any parser recurses into it."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise InputError(f"{where} nests JSON deeper than {limit} levels.")
        elif char in "]}":
            depth -= 1


def parse_json(text: str, where: str) -> Any:
    """JSON ``text``, bounded in depth; a sentence with the line and column when it is not JSON."""
    check_json_depth(text, where)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{where} is not valid JSON: {exc}.") from None


def read_json(path: Path, what: str) -> Any:
    return parse_json(read_text(path, what), f"{what} {path}")


def read_csv(path: Path, what: str = "CSV file") -> Iterator[dict[str, str]]:
    """The rows of a CSV file with a header row, values stripped; a sentence for a bad row."""
    text = read_text(path, what)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames:
            raise InputError(f"{what} {path} has no header row.")
        for n, row in enumerate(reader, start=1):
            if None in row or any(v is None for v in row.values()):
                raise InputError(f"{what} {path}, row {n}: wrong number of columns.")
            yield {k.strip(): v.strip() for k, v in row.items()}
    except csv.Error as exc:
        raise InputError(f"{what} {path} is not a readable CSV file ({exc}).") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
