"""Cases 9–12 — the Xicheng, Chaoyang, Shunyi and E-Town (EDZ) district service hubs: one
mechanism (``ServiceHub``, :mod:`govchain.framework.casebase.hub`) deployed four times, each
with its own catalogue from the services file and its own additions (Shunyi: automatic
services; E-Town: one-stop services issuing several certificates at once)."""

from govchain.cases.districts.spec import CASES

__all__ = ["CASES"]
