"""The demo cast: a realistic set of participants for the twelve cases on the local chain.

Each member signs with one of Anvil's well-known development keys (PUBLIC keys, see
:mod:`govchain.devkeys`; the local chain only). The enterprises are fictional. Role names are the
ones the case contracts declare (``<NAME>_ROLE`` constants); the bureau at index 0 deploys the
contracts and holds the directory's administrator role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govchain.chain.deploy import BUREAU_NAME
from govchain.devnet.keys import dev_account
from govchain.framework.directory import Kind

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount


@dataclass(frozen=True)
class CastMember:
    key: str  # what a clerk types after --from on the local chain
    name: str
    kind: Kind
    district: str
    roles: tuple[str, ...]
    dev_index: int

    @property
    def account(self) -> LocalAccount:
        return dev_account(self.dev_index)

    @property
    def address(self) -> str:
        return str(self.account.address)


A, E, B = Kind.AGENCY, Kind.ENTERPRISE, Kind.BANK
_MEMBERS: list[tuple[str, str, Kind, str, tuple[str, ...]]] = [
    ("bureau", BUREAU_NAME, A, "beijing", ("SUPERVISOR",)),
    ("commerce", "Beijing Municipal Commerce Bureau", A, "beijing", ("SUPERVISOR",)),
    ("customs-beijing", "Beijing Customs", A, "beijing", ("CUSTOMS",)),
    ("customs-tianjin", "Tianjin Customs", A, "tianjin", ("CUSTOMS",)),
    ("customs-hebei", "Shijiazhuang Customs (Hebei)", A, "hebei", ("CUSTOMS",)),
    (
        "tax",
        "Beijing Municipal Tax Service",
        A,
        "beijing",
        ("TAX", "CREDIT_AGENCY", "DATA_PROVIDER", "DEPARTMENT"),
    ),
    ("airport", "Beijing Capital International Airport", E, "shunyi", ("AIRPORT",)),
    ("terminal-tianjin", "Tianjin Port Container Terminal", E, "tianjin-binhai", ("TERMINAL",)),
    ("terminal-hebei", "Tangshan Caofeidian Port Terminal", E, "tangshan", ("TERMINAL",)),
    ("bank-bob", "Bank of Beijing", B, "xicheng", ("BANK", "LENDER", "DATA_PROVIDER")),
    ("bank-icbc", "ICBC Beijing Branch", B, "xicheng", ("BANK", "LENDER", "DATA_PROVIDER")),
    (
        "bank-ccb",
        "China Construction Bank Beijing Branch",
        B,
        "xicheng",
        ("BANK", "LENDER", "DATA_PROVIDER"),
    ),
    ("finreg", "Beijing Financial Regulatory Bureau", A, "xicheng", ("SUPERVISOR",)),
    (
        "hospital-pumch",
        "Peking Union Medical College Hospital",
        Kind.HOSPITAL,
        "dongcheng",
        ("BILL_ISSUER",),
    ),
    ("hospital-haidian", "Haidian Hospital", Kind.HOSPITAL, "haidian", ("BILL_ISSUER",)),
    (
        "insurer",
        "Beijing Medical Insurance Reimbursement Centre",
        Kind.INSURER,
        "beijing",
        ("REIMBURSER",),
    ),
    ("school", "Haidian Experimental School", Kind.SCHOOL, "haidian", ("BILL_ISSUER",)),
    ("charity", "Beijing Charity Association", Kind.CHARITY, "dongcheng", ("BILL_ISSUER",)),
    ("finance", "Beijing Municipal Finance Bureau", A, "beijing", ("FINANCE", "DEPARTMENT")),
    (
        "market-regulator",
        "Beijing Administration for Market Regulation",
        A,
        "beijing",
        ("MARKET_REGULATOR", "PERMIT_AGENCY", "DEPARTMENT"),
    ),
    ("registration", "Beijing Real Estate Registration Centre", A, "beijing", ("REGISTRAR",)),
    (
        "housing",
        "Beijing Housing and Urban-Rural Development Commission",
        A,
        "beijing",
        ("HOUSING", "PERMIT_AGENCY", "DEPARTMENT"),
    ),
    ("court", "Beijing No.1 Intermediate People's Court", Kind.COURT, "haidian", ("COURT",)),
    (
        "hr",
        "Beijing Human Resources and Social Security Bureau",
        A,
        "beijing",
        ("HR", "DEPARTMENT"),
    ),
    (
        "social-insurance",
        "Beijing Social Insurance Fund Management Centre",
        A,
        "beijing",
        ("DATA_PROVIDER", "CREDIT_AGENCY", "SOCIAL_INSURANCE"),
    ),
    (
        "sci-tech",
        "Beijing Municipal Science and Technology Commission",
        A,
        "beijing",
        ("REVIEWER", "DEPARTMENT"),
    ),
    (
        "haidian",
        "Haidian District Government Service Centre",
        A,
        "haidian",
        ("DISTRICT_OFFICE", "BUYER", "MARKET_REGULATOR"),
    ),
    ("xicheng", "Xicheng District Government Service Centre", A, "xicheng", ("DISTRICT_OFFICE",)),
    (
        "chaoyang",
        "Chaoyang District Government Service Centre",
        A,
        "chaoyang",
        ("DISTRICT_OFFICE",),
    ),
    ("shunyi", "Shunyi District Government Service Centre", A, "shunyi", ("DISTRICT_OFFICE",)),
    ("edz", "Beijing E-Town One-Stop Service Centre", A, "edz", ("DISTRICT_OFFICE",)),
    ("utility", "Beijing Waterworks and Power Services", Kind.UTILITY, "beijing", ("UTILITY",)),
    ("merchant", "Jinghua Electronics Export Co., Ltd.", E, "shunyi", ("MERCHANT",)),
    ("forwarder", "Capital Air Logistics Co., Ltd.", E, "shunyi", ("LOGISTICS",)),
    ("broker", "Jin-Jin-Ji Customs Brokerage Co., Ltd.", E, "tianjin-binhai", ("DECLARANT",)),
    ("sme", "Zhongguancun Smart Sensors Co., Ltd.", E, "haidian", ("SME",)),
    ("buyer", "Haidian District Government Procurement Centre", A, "haidian", ("BUYER",)),
    ("biotech", "Yizhuang Biomedical Co., Ltd.", E, "edz", ("ENTERPRISE", "SME")),
    ("retailer", "Xidan Fresh Foods Co., Ltd.", E, "xicheng", ("ENTERPRISE",)),
]

CAST: list[CastMember] = [
    CastMember(key, name, kind, district, roles, index)
    for index, (key, name, kind, district, roles) in enumerate(_MEMBERS)
]
BY_KEY: dict[str, CastMember] = {m.key: m for m in CAST}


def member(key: str) -> CastMember | Citizen | None:
    """A demo-cast member or demo citizen by key."""
    text = key.strip().lower()
    return BY_KEY.get(text) or CITIZEN_BY_KEY.get(text)


def member_key(address: str) -> str:
    """The cast key of the member with ``address`` (KeyError if none)."""
    for m in CAST:
        if m.address.lower() == str(address).lower():
            return m.key
    raise KeyError(address)


def bureau() -> CastMember:
    return CAST[0]


@dataclass(frozen=True)
class Citizen:
    """A demo citizen: not a participant, but a data subject who consents by signing with the key
    of their government app (here a PUBLIC development key). The ID number exists only off chain."""

    key: str
    name: str
    id_number: str
    dev_index: int

    @property
    def account(self) -> LocalAccount:
        return dev_account(self.dev_index)

    @property
    def address(self) -> str:
        return str(self.account.address)


#: Ports of the Jing-Jin-Ji single window on the local chain: code, region, terminal (cast key).
PORTS: list[tuple[str, str, str]] = [
    ("CNTXG", "tianjin", "terminal-tianjin"),  # Tianjin Xingang
    ("CNCFD", "hebei", "terminal-hebei"),  # Tangshan Caofeidian
]

CITIZENS: list[Citizen] = [
    Citizen("citizen-zhang", "Zhang Wei", "110108199003071234", 50),
    Citizen("citizen-li", "Li Na", "110102198511204321", 51),
    Citizen("citizen-wang", "Wang Fang", "110105199207155678", 52),
]
CITIZEN_BY_KEY: dict[str, Citizen] = {c.key: c for c in CITIZENS}


def local_account(name: str) -> LocalAccount | None:
    """A demo-cast member (``customs-beijing``), demo citizen or development key (``dev:3``) by
    name, or None. Only ever asked on the local chain (see ``govchain.client.local_resolver``)."""
    found = member(name)
    if found is not None:
        return found.account
    text = name.strip().lower()
    if text.startswith("dev:") and text[4:].isdigit():
        return dev_account(int(text[4:]))
    return None
