"""Demo: a declaration filed with Beijing customs for goods at Tianjin's port (single window)."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.cases.port import Filing
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError

Say = Callable[[str], None]


def run(gc: GovChain, say: Say) -> str:
    pc = gc.port
    actor = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("broker", "customs-beijing", "tax", "terminal-tianjin", "terminal-hebei")
    }
    number = f"0101{time.strftime('%Y')}1{int(time.time() * 10) % 10**9:09d}"
    filing = Filing(number, "CNTXG", "beijing", b"B/L COSU6182; invoice; packing list")
    say(f"Port clearance: declaration {number}, filed in Beijing for goods at Tianjin Xingang.")
    pc.submit(actor["broker"], filing)
    say("  1. The customs broker submits it through the single window")
    try:
        pc.submit(actor["broker"], filing)
    except GovChainError as exc:
        say(f"     pressing the button twice is harmless: {exc.message}")
    pc.accept(actor["customs-beijing"], number)
    pc.assess_duty(actor["customs-beijing"], number, b"DUTY 8% on CIF")
    say("  2. Beijing customs accepts it and assesses the duty")
    pc.confirm_duty_paid(actor["tax"], number, b"PAYMENT 2026-5531")
    say("  3. The tax bureau confirms the duty paid")
    pc.release(actor["customs-beijing"], number)
    say("  4. Beijing customs releases the goods")
    try:
        pc.gate_out(actor["terminal-hebei"], number)
    except GovChainError as exc:
        say(f"  5. The Caofeidian terminal cannot gate them out: {exc.message}")
    pc.gate_out(actor["terminal-tianjin"], number)
    say("     the Tianjin terminal, where the goods are, sees the declaration and gates them out")
    d = pc.declaration(number)
    say(f"  6. Status {d.status.name.lower()}; {len(pc.trail(number))} events in the trail")
    return number
