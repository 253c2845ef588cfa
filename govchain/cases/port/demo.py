"""Demo: a declaration filed with Beijing customs for goods at Tianjin's port (single window)."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.cases.port.client import PortClient
from govchain.cases.port.spec import REGIONS, region_name
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.client import ItemNotFound
from govchain.framework.casebase.spec import Walkthrough

Say = Callable[[str], None]

#: Ports of the single window on the local chain: code, region, terminal (cast key).
PORTS: list[tuple[str, str, str]] = [
    ("CNTXG", "tianjin", "terminal-tianjin"),  # Tianjin Xingang
    ("CNCFD", "hebei", "terminal-hebei"),  # Tangshan Caofeidian
]

FILING = {"port": "CNTXG", "region": "beijing", "goods": b"B/L COSU6182; invoice; packing list"}
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"0202202610{n:08d}",
    paths=(
        (
            ("submit", "broker", FILING),
            ("accept", "customs-beijing", {}),
            ("assess_duty", "customs-beijing", {"assessment": b"DUTY 8% on CIF"}),
            ("confirm_duty_paid", "tax", {"payment_ref": "PAY-2026-5531"}),
            ("release", "customs-beijing", {}),
            ("gate_out", "terminal-tianjin", {}),
        ),
        (("submit", "broker", FILING), ("reject", "customs-beijing", {"reason": "undervalued"})),
    ),
)


def setup(gc: GovChain, admin: Sender) -> list[str]:
    """The demo's ports of the single window, each with its terminal operator."""
    client = gc.case("port")
    assert isinstance(client, PortClient)
    done = []
    known = client.contract.read_many([("isRegion", (c,)) for c in REGIONS.values()])
    regions = [(n, c) for (n, c), k in zip(REGIONS.items(), known, strict=True) if not k]
    admin.send_many([client.register_region_tx(c) for _, c in regions])  # one batch, then ports
    done += [f"registered customs region {name}" for name, _ in regions]
    ports = []
    for code, region, terminal in PORTS:
        try:
            if client.port(code)["terminal"] == cast.BY_KEY[terminal].address:
                continue
        except ItemNotFound:
            pass
        ports.append((code, region, terminal))
    admin.send_many(
        [client.register_port_tx(c, REGIONS[r], cast.BY_KEY[t].address) for c, r, t in ports]
    )
    done += [f"registered port {code}" for code, _, _ in ports]
    return done


def run(gc: GovChain, say: Say) -> str:
    pc = gc.case("port")
    actor = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("broker", "customs-beijing", "tax", "terminal-tianjin", "terminal-hebei")
    }
    number = f"0101{time.strftime('%Y')}1{int(time.time() * 10) % 10**9:09d}"
    say(f"Port clearance: declaration {number}, filed in Beijing for goods at Tianjin Xingang.")
    pc.submit(actor["broker"], number, **FILING)
    say("  1. The customs broker submits it through the single window")
    try:
        pc.submit(actor["broker"], number, **FILING)
    except GovChainError as exc:
        say(f"     pressing the button twice is harmless: {exc.message}")
    pc.accept(actor["customs-beijing"], number)
    pc.assess_duty(actor["customs-beijing"], number, assessment=b"DUTY 8% on CIF")
    say("  2. Beijing customs accepts it and assesses the duty")
    pc.confirm_duty_paid(actor["tax"], number, payment_ref="PAYMENT 2026-5531")
    say("  3. The tax bureau confirms the duty paid")
    pc.release(actor["customs-beijing"], number)
    say("  4. Beijing customs releases the goods")
    try:
        pc.gate_out(actor["terminal-hebei"], number)
    except GovChainError as exc:
        say(f"  5. The Caofeidian terminal cannot gate them out: {exc.message}")
    pc.gate_out(actor["terminal-tianjin"], number)
    say("     the Tianjin terminal, where the goods are, sees the declaration and gates them out")
    d = pc.get(number)
    say(
        f"  6. Status {d.state.replace('_', ' ')} (filed in {region_name(d.region)}); "
        f"{len(pc.history(number))} events in the trail"
    )
    return number
