"""Batch writes of a case (``stepBatch``, ``submitBatch``: many transactions sent together),
journaled so that a crash or Ctrl-C never leaves them half known: the next run (or ``govchain
resume``) sends what was lost again — the same signed transactions, never new ones — and says
how many landed. See :mod:`govchain.framework.journal`."""

from __future__ import annotations

from collections.abc import Sequence

from govchain.chain.results import Receipt
from govchain.chain.tx import Sender, TxRequest
from govchain.framework import journal as wal

KIND = "case-batch"


def send_batch(
    journal: wal.Journal, sender: Sender, reqs: Sequence[TxRequest], what: str
) -> list[Receipt]:
    """Sign ``reqs`` (all estimated first: a refusal sends nothing), journal them, send them."""
    entry = journal.begin(KIND, sender.address, {"what": what})
    with wal.attempt(journal, entry):
        receipts = wal.send(journal, sender, entry, reqs)
    journal.finish(entry)
    return receipts


@wal.settler(KIND)
def _settle(entry: wal.Entry, outcome: wal.Outcome) -> str:
    what, total = entry.payload.get("what", "batch"), len(entry.txs)
    if not entry.txs:
        return f"Dropped an interrupted {what}: nothing had been sent."
    if outcome.complete:
        return f"Finished an interrupted {what}: all {total} transaction(s) are on chain."
    parts = [f"{len(outcome.landed)} of {total} transaction(s) are on chain"]
    if outcome.lost:
        parts.append(f"{len(outcome.lost)} never landed (their items were not done)")
    if outcome.reverted:
        parts.append(f"{len(outcome.reverted)} were refused on chain")
    return f"Settled an interrupted {what}: {'; '.join(parts)}. Run the rest again."
