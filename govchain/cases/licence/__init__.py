"""Case 7 — multi-terminal business licensing: one licence per enterprise, versioned, presented."""

from govchain.cases.licence.spec import CASE

__all__ = ["CASE"]
