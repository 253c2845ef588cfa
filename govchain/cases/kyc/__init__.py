"""Case 3 — enterprise electronic identity: shared eKYC under the enterprise's consent."""

from govchain.cases.kyc.spec import CASE

__all__ = ["CASE"]
