"""Case 2 — Beijing–Tianjin–Hebei port customs clearance (single window)."""

from govchain.cases.port.spec import CASE

__all__ = ["CASE"]
