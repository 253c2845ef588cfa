"""Case 6 — municipal real estate registration: owners, mortgages, seizures, sales."""

from govchain.cases.estate.spec import CASE

__all__ = ["CASE"]
