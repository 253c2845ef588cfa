"""Encrypted keystores (Web3 Secret Storage v3, scrypt) under the keystore directory.

Private keys never appear on the command line: they are typed at a hidden prompt, read from a file
or from an environment variable, and stored only encrypted. Files are written atomically (a
failure leaves no file behind) with mode 0600. Each keystore carries a ``label`` so clerks can say
``--from customs-clerk-1`` instead of an address.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govchain.chain.devguard import is_dev_account
from govchain.errors import InputError, KeystoreError, WrongPassword
from govchain.files import write_atomic
from govchain.hashing import is_hex_address, to_checksum_address
from govchain.inputs import parse_json, read_text

if TYPE_CHECKING:
    from eth_account import Account as _AccountApi
    from eth_account.signers.local import LocalAccount

MIN_PASSWORD_LENGTH = 8


def _accounts() -> type[_AccountApi]:
    """eth_account's Account, imported when a key is really used: the package pulls in
    eth_keyfile and py_ecc's BLS code (half a second), which read-only commands never need."""
    from eth_account import Account

    return Account


_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class KeystoreEntry:
    address: str
    label: str
    path: Path


class Keystore:
    """The keystore directory of one installation."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def list(self) -> list[KeystoreEntry]:
        """Every readable keystore, sorted by label."""
        if not self.directory.is_dir():
            return []
        entries = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                raw = json.loads(path.read_text())
                address = to_checksum_address(raw["address"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            entries.append(KeystoreEntry(address, str(raw.get("label") or address), path))
        return sorted(entries, key=lambda e: e.label.lower())

    def find(self, who: str) -> KeystoreEntry | None:
        """The entry whose label or address is ``who`` (case-insensitive), or None."""
        key = who.strip().lower()
        for entry in self.list():
            if entry.label.lower() == key or entry.address.lower() == key:
                return entry
        return None

    def new(self, label: str, password: str) -> KeystoreEntry:
        """Create a fresh random key, encrypted with ``password``."""
        account: LocalAccount = _accounts().create()
        return self._store(account.key, label, password)

    def import_key(self, private_key: str | bytes, label: str, password: str) -> KeystoreEntry:
        """Encrypt an existing private key (hex string or 32 bytes) into the keystore."""
        try:
            account: LocalAccount = _accounts().from_key(private_key)
        except (ValueError, TypeError):
            raise InputError("That is not a private key (expected 64 hex digits).") from None
        return self._store(account.key, label, password)

    def import_file(self, path: Path, label: str, password: str) -> KeystoreEntry:
        """Copy an existing v3 keystore file (checked by decrypting it with ``password``)."""
        text = read_text(path, "Keystore file", max_bytes=1024 * 1024)
        try:
            raw = parse_json(text, str(path))
        except InputError as exc:
            raise InputError(f"{path} is not a keystore file ({exc.message})") from None
        if not isinstance(raw, dict):
            raise InputError(f"{path} is not a keystore file (not a JSON object).")
        key = _decrypt(raw, password, str(path))
        return self._store(key, label, password)

    def unlock(self, entry: KeystoreEntry, password: str) -> LocalAccount:
        """The account of ``entry``; :class:`WrongPassword` if the password does not fit."""
        try:
            raw = json.loads(entry.path.read_text())
        except (OSError, ValueError):
            raise KeystoreError(f"Keystore file {entry.path} is unreadable or damaged.") from None
        account: LocalAccount = _accounts().from_key(_decrypt(raw, password, entry.label))
        return account

    def _store(self, key: bytes, label: str, password: str) -> KeystoreEntry:
        check_label(label)
        check_new_password(password)
        address = to_checksum_address(_accounts().from_key(key).address)
        if is_dev_account(address):
            raise InputError(
                f"{address} is one of the PUBLIC development accounts (its key is published "
                "with the test mnemonic); it is never imported into a keystore. On the local "
                "chain use the demo cast's names (`govchain account list --dev`)."
            )
        for entry in self.list():
            if entry.address == address:
                raise KeystoreError(f"{address} is already in the keystore as '{entry.label}'.")
            if entry.label.lower() == label.lower():
                raise KeystoreError(f"The label '{label}' is already used by {entry.address}.")
        encrypted: dict[str, Any] = _accounts().encrypt(key, password)
        encrypted["address"] = address[2:].lower()
        encrypted["label"] = label
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
        path = self.directory / f"UTC--{stamp}--{address[2:].lower()}.json"
        _write_private(path, json.dumps(encrypted, indent=1))
        return KeystoreEntry(address, label, path)


def check_label(label: str) -> None:
    if not _LABEL.match(label) or is_hex_address(label):
        raise InputError(
            f"'{label}' is not a usable label: use letters, digits, '.', '_' or '-' "
            "(up to 64 characters), not an address."
        )


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def _decrypt(raw: Any, password: str, what: str) -> bytes:
    if not isinstance(raw, dict) or ("crypto" not in raw and "Crypto" not in raw):
        raise KeystoreError(f"{what} is not a v3 keystore file.")
    try:
        return bytes(_accounts().decrypt(raw, password))
    except ValueError as exc:
        if "MAC mismatch" in str(exc):
            raise WrongPassword(f"The password does not unlock keystore '{what}'.") from None
        raise KeystoreError(f"Keystore '{what}' is damaged: {exc}.") from None


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically with mode 0600; nothing is left behind on failure."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, text, mode=0o600)
