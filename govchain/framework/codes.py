"""Published catalogues of the codes that go on chain instead of free text.

A purpose, a reason (for a suspension, a rejection) or a scope goes on chain only as its number
in these catalogues (as a bytes32): a chain reader learns the category, which is public by
design, and nothing a clerk typed — no case number, no name. The SDK and the CLI accept the
names (``unemployment-claim``) and refuse anything else with the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from govchain.errors import InputError


@dataclass(frozen=True)
class Catalogue:
    """Codes of one kind: number -> (name, what it means)."""

    kind: str
    entries: dict[int, tuple[str, str]]

    def code(self, name: str | int) -> bytes:
        """The bytes32 that goes on chain for ``name`` (or its number)."""
        key = str(name).strip().lower().replace("_", "-").replace(" ", "-")
        for number, (entry, _) in self.entries.items():
            if key in (entry, str(number)):
                return number.to_bytes(32, "big")
        names = ", ".join(e for e, _ in self.entries.values())
        raise InputError(f"'{name}' is not a {self.kind} code (one of: {names}).")

    def name(self, code: bytes | int) -> str:
        """The name of an on-chain code ("code 42" for one outside the catalogue)."""
        number = int.from_bytes(code, "big") if isinstance(code, bytes) else int(code)
        found = self.entries.get(number)
        return found[0] if found else f"code {number}"


PURPOSES = Catalogue(
    "purpose",
    {
        1: ("unemployment-claim", "checking contributions for an unemployment benefit claim"),
        2: ("benefit-eligibility", "eligibility for a social benefit or subsidy"),
        3: ("kyc-reuse", "reusing another bank's identity check of an enterprise"),
        4: ("credit-assessment", "assessing an enterprise's credit for financing"),
        5: ("service-application", "an application for a government service"),
        6: ("licence-review", "reviewing a licence or permit application"),
        7: ("tax-audit", "a tax audit"),
        8: ("supervision", "supervision by a regulator"),
    },
)

REASONS = Catalogue(
    "reason",
    {
        1: ("audit", "under audit"),
        2: ("court-order", "ordered by a court"),
        3: ("fraud", "fraud found"),
        4: ("issued-in-error", "done in error"),
        5: ("incomplete", "documents incomplete"),
        6: ("missing-invoice", "an invoice is missing"),
        7: ("undervalued", "goods declared below their value"),
        8: ("misdeclared", "goods declared under a wrong description or code"),
        9: ("not-eligible", "the applicant is not eligible"),
        10: ("duplicate", "already filed"),
        11: ("withdrawn", "withdrawn by the applicant"),
        12: ("sanctions", "sanctions or a ban apply"),
        13: ("overdue", "a deadline passed"),
        14: ("nuisance", "nuisance to residents"),
        15: ("administrative", "an administrative decision"),
        16: ("no-legal-basis", "no legal basis for the request"),
        17: ("superseded", "replaced by a newer version"),
        18: ("deregistered", "the enterprise was deregistered"),
        19: ("re-employed", "the claimant found work again"),
    },
)

SCOPES = Catalogue(
    "scope",
    {
        1: ("last-12-months", "records of the last 12 months"),
        2: ("last-36-months", "records of the last 36 months"),
        3: ("current-status", "the current status only"),
        4: ("full-record", "the full record"),
        5: ("summary", "a summary without details"),
    },
)
