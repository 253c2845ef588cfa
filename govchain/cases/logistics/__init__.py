"""Case 1 — airport international logistics."""

from govchain.cases.logistics.spec import CASE

__all__ = ["CASE"]
