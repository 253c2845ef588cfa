"""Case 4 — electronic bills (fapiao): medical care, donations, education."""

from govchain.cases.bills.spec import CASE

__all__ = ["CASE"]
