"""Personal identifiers as keyed hashes: the same person maps to the same id in every case, yet an
18-digit ID number cannot be brute-forced from the chain.

``person_id("110101199003071234")`` is HMAC-SHA256 under the platform secret, which agencies hold
and which never goes on chain. One secret per deployment: it is made (32 random bytes) when the
deployment's address book is, the book records only its fingerprint, and the administrator hands
it to every agency of the deployment, so all of them hash an identifier the same way. It comes
from ``GOVCHAIN_PLATFORM_SECRET`` (hex) or from ``<data_dir>/secrets/<network>.key`` (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
import unicodedata
from pathlib import Path

from govchain.errors import ConfigError, InputError
from govchain.files import private_dir

SECRET_ENV = "GOVCHAIN_PLATFORM_SECRET"


MIN_SECRET_BYTES = 16
NEW_SECRET_BYTES = 32


def secret_path(data_dir: Path, network: str) -> Path:
    """Where an installation keeps the platform secret of ``network`` (mode 0600)."""
    return data_dir / "secrets" / f"{network}.key"


def fingerprint(secret: bytes) -> str:
    """What the address book records of the secret: a MAC of a fixed text under it, so an
    agency can check it holds the deployment's secret without the secret being revealed."""
    mac = hmac.new(secret, b"govchain/platform-secret-fingerprint", hashlib.sha256)
    return "0x" + mac.hexdigest()


def load_secret(data_dir: Path, network: str, expected: str = "", *, create: bool = False) -> bytes:
    """The platform secret of the deployment on ``network``: ``GOVCHAIN_PLATFORM_SECRET`` (hex),
    else the installation's secret file (see :func:`secret_path`), created on first use when
    ``create`` (the deployment that makes a new address book). Refused when empty, shorter than
    16 bytes, or not the secret whose fingerprint the address book records (``expected``)."""
    env = os.environ.get(SECRET_ENV)
    path = secret_path(data_dir, network)
    if env:
        secret, where = _parse(env, SECRET_ENV), SECRET_ENV
    elif path.is_file():
        secret, where = _parse(path.read_text(), str(path)), str(path)
    elif create:
        secret, where = _create(path), str(path)
    else:
        raise ConfigError(
            f"No platform secret for '{network}': the deployment's administrator distributes it "
            f"with the deployment (never on chain); put it in {path} (hex, mode 0600) or set "
            f"{SECRET_ENV}."
        )
    if expected and fingerprint(secret) != expected:
        raise ConfigError(
            f"The platform secret in {where} is not the one of the deployment on '{network}' "
            "(its fingerprint differs from the address book's): identifiers would hash "
            "differently from the other agencies'. Get the deployment's secret."
        )
    return secret


def _parse(text: str, where: str) -> bytes:
    try:
        secret = bytes.fromhex(text.strip().removeprefix("0x"))
    except ValueError:
        raise ConfigError(f"The platform secret in {where} is not hexadecimal.") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"The platform secret in {where} is {'empty' if not secret else 'too short'}: "
            f"it must hold at least {MIN_SECRET_BYTES} bytes (64 hex digits are made for you)."
        )
    return secret


def _create(path: Path) -> bytes:
    """A new random secret, written atomically and exclusively: of two processes creating it at
    once, one wins and both use its secret."""
    secret = secrets.token_bytes(NEW_SECRET_BYTES)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secret.hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if another process created it first
        except FileExistsError:
            return _parse(path.read_text(), str(path))
    finally:
        Path(tmp).unlink(missing_ok=True)
    return secret


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
