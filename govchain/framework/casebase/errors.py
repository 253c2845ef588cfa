"""The errors every case contract shares (from CaseBase and MerkleAnchors), in each case's own
words, and the exception classes of a case's own errors, made from its spec's sentences.

The shared errors are one class each for all cases (``except WrongState``); their sentences name
the case's kinds, states and verbs, found through the registry from the contract that was called.
A case's own errors are registered under its contract, so two cases may use the same error name.
"""

from __future__ import annotations

from typing import Any

from govchain.errors import ContractRevert, revert_class, revert_error
from govchain.framework.casebase.spec import CaseSpec, Kind, Verb, words


class CaseRevert(ContractRevert):
    """A case contract refused a call (base of the shared and the case-specific errors)."""


#: Contract name -> its case (filled by :func:`case_errors` when a case registers).
_BY_CONTRACT: dict[str, CaseSpec] = {}


def _case(context: str) -> tuple[CaseSpec | None, Verb | None]:
    contract, _, function = context.partition(".")
    spec = _BY_CONTRACT.get(contract)
    if spec is None:
        return None, None
    verb = next((v for v in spec.verbs if v.function == function), None)
    return spec, verb


def _kind(spec: CaseSpec | None, verb: Verb | None) -> Kind | None:
    if spec is None:
        return None
    return spec.kind(verb.kind) if verb else spec.primary


@revert_error("UnknownItem", "There is no such {item} (id {id}).")
class UnknownItem(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        kind = _kind(*_case(context))
        return {"item": kind.name if kind else "item"}


@revert_error("ItemExists", "{already} {item}: the same {label} is not filed twice.")
class ItemExists(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        kind = _kind(*_case(context))
        if kind is None:
            return {"already": "You already filed this", "item": "item", "label": "id"}
        already = "There is already a" if kind.unique else "You already filed this"
        return {"already": already, "item": kind.name, "label": kind.label}


@revert_error("WrongKind", "That id is {actual}, not {wanted}.")
class WrongKind(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        spec, verb = _case(context)
        if spec is None:
            return {
                "actual": f"an item of kind {args.get('kind')}",
                "wanted": "what this step needs",
            }
        actual = next((k.name for k in spec.kinds if k.code == args.get("kind")), "another kind")
        wanted = spec.kind(verb.kind).name if verb else "what this step needs"
        return {"actual": f"a {actual}", "wanted": f"a {wanted}"}


@revert_error(
    "WrongState",
    "That step ({verb}) is not possible now: the {item} is {state}; it must be {allowed}.",
)
class WrongState(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        spec, _ = _case(context)
        if spec is None:
            return {"item": "item", "allowed": "in another state"}
        verb = spec.verb(int(args["verb"]))
        kind = spec.kind(verb.kind)
        allowed = [words(s) for s in verb.frm if s] or ["new"]
        return {
            "verb": words(spec.method_of(verb)),
            "item": kind.name,
            "state": words(kind.state_name(int(args["state"]))),
            "allowed": " or ".join(allowed),
        }


@revert_error("NotParty", "{account} is not a party of this {item} that may do that.")
class NotParty(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        kind = _kind(*_case(context))
        return {"item": kind.name if kind else "item"}


@revert_error(
    "NotGeneric", "Step {verb} takes more than an item and a note: it has its own function."
)
class NotGeneric(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        spec, _ = _case(context)
        if spec is None:
            return {}
        try:
            return {"verb": spec.method_of(spec.verb(int(args["verb"])))}
        except Exception:  # an unknown verb number: keep the number
            return {}


@revert_error("BadBatch", "A batch holds at most 200 items, one ref per item ({size} given).")
class BadBatch(CaseRevert):
    pass


@revert_error("UnknownVerb", "This case has no step number {verb}.")
class UnknownVerb(CaseRevert):
    pass


@revert_error("UnknownDocumentType", "Document type {docType} is not one of this case's.")
class UnknownDocumentType(CaseRevert):
    pass


@revert_error("EmptyHash", "A reference or document hash is missing.")
class EmptyHash(CaseRevert):
    pass


@revert_error("EmptyBatch", "A batch needs a root and at least one record.")
class EmptyBatch(CaseRevert):
    pass


@revert_error("UnknownBatch", "There is no batch #{batchId}.")
class UnknownBatch(CaseRevert):
    pass


def _case_title(context: str) -> dict[str, str]:
    spec, _ = _case(context)
    return {"case": f"The {spec.name} case" if spec else "This case"}


@revert_error(
    "EnforcedPause",
    "{case} is paused by its guardians or the governance committee: nothing can be filed, "
    "moved or anchored until the committee unpauses it.",
)
class CasePaused(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        return _case_title(context)


@revert_error("ExpectedPause", "{case} is not paused.")
class CaseNotPaused(CaseRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        return _case_title(context)


# -- ConsentGated: a case acting under a data-sharing grant ------------------------------------


@revert_error("UnknownGrant", "There is no data-sharing request #{requestId}.")
class UnknownGrant(CaseRevert):
    pass


@revert_error(
    "GrantNotFor",
    "Consent #{requestId} does not allow this: it must be the caller's own grant, given by the "
    "data subject, for this item of its owner.",
)
class GrantNotFor(CaseRevert):
    pass


@revert_error("SharingRequired", "The case was deployed without the data-sharing contract.")
class SharingRequired(CaseRevert):
    pass


def case_errors(spec: CaseSpec) -> dict[str, type[CaseRevert]]:
    """One exception class per sentence of ``spec``, registered under its contract; the shared
    errors speak of its kinds, states and verbs from now on."""
    _BY_CONTRACT[spec.contract] = spec
    out: dict[str, type[CaseRevert]] = {}
    for name, sentence in spec.sentences.items():
        existing = revert_class(spec.contract, name)
        if existing is not None and getattr(existing, "case", None) == spec.name:
            out[name] = existing  # type: ignore[assignment]
            continue
        cls = type(name, (CaseRevert,), {"case": spec.name, "readable_args": _formatter(spec)})
        out[name] = revert_error(name, sentence, contract=spec.contract)(cls)
    return out


def _formatter(spec: CaseSpec) -> staticmethod[[dict[str, Any], str], dict[str, str]]:
    def readable(args: dict[str, Any], context: str) -> dict[str, str]:
        return {k: spec.formats[k](v) for k, v in args.items() if k in spec.formats}

    return staticmethod(readable)
