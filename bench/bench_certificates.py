"""Certificate benchmark: gas per issuance path and revocation, and the wall time to wrap, issue
and verify 10,000 certificates. Anchors measured on Anvil: OpenAttestation DocumentStore.issue
47,899 gas; EAS attest 317,027; storing one hash in its own transaction ~44,000.

Usage: python -m bench.bench_certificates
"""

from __future__ import annotations

from eth_utils import keccak

from bench.common import fresh_platform, heading, row, timed
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.registry import BatchRoot

FIELDS = {
    "companyName": "Zhongguancun Smart Sensors Co., Ltd.",
    "legalRepresentative": "Li Na",
    "registeredCapital": "20,000,000 CNY",
    "businessScope": "Sensors, software, technical services",
    "address": "5 Danling Street, Haidian District, Beijing",
}


def drafts(n: int) -> list[Draft]:
    return [Draft(dict(FIELDS), holder=f"91110108{i:010d}") for i in range(n)]


def batch_gas(gc: GovChain, n: int) -> tuple[int, list[dict[str, object]]]:
    certs = gc.certificates
    regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
    ctype, datas = certs.build(regulator.address, "business_licence", drafts(n))
    documents, batches = certs.wrap(regulator.address, ctype, datas)
    receipt = certs.store.issue_root(regulator, batches[0], ctype)
    return receipt.gas_used, documents


def bound_roots(gc: GovChain, issuer: str, n: int) -> list[BatchRoot]:
    """``n`` one-certificate batches (the chain pairs each with the issuer's binding leaf)."""
    return [BatchRoot(keccak(text=f"root {i}"), 0, 0, b"") for i in range(n)]


def main() -> None:
    heading("Certificate gas (anchors: DocumentStore.issue 47,899; EAS attest 317,027)")
    with fresh_platform() as gc:
        certs = gc.certificates
        regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
        store = certs.store
        lic = certs.type("business_licence")
        single = certs.issue(regulator, "business_licence", drafts(1)[0])
        one = bound_roots(gc, regulator.address, 1)[0]
        gas_single = store.issue_root(regulator, one, lic).gas_used
        row("single issue, no expiry (issuer, type, block, binding proof)", f"{gas_single:>10,}")
        gas_dated, _ = batch_gas(gc, 1)
        row("single issue with a validity window (one more slot)", f"{gas_dated:>10,}")
        for n in (10, 1_000, 10_000):
            gas, documents = batch_gas(gc, n)
            row(f"Merkle batch of {n:,}: one transaction", f"{gas:>10,}")
            row("  per certificate (target <= 5 at 10,000)", f"{gas / n:>12,.2f}")
        roots = bound_roots(gc, regulator.address, 101)[1:]
        bulk = store.issue_roots(regulator, roots, lic).gas_used
        row("bulkIssueCertificates of 100 separate roots, per root", f"{bulk / 100:>10,.0f}")
        row(
            "revoke a single certificate (by its leaf)",
            f"{certs.revoke(regulator, single, 'fraud').gas_used:>10,}",
        )
        leaf = documents[1234]
        row(
            "revoke one certificate inside a 10,000 batch (proof of 14)",
            f"{certs.revoke(regulator, leaf, 'fraud').gas_used:>10,}",
        )
        row(
            "suspend one certificate inside the batch",
            f"{certs.suspend(regulator, documents[99], 'court_order').gas_used:>10,}",
        )
        row("reinstate it", f"{certs.reinstate(regulator, documents[99]).gas_used:>10,}")

    heading("Wall time for 10,000 certificates (fresh chain)")
    with fresh_platform() as gc:
        certs = gc.certificates
        regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
        with timed() as t_build:
            ctype, datas = certs.build(regulator.address, "business_licence", drafts(10_000))
        with timed() as t_wrap:
            documents, batches = certs.wrap(regulator.address, ctype, datas)
        with timed() as t_issue:
            certs.store.issue_root(regulator, batches[0], ctype)
        with timed() as t_verify:
            results = certs.verify_many(documents)
        assert all(r.valid for r in results)
        row("build 10,000 certificate records", f"{t_build[0]:8.2f} s")
        row("wrap (salt, hash, Merkle tree, proofs)", f"{t_wrap[0]:8.2f} s")
        row("issue the root (one transaction)", f"{t_issue[0]:8.2f} s")
        row("verify all 10,000 (every check)", f"{t_verify[0]:8.2f} s")
        total = t_build[0] + t_wrap[0] + t_issue[0] + t_verify[0]
        row("total", f"{total:8.2f} s")


if __name__ == "__main__":
    main()
