"""Governance: a committee of agencies with a threshold and a timelock decides what no single key
may (agencies, administrative roles, certificate types, unpausing a case, the committee itself);
delegated roles (operators, guardians, the daily roles) do the rest."""
