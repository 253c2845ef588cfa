"""Demo: a licence issued at a kiosk, amended on the web, presented to a bank and checked; an
expired and a foreign authorisation fail."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.cases.licence.client import LicenceCheck, LicensingClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.spec import Walkthrough
from govchain.framework.creditcode import make_credit_code

Say = Callable[[str], None]
CERT = "0x" + "c1" * 32
FIELDS = {
    "companyName": "Yizhuang Biomedical Co., Ltd.",
    "legalRepresentative": "Chen Jie",
    "registeredCapital": "50,000,000 yuan",
    "businessScope": "Research and manufacture of diagnostic reagents",
    "address": "Kechuang 6th Street, Beijing Economic-Technological Development Zone",
}
# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: make_credit_code(f"91110302MF{n % 10**7:07d}") + "/JY-1",
    paths=(
        (("issue", "market-regulator", {"enterprise": "@biotech", "channel": "kiosk",
                                        "certificate": CERT}),
         ("amend", "market-regulator", {"channel": "web", "certificate": "0x" + "c2" * 32}),
         ("grant", "market-regulator", {"permit_type": "food-business", "permit": b"PERMIT"}),
         ("withdraw", "market-regulator", {"reason": "issued-in-error"}),
         ("suspend", "market-regulator", {"reason": "audit"}),
         ("reinstate", "market-regulator", {}),
         ("revoke", "market-regulator", {"reason": "fraud"})),
        (("issue", "market-regulator", {"enterprise": "@retailer", "channel": "counter",
                                        "certificate": CERT}),
         ("cancel", "market-regulator", {"reason": "deregistered"})),
    ),
)
# fmt: on


def _verdict(check: LicenceCheck) -> str:
    return "VALID" if check.ok else "NOT VALID (" + "; ".join(check.failures) + ")"


def run(gc: GovChain, say: Say) -> str:
    licences = gc.case("licence")
    assert isinstance(licences, LicensingClient)
    regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
    holder, bank = cast.BY_KEY["biotech"], cast.BY_KEY["bank-icbc"]
    code = make_credit_code(f"91110302MG{int(time.time()) % 10**7:07d}")
    say(f"Business licensing: {holder.name} (credit code {code}).")
    first = licences.issue_licence(regulator, code, enterprise=holder.address, channel="kiosk",
                                   fields=FIELDS)  # fmt: skip
    say("  1. The market regulator issues it at a self-service kiosk (certificate and record)")
    try:
        licences.issue_licence(regulator, code, enterprise=holder.address, channel="mobile",
                               fields=FIELDS)  # fmt: skip
    except Exception as exc:
        say(
            f"  2. A second issuance from the mobile app is refused: {getattr(exc, 'message', exc)}"
        )
    amended = {**FIELDS, "registeredCapital": "80,000,000 yuan"}
    current = licences.amend_licence(regulator, code, channel="web", previous=first,
                                     fields=amended)  # fmt: skip
    say("  3. Amended on the web (capital raised): version 2, the first certificate superseded")
    shown = licences.present(holder.account, code, bank.address, valid_for=3600)
    check = licences.check(shown, bank.address, current)
    say(f"  4. The enterprise presents it to ICBC, which checks it: "
        f"{'VALID' if check.ok else 'NOT VALID'} (version {check.version})")  # fmt: skip
    old = licences.check(shown, bank.address, first)
    say(f"  5. Shown with the old certificate: {_verdict(old)}")
    foreign = licences.check(shown, cast.BY_KEY["bank-ccb"].address, current)
    say(f"  6. The same authorisation shown to CCB: {_verdict(foreign)}")
    brief = licences.present(holder.account, code, bank.address, valid_for=1)
    time.sleep(2)
    gc.chain.next_block()  # a block after the expiry: its time is what the check compares
    expired = licences.check(brief, bank.address)
    say(f"  7. An expired authorisation: {_verdict(expired)}")
    return code
