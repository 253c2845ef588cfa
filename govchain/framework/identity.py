"""Personal identifiers as keyed hashes: the same person maps to the same id in every case, yet an
18-digit ID number cannot be brute-forced from the chain.

``person_id("110101199003071234")`` is HMAC-SHA256 under the platform secret, which agencies hold
and which never goes on chain. The secret comes from ``GOVCHAIN_PLATFORM_SECRET`` (hex) or from
``<data_dir>/platform-secret`` (created with 32 random bytes, mode 0600, on first use locally).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from govchain.errors import ConfigError, InputError

SECRET_ENV = "GOVCHAIN_PLATFORM_SECRET"
SECRET_FILE = "platform-secret"


def load_secret(data_dir: Path, *, create: bool = True) -> bytes:
    """The platform secret (see module docstring)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        try:
            secret = bytes.fromhex(env.removeprefix("0x"))
        except ValueError:
            raise ConfigError(f"{SECRET_ENV} must be hexadecimal.") from None
        if len(secret) < 16:
            raise ConfigError(f"{SECRET_ENV} must hold at least 16 bytes.")
        return secret
    path = data_dir / SECRET_FILE
    if path.is_file():
        return bytes.fromhex(path.read_text().strip())
    if not create:
        raise ConfigError(f"No platform secret: set {SECRET_ENV} or create {path}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def normalise_identifier(identifier: str) -> str:
    """Upper-case, no spaces or dashes, NFKC (full-width digits become ASCII)."""
    text = unicodedata.normalize("NFKC", identifier).strip().upper()
    text = "".join(c for c in text if c not in " -")
    if not text:
        raise InputError("The identifier is empty.")
    return text


def person_id(identifier: str, secret: bytes) -> str:
    """The keyed hash of a personal or enterprise identifier, as 0x-prefixed hex."""
    digest = hmac.new(secret, normalise_identifier(identifier).encode(), hashlib.sha256).digest()
    return "0x" + digest.hex()
