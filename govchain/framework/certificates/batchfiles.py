"""Issuing a batch of certificates into a directory of documents, crash-safe: the issuance and
its documents both happen, or neither does, whatever interrupts it (Ctrl-C, kill -9, a lost
connection). See :mod:`govchain.framework.journal`.

Order: sign the issuance (a refusal stops everything here) -> journal it (fsynced) -> write
every document into a staging directory beside the target (fsynced) -> mark the entry as
sending -> send -> move the staging directory into place -> forget the entry. Recovery finishes
a batch whose transaction landed (moves its documents into place) and removes the staging
directory of one that never did.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govchain.chain.results import Receipt
from govchain.chain.tx import Sender
from govchain.errors import InputError
from govchain.files import fsync_tree
from govchain.framework import journal as wal
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.service import Certificates

KIND = "cert-issue-batch"


@dataclass(frozen=True)
class IssuedBatch:
    count: int
    roots: list[str]
    directory: Path
    receipt: Receipt

    @property
    def tx_hash(self) -> str:
        return self.receipt.tx_hash


def issue_batch_into(
    certs: Certificates,
    journal: wal.Journal,
    issuer: Sender,
    type_name: str | int,
    drafts: Sequence[Draft],
    out_dir: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> IssuedBatch:
    """Issue ``drafts`` in one transaction and write one document per draft into ``out_dir``
    (``00001.json``, ...). ``progress`` is called after each document written."""
    if not drafts:
        raise InputError("There is nothing to issue.")
    target = out_dir.resolve()
    if wal.in_flight(journal, KIND, "out_dir", str(target)):
        raise InputError(
            f"An earlier issue-batch into {out_dir} was interrupted: run `govchain resume` first."
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{out_dir} is not empty: choose a new directory.")
    if not target.parent.is_dir():
        raise InputError(f"The directory {target.parent} does not exist.")
    ctype, datas = certs.build(issuer.address, type_name, drafts)
    documents, batches = certs.wrap(issuer.address, ctype, datas)
    request = certs.store.issue_roots_tx(batches, ctype)
    issuer.estimate(request)  # a refusal (no role, say) stops everything here
    roots = ["0x" + b.root.hex() for b in batches]
    staging = target.parent / f".issue-{target.name}-{uuid.uuid4().hex[:8]}"
    payload: dict[str, Any] = {
        "out_dir": str(target),
        "staging": str(staging),
        "roots": roots,
        "count": len(documents),
    }
    entry = journal.begin(KIND, issuer.address, payload)
    with wal.attempt(journal, entry, undo=lambda: shutil.rmtree(staging, ignore_errors=True)):
        _write(staging, documents, progress)
        (receipt,) = wal.send(journal, issuer, entry, [request])
    _place(staging, target)
    journal.finish(entry)
    return IssuedBatch(len(documents), roots, target, receipt)


def _write(
    staging: Path, documents: Sequence[dict[str, Any]], progress: Callable[[int], None] | None
) -> None:
    staging.mkdir(mode=0o755)
    for n, document in enumerate(documents, start=1):
        oa.save_document(document, staging / f"{n:05d}.json")
        if progress:
            progress(n)
    fsync_tree(staging)


def _place(staging: Path, target: Path) -> None:
    if target.exists():
        target.rmdir()  # checked empty before anything was sent
    os.replace(staging, target)


@wal.settler(KIND)
def _settle(entry: wal.Entry, outcome: wal.Outcome) -> str:
    p = entry.payload
    staging, target = Path(p["staging"]), Path(p["out_dir"])
    roots = ", ".join(p["roots"])
    if outcome.landed:
        if staging.is_dir():
            _place(staging, target)
        return (
            f"Finished an interrupted issue-batch: {p['count']} certificates under {roots} "
            f"are on chain; their documents are in {target}."
        )
    shutil.rmtree(staging, ignore_errors=True)
    why = "was refused on chain" if outcome.reverted else "never reached the chain"
    return (
        f"Rolled back an interrupted issue-batch into {target}: its transaction {why}; "
        "nothing was issued."
    )
