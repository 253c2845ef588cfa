"""Case 8 — Internet+Government, Haidian district pilot: the district's service hub and
unemployment benefits (one active claim per person across all districts)."""

from govchain.cases.haidian.spec import CASE

__all__ = ["CASE"]
