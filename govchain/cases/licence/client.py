"""What the licensing case adds to the generic client: a licence issued or amended as one step
(its certificate into the certificate store, then its record here), and the presentation of a
licence to a named counterparty (an expiring EIP-712 authorisation) that the counterparty checks
on chain, together with the certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from govchain.chain.tx import Sender
from govchain.chain.typeddata import sign_typed, typed_data
from govchain.errors import ContractRevert, InputError
from govchain.framework.casebase.client import CaseClient
from govchain.framework.certificates.documents import Draft
from govchain.framework.directory import parse_address

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

DOMAIN = "GovChain BusinessLicensing"
FIELDS = [("licence", "bytes32"), ("counterparty", "address"), ("expiry", "uint64")]


@dataclass(frozen=True)
class Presentation:
    """An enterprise's authorisation for one counterparty to rely on its licence, until expiry."""

    licence: bytes
    counterparty: str
    expiry: int
    signature: bytes
    chain_id: int
    contract: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "govchain/licence-presentation/v1",
            "licence": "0x" + self.licence.hex(),
            "counterparty": self.counterparty,
            "expiry": self.expiry,
            "signature": "0x" + self.signature.hex(),
            "chainId": self.chain_id,
            "contract": self.contract,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Presentation:
        try:
            if raw["type"] != "govchain/licence-presentation/v1":
                raise ValueError
            return cls(
                bytes.fromhex(str(raw["licence"])[2:]),
                parse_address(str(raw["counterparty"])),
                int(raw["expiry"]),
                bytes.fromhex(str(raw["signature"])[2:]),
                int(raw["chainId"]),
                parse_address(str(raw["contract"])),
            )
        except (KeyError, TypeError, ValueError, InputError):
            raise InputError(
                "That is not a licence presentation (licence present writes one)."
            ) from None


@dataclass(frozen=True)
class LicenceCheck:
    """What a counterparty learns: the authorisation holds and the licence is active (its
    version and certificate), and — given the certificate — that it is this licence's current
    one and valid in the certificate store."""

    ok: bool
    failures: tuple[str, ...]
    version: int
    certificate: bytes
    document: bool | None  # None: no certificate shown

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "failures": list(self.failures),
            "version": self.version,
            "certificate": "0x" + self.certificate.hex() if self.certificate else None,
            "certificateChecked": self.document,
        }


class LicensingClient(CaseClient):
    """Case 7's client: the generic verbs plus issue/amend with the certificate, presentation."""

    def issue_licence(
        self,
        regulator: Sender,
        credit_code: str,
        *,
        enterprise: str,
        channel: str,
        fields: dict[str, Any],
        valid_until: datetime | None = None,
    ) -> dict[str, Any]:
        """Issue the licence certificate and the licence record; returns the certificate (the
        wrapped document the enterprise keeps). Refused before anything is issued when the
        enterprise already holds a licence."""
        document, issue_root = self._certificate(regulator, credit_code, fields, valid_until)
        prepared = self.prepare("issue", regulator, credit_code, enterprise=enterprise,
                                channel=channel, certificate=document)  # fmt: skip
        regulator.estimate(prepared.tx)  # a second licence is refused here, before the store
        issue_root()
        self.send(regulator, prepared)
        return document

    def amend_licence(
        self,
        regulator: Sender,
        credit_code: str,
        *,
        channel: str,
        fields: dict[str, Any],
        previous: dict[str, Any] | None = None,
        valid_until: datetime | None = None,
    ) -> dict[str, Any]:
        """Issue the amended certificate, raise the licence's version, and revoke the previous
        certificate (when given) as superseded; returns the new certificate."""
        document, issue_root = self._certificate(regulator, credit_code, fields, valid_until)
        prepared = self.prepare("amend", regulator, credit_code, channel=channel,
                                certificate=document)  # fmt: skip
        regulator.estimate(prepared.tx)
        issue_root()
        self.send(regulator, prepared)
        if previous is not None:
            self.certificates.revoke(regulator, previous, "superseded")
        return document

    def present(
        self, holder: LocalAccount, credit_code: str, counterparty: str, *, valid_for: int = 3600
    ) -> Presentation:
        """The holder's signed authorisation for ``counterparty`` to rely on its licence for
        ``valid_for`` seconds (nothing is sent to the chain)."""
        if not 0 < valid_for <= 366 * 86400:
            raise InputError("A presentation lasts between one second and a year.")
        licence = self.resolve(credit_code, "licence")
        now = int(self.contract.chain.block("latest")["timestamp"], 16)  # what the check uses
        expiry = now + valid_for
        who = parse_address(counterparty)
        typed = typed_data(DOMAIN, self.contract.chain.chain_id, self.contract.address,
                           "Presentation", FIELDS,
                           {"licence": licence, "counterparty": who, "expiry": expiry})  # fmt: skip
        signature = sign_typed(holder, typed)
        return Presentation(licence, who, expiry, signature, self.contract.chain.chain_id,
                            self.contract.address)  # fmt: skip

    def check(
        self,
        presentation: Presentation,
        counterparty: str,
        document: dict[str, Any] | None = None,
    ) -> LicenceCheck:
        """Check a presentation as ``counterparty``: on chain, that it is unexpired, signed by
        the licence's holder for this counterparty, and that the licence is active; given the
        certificate, that it is the licence's current one and valid in the certificate store."""
        if (presentation.chain_id, presentation.contract) != (
            self.contract.chain.chain_id,
            self.contract.address,
        ):
            raise InputError("This presentation was made for another chain or contract.")
        failures: list[str] = []
        version, certificate = 0, b""
        try:
            found = self.contract.call(
                "checkPresentation",
                presentation.licence,
                parse_address(counterparty),
                presentation.expiry,
                presentation.signature,
            )
            version, certificate = int(found["version"]), bytes(found["certificate"])
        except ContractRevert as exc:
            failures.append(exc.message)
        checked: bool | None = None
        if document is not None:
            result = self.certificates.verify(document)
            target = str(document.get("signature", {}).get("targetHash", ""))
            current = bool(certificate) and target == certificate.hex()
            checked = result.valid and current
            if not result.valid:
                failures += [
                    f"certificate: {c.name}: {c.detail}" for c in result.checks if not c.ok
                ]
            if certificate and not current:
                failures.append("certificate: not this licence's current version (superseded)")
        return LicenceCheck(not failures, tuple(failures), int(version), certificate, checked)

    # -- internals -------------------------------------------------------------------------
    def _certificate(
        self,
        regulator: Sender,
        credit_code: str,
        fields: dict[str, Any],
        valid_until: datetime | None,
    ) -> tuple[dict[str, Any], Any]:
        """The licence certificate built and wrapped (not yet issued), and what issues it."""
        certs = self.certificates
        draft = Draft(dict(fields), holder=self.spec.primary.parse(credit_code),
                      valid_until=valid_until)  # fmt: skip
        ctype, datas = certs.build(regulator.address, "business_licence", [draft])
        documents, batches = certs.wrap(regulator.address, ctype, datas)
        return documents[0], lambda: certs.store.issue_root(regulator, batches[0], ctype)
