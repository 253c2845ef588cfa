"""Case 5 — Haidian SME supply-chain finance: confirmed receivables financed once, repaid."""

from govchain.cases.sme.spec import CASE

__all__ = ["CASE"]
