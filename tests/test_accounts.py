"""Keystores: create, import, unlock; wrong passwords and bad input leave nothing behind."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from eth_account import Account

from govchain.chain.accounts import Keystore
from govchain.errors import InputError, KeystoreError, WrongPassword

PASSWORD = "correct horse battery"
# The first well-known Anvil development key: PUBLIC, for tests only.
DEV_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # PUBLIC
OWN_KEY = "0x" + "5a" * 32  # a key of an agency's own (made up for the tests)


def test_new_account_is_encrypted_and_private(tmp_path: Path) -> None:
    ks = Keystore(tmp_path / "ks")
    entry = ks.new("clerk-1", PASSWORD)
    raw = json.loads(entry.path.read_text())
    assert raw["label"] == "clerk-1" and "crypto" in raw
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert ks.unlock(entry, PASSWORD).address == entry.address
    assert [e.label for e in ks.list()] == ["clerk-1"]
    assert ks.find("CLERK-1") == entry and ks.find(entry.address.lower()) == entry


def test_wrong_password_is_refused(tmp_path: Path) -> None:
    ks = Keystore(tmp_path)
    entry = ks.import_key(OWN_KEY, "bureau-admin", PASSWORD)
    with pytest.raises(WrongPassword, match="does not unlock keystore 'bureau-admin'"):
        ks.unlock(entry, "an old password")


def test_import_key_and_keystore_file(tmp_path: Path) -> None:
    ks = Keystore(tmp_path / "a")
    entry = ks.import_key(OWN_KEY, "dev0", PASSWORD)
    assert entry.address == Account.from_key(OWN_KEY).address
    other = Keystore(tmp_path / "b").import_file(entry.path, "copy", PASSWORD)
    assert other.address == entry.address
    with pytest.raises(WrongPassword):
        Keystore(tmp_path / "c").import_file(entry.path, "copy", "wrong password!")
    assert not list((tmp_path / "c").glob("*.json")) if (tmp_path / "c").exists() else True


@pytest.mark.parametrize(
    ("label", "key", "password", "error"),
    [
        ("bad label!", OWN_KEY, PASSWORD, InputError),
        ("0x" + "ab" * 20, OWN_KEY, PASSWORD, InputError),
        ("dev0", DEV_KEY_0, PASSWORD, InputError),  # a public development key
        ("ok", "0x1234", PASSWORD, InputError),
        ("ok", OWN_KEY, "short", InputError),
    ],
)
def test_bad_input_leaves_no_file(
    tmp_path: Path, label: str, key: str, password: str, error: type[Exception]
) -> None:
    ks = Keystore(tmp_path / "ks")
    with pytest.raises(error):
        ks.import_key(key, label, password)
    assert not (tmp_path / "ks").exists() or not any((tmp_path / "ks").iterdir())


def test_duplicates_are_refused(tmp_path: Path) -> None:
    ks = Keystore(tmp_path)
    ks.import_key(OWN_KEY, "dev0", PASSWORD)
    with pytest.raises(KeystoreError, match="already in the keystore"):
        ks.import_key(OWN_KEY, "again", PASSWORD)
    with pytest.raises(KeystoreError, match="already used"):
        ks.new("DEV0", PASSWORD)
    assert len(ks.list()) == 1


def test_damaged_keystore_file(tmp_path: Path) -> None:
    ks = Keystore(tmp_path)
    entry = ks.new("clerk", PASSWORD)
    raw = json.loads(entry.path.read_text())
    raw["crypto"]["ciphertext"] = "00"
    entry.path.write_text(json.dumps(raw))
    with pytest.raises(KeystoreError):
        ks.unlock(entry, PASSWORD)
    bad = tmp_path / "notes.json"
    bad.write_text("not json")
    with pytest.raises(InputError, match="not a keystore"):
        Keystore(tmp_path / "x").import_file(bad, "x", PASSWORD)
