"""The encrypted document store: round trips, readers, re-wrapping, tamper detection."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from govchain.devnet.keys import dev_account
from govchain.framework.docstore import (
    DocumentExists,
    DocumentNotFound,
    DocumentTampered,
    DocumentVault,
    InvalidPublicKey,
    LocalDocumentStore,
    NotAReader,
    address_of,
    commitment,
    public_key_of,
)

ALICE, BOB, CAROL = dev_account(40), dev_account(41), dev_account(42)
SECRET = "社会保险缴费记录 110108199003071234".encode()


def readers(*accounts: object) -> dict[str, bytes]:
    return {a.address: public_key_of(a.key) for a in accounts}  # type: ignore[attr-defined]


@pytest.fixture
def vault(tmp_path: Path) -> DocumentVault:
    return DocumentVault(LocalDocumentStore(tmp_path / "store"))


def test_two_readers_round_trip_and_a_stranger_cannot_read(vault: DocumentVault) -> None:
    envelope = vault.seal(SECRET, readers(ALICE, BOB))
    assert envelope.content_hash != keccak(SECRET)  # salted: not the plain hash
    assert vault.open(envelope.content_hash, ALICE) == SECRET
    assert vault.open(envelope.content_hash, BOB) == SECRET
    with pytest.raises(NotAReader, match="not a reader"):
        vault.open(envelope.content_hash, CAROL)


def test_granting_rewraps_only_for_the_new_reader(vault: DocumentVault) -> None:
    envelope = vault.seal(SECRET, readers(ALICE))
    before = vault.store.get(envelope.content_hash)
    vault.grant(envelope.content_hash, ALICE, CAROL.address, public_key_of(CAROL.key))
    after = vault.store.get(envelope.content_hash)
    assert after.ciphertext == before.ciphertext and after.nonce == before.nonce
    assert after.keys[ALICE.address] == before.keys[ALICE.address]
    assert vault.open(envelope.content_hash, CAROL) == SECRET
    with pytest.raises(NotAReader):
        vault.grant(envelope.content_hash, BOB, BOB.address, public_key_of(BOB.key))


def test_tampered_blob_and_wrong_hash_are_detected(vault: DocumentVault, tmp_path: Path) -> None:
    envelope = vault.seal(SECRET, readers(ALICE))
    with pytest.raises(DocumentTampered, match="not the one anchored"):
        vault.open(envelope.content_hash, ALICE, expected_hash=b"\x01" * 32)
    blob = next((tmp_path / "store" / "blobs").rglob(envelope.content_hash.hex()))
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    with pytest.raises(DocumentTampered, match="altered"):
        vault.open(envelope.content_hash, ALICE)
    blob.unlink()
    with pytest.raises(DocumentTampered, match="missing"):
        vault.open(envelope.content_hash, ALICE)
    with pytest.raises(DocumentNotFound):
        vault.open(b"\x02" * 32, ALICE)


def test_public_keys_must_belong_to_their_address(vault: DocumentVault) -> None:
    with pytest.raises(InvalidPublicKey, match="does not belong"):
        vault.seal(SECRET, {ALICE.address: public_key_of(BOB.key)})
    with pytest.raises(InvalidPublicKey, match="64 bytes"):
        vault.seal(SECRET, {ALICE.address: b"\x04" * 65})
    assert address_of(public_key_of(ALICE.key)) == ALICE.address


def test_public_key_recovers_from_a_signed_transaction() -> None:
    from eth_keys import keys

    signed = ALICE.sign_transaction(
        {
            "chainId": 1337,
            "nonce": 0,
            "gas": 21000,
            "gasPrice": 1,
            "to": BOB.address,
            "value": 1,
            "data": b"",
        }
    )
    recovered = Account.recover_transaction(signed.raw_transaction)
    assert recovered == ALICE.address
    assert keys.PrivateKey(ALICE.key).public_key.to_bytes() == public_key_of(ALICE.key)


def test_the_store_never_holds_plaintext(vault: DocumentVault, tmp_path: Path) -> None:
    vault.seal(SECRET, readers(ALICE, BOB))
    for path in (tmp_path / "store").rglob("*"):
        if path.is_file():
            assert b"110108199003071234" not in path.read_bytes(), path


def test_concurrent_puts(vault: DocumentVault) -> None:
    hashes: list[bytes] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(50):
            env = vault.seal(f"doc {n}-{i}".encode(), readers(ALICE))
            with lock:
                hashes.append(env.content_hash)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(hashes)) == 400
    assert set(vault.store.hashes()) == set(hashes)
    assert vault.open(hashes[123], ALICE).startswith(b"doc ")


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=4096))
def test_round_trip_property(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    vault = DocumentVault(LocalDocumentStore(tmp_path_factory.mktemp("prop")))
    envelope = vault.seal(data, readers(BOB))
    assert vault.open(envelope.content_hash, BOB, expected_hash=envelope.content_hash) == data


def test_the_same_bytes_sealed_twice_are_two_documents(vault: DocumentVault) -> None:
    """Two writers sealing the same bytes at once never clash: each sealing has its own salt
    and commitment, and each stays readable by its readers."""
    first = vault.seal(SECRET, readers(ALICE))
    again = vault.seal(SECRET, readers(BOB))
    assert again.content_hash != first.content_hash
    assert vault.open(first.content_hash, ALICE) == SECRET
    assert vault.open(again.content_hash, BOB) == SECRET
    with pytest.raises(NotAReader):
        vault.open(again.content_hash, ALICE)
    with pytest.raises(DocumentExists):
        vault.store.put(again)  # the store never overwrites a document


def test_a_short_document_cannot_be_guessed_from_its_commitment(vault: DocumentVault) -> None:
    """The brute force that found a record in 7 s: try every small value against the chain's
    hash. Against a salted commitment, the right guess does not match without the salt."""
    record = b'{"months": 36}'
    anchored = vault.seal(record, readers(ALICE)).content_hash
    guesses = [b'{"months": %d}' % n for n in range(1000)]
    assert all(keccak(g) != anchored for g in guesses)
    salt, digest = vault.prepare(record)
    assert digest == commitment(record, salt) and digest != anchored
