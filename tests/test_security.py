"""Attacks and bad inputs from the security review (issue 10), each refused with a typed error
and no state change."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.errors import ConfigError
from govchain.framework import identity

Actor = Callable[[str], Sender]


# -- the platform secret ---------------------------------------------------------------------
def test_an_empty_or_short_secret_is_refused(tmp_path: Path) -> None:
    path = identity.secret_path(tmp_path, "local")
    path.parent.mkdir(parents=True)
    path.write_text("")
    with pytest.raises(ConfigError, match="empty"):
        identity.load_secret(tmp_path, "local")
    path.write_text("ab" * 8 + "\n")  # 8 bytes
    with pytest.raises(ConfigError, match="too short"):
        identity.load_secret(tmp_path, "local")
    path.write_text("not hex\n")
    with pytest.raises(ConfigError, match="not hexadecimal"):
        identity.load_secret(tmp_path, "local")


def test_a_missing_secret_is_never_made_up_silently(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="distributes it with the deployment"):
        identity.load_secret(tmp_path, "consortium")


def test_one_secret_even_when_two_processes_create_it_at_once(tmp_path: Path) -> None:
    found: list[bytes] = []
    threads = [
        threading.Thread(
            target=lambda: found.append(identity.load_secret(tmp_path, "n", create=True))
        )
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(found)) == 1 and len(found[0]) == 32
    path = identity.secret_path(tmp_path, "n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["n.key"]  # no temporary file left


def test_agencies_of_one_deployment_hash_identifiers_alike(gc: GovChain, tmp_path: Path) -> None:
    """Another agency's installation (its own data directory) with the deployment's secret
    hashes an ID number like this one; with any other secret it is refused, not silently
    hashing differently."""
    secret = identity.load_secret(gc.config.data_dir, "local", gc.book.secret_fingerprint)
    assert identity.fingerprint(secret) == gc.book.secret_fingerprint
    other = tmp_path / "agency-b"
    identity.secret_path(other, "local").parent.mkdir(parents=True)
    identity.secret_path(other, "local").write_text(secret.hex())
    again = identity.load_secret(other, "local", gc.book.secret_fingerprint)
    number = "110108199003071234"
    assert identity.person_id(number, again) == identity.person_id(number, secret)
    identity.secret_path(other, "local").write_text(os.urandom(32).hex())
    with pytest.raises(ConfigError, match="not the one of the deployment"):
        identity.load_secret(other, "local", gc.book.secret_fingerprint)


# -- the data directory is private --------------------------------------------------------
def test_the_data_directory_is_private(gc: GovChain, actor: Actor) -> None:
    gc.index.sync()
    gc.case("logistics").anchors.anchor(actor("forwarder"), [b"message"])
    gc.vault.seal(b"a document", {})
    gc._secret()
    loose = []
    root = gc.config.data_dir
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir() and mode != 0o700:
            loose.append(f"{path} {mode:o}")
        if path.is_file() and mode & 0o077 and path.parent.name != "bin":
            loose.append(f"{path} {mode:o}")
    assert loose == []


# -- development keys ---------------------------------------------------------------------
def test_dev_guard_knows_exactly_the_published_accounts() -> None:
    from govchain.chain.devguard import DEV_ADDRESSES
    from govchain.devnet.keys import dev_account

    assert {dev_account(i).address for i in range(60)} == DEV_ADDRESSES


def test_development_keys_are_refused_on_any_other_chain(gc: GovChain) -> None:
    from govchain.chain.chain import Chain
    from govchain.devnet import cast

    other = Chain(gc.chain.url)
    other.chain_id = 8888  # what a consortium chain reports
    with pytest.raises(ConfigError, match="PUBLIC development accounts"):
        other.sender(cast.bureau().account)
    with pytest.raises(ConfigError, match="PUBLIC development accounts"):
        other.sender(cast.BY_KEY["customs-beijing"].account)
    gc.sender(cast.bureau().account)  # the local chain accepts them
