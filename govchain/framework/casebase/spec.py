"""A case as a short declarative spec.

A case contract inherits ``CaseBase`` (contracts/core/CaseBase.sol) and declares its transition
table there; its :class:`CaseSpec` says the same table in words — kinds of item and their states,
verbs with the role that may do them and the arguments they take, document types, queries, the
sentences of the contract's own errors. From the spec follow the SDK methods
(:class:`~govchain.framework.casebase.client.CaseClient`), the CLI verbs, error sentences,
deployment and the shared behaviour tests; a test checks that spec and contract agree.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from govchain.errors import InputError

Convert = Callable[[Any], Any]
#: No item yet: a verb allowed from here files a new item.
NEW = ""


def plain_reference(text: str) -> str:
    """A reference as typed, trimmed and upper-cased; refused when empty."""
    value = " ".join(str(text).split()).upper()
    if not value:
        raise InputError("Give a reference (a number or code).")
    return value


def words(name: str) -> str:
    """``duty_assessed`` -> ``duty assessed``."""
    return name.replace("_", " ")


@dataclass(frozen=True)
class Kind:
    """A kind of item: its states (on-chain value = position + 1) and how a clerk names one."""

    name: str
    code: int
    states: tuple[str, ...]
    label: str  # what names one for a clerk: "air waybill", "declaration number"
    parse: Callable[[str], str] = plain_reference  # canonical text; InputError if malformed
    parent: str | None = None  # its key is the id of an item of this kind (a shipment's refund)
    #: A public key function: the key anyone can compute from the canonical reference (a bill's
    #: series and number, which citizens verify without the platform secret). None: a keyed
    #: commitment (HMAC under the platform secret), so a number cannot be guessed from the chain.
    public_key: Callable[[str], bytes] | None = None
    #: One item per reference in the whole case, whoever files it (its contract's ``_scope``
    #: returns the contract's address for this kind): a licence per credit code, whichever
    #: terminal account issues it. By default ids are scoped to their filer.
    unique: bool = False

    def state_name(self, value: int) -> str:
        return self.states[value - 1] if 0 < value <= len(self.states) else "none"

    def state_value(self, name: str) -> int:
        key = name.strip().lower().replace(" ", "_").replace("-", "_")
        if key not in self.states:
            raise InputError(
                f"'{name}' is not a {self.name} state (one of: {', '.join(self.states)})."
            )
        return self.states.index(key) + 1


@dataclass(frozen=True)
class Param:
    """An argument of a verb's contract function between the item and its note."""

    name: str
    convert: Convert = str
    help: str = ""
    choices: tuple[str, ...] = ()  # offered as a choice on the command line
    address: bool = False  # a participant: the CLI also takes a name for it
    #: A personal identifier (a payer's ID number): only its keyed commitment goes on chain.
    secret: bool = False
    #: Taken from the item's canonical reference, never asked (a bill's series and number).
    derive: Callable[[str], Any] | None = None
    #: Names another item of this kind (an invoice's procurement contract): the SDK passes that
    #: item's id, resolved from its reference (or given as the id itself).
    item: str = ""
    #: Used when the argument is not given (None: the argument is required).
    default: Any = None


@dataclass(frozen=True)
class Note:
    """The bytes32 ``ref`` a transition carries: a document, a reason code or a secret reference."""

    name: str  # SDK keyword and CLI option (--assessment, --reason, --payment-ref)
    #: document: sealed in the document store, its salted commitment on chain; code: a reason
    #: from the catalogue; secret: a keyed commitment; public: keccak256 of a document its holder
    #: keeps and shows (a bill anyone verifies with the file in hand).
    kind: Literal["document", "code", "secret", "public"]
    document: str = ""  # for kind "document": the document type it anchors
    optional: bool = False
    help: str = ""


@dataclass(frozen=True)
class Verb:
    """One transition of the table (the contract's ``_rule(code)``) and how it is called."""

    name: str
    code: int
    kind: str
    function: str  # its contract function; "step" for a verb marked batch (CaseBase.step)
    frm: tuple[str, ...]  # states it is allowed from; NEW ("") files a new item
    to: str
    role: str
    help: str
    params: tuple[Param, ...] = ()
    note: Note | None = None
    party: bool = False  # the caller must also be a party of the item
    batch: bool = False  # takes only an item and a note: CaseBase.step / stepBatch
    fixed: Mapping[str, Any] = field(default_factory=dict)  # arguments this verb always passes
    method: str = ""  # SDK method name (default: the verb, with the kind unless primary)

    @property
    def files(self) -> bool:
        return NEW in self.frm


@dataclass(frozen=True)
class DocumentType:
    """A document type of the case: which kind of item it belongs to and who anchors it."""

    name: str
    code: int
    kind: str
    role: str
    party: bool = False


@dataclass(frozen=True)
class Query:
    """A list of items filtered by one attribute from the case's events (``port at CNTXG``)."""

    name: str
    attr: str
    param: Param
    help: str


@dataclass(frozen=True)
class Anchors:
    """The case anchors records at volume as Merkle batches (its contract inherits
    MerkleAnchors): a CLI group ``GROUP anchor|prove|verify`` and ``client.anchors``."""

    group: str  # "track"
    noun: str  # "tracking message"
    help: str = ""


@dataclass(frozen=True)
class CaseSpec:
    """Everything about a case that is not its contract's code."""

    name: str  # CLI group and SDK attribute: `govchain port …`, `gc.port`
    number: int  # its number in cases.md (0 for examples)
    title: str
    contract: str
    kinds: tuple[Kind, ...]
    verbs: tuple[Verb, ...]
    documents: tuple[DocumentType, ...] = ()
    queries: tuple[Query, ...] = ()
    #: Roles that may read every document of the case (authorities, regulators).
    readers: tuple[str, ...] = ()
    #: Fields of the contract's ``details(id)`` view and how to read them (empty: no such view).
    details: Mapping[str, Convert] = field(default_factory=dict)
    #: How a value is shown to people, by field or error-argument name.
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    #: Sentences of the contract's own errors ({param} placeholders), by error name.
    sentences: Mapping[str, str] = field(default_factory=dict)
    #: Records anchored at volume as Merkle batches, if the case has them.
    anchors: Anchors | None = None
    #: Platform contracts the case contract's constructor takes after the directory, by name
    #: (("DataSharing",): a case acting under data-sharing grants, see ConsentGated.sol).
    links: tuple[str, ...] = ()
    #: Plug-in points, as "module:attribute" (imported only when used).
    client: str = ""  # a CaseClient subclass with the case's own methods
    cli: str = ""  # a function(group) adding the case's own commands
    demo: str = ""  # a function(gc, say) running the demo scenario
    demo_setup: str = ""  # a function(gc, admin) -> list[str] preparing the demo chain
    walkthrough: str = ""  # the demo's happy paths, for the shared behaviour tests
    summary: str = ""  # one line for `govchain cases`

    def __post_init__(self) -> None:
        kinds = {k.name for k in self.kinds}
        for v in self.verbs:
            kind = self.kind(v.kind)
            for state in (*v.frm, v.to):
                if state != NEW:
                    kind.state_value(state)
        for d in self.documents:
            if d.kind not in kinds:
                raise ValueError(f"{self.name}: document {d.name} names unknown kind {d.kind}")

    # -- look-ups ----------------------------------------------------------------------------
    @property
    def primary(self) -> Kind:
        return self.kinds[0]

    def kind(self, name: str | int) -> Kind:
        for k in self.kinds:
            if name in (k.name, k.code):
                return k
        raise InputError(f"{self.name} has no kind of item '{name}'.")

    def verb(self, name: str | int) -> Verb:
        for v in self.verbs:  # SDK method names first ("request_refund"), then verb names
            if name in (v.code, self.method_of(v)):
                return v
        for v in self.verbs:
            if name == v.name:
                return v
        raise InputError(
            f"{self.name} has no step '{name}' (one of: {', '.join(self.verb_names)})."
        )

    @property
    def verb_names(self) -> list[str]:
        return [self.method_of(v) for v in self.verbs]

    def method_of(self, verb: Verb) -> str:
        if verb.method:
            return verb.method
        return verb.name if verb.kind == self.primary.name else f"{verb.name}_{verb.kind}"

    def document(self, name: str | int) -> DocumentType:
        key = name.strip().lower().replace("-", "_") if isinstance(name, str) else name
        for d in self.documents:
            if key in (d.name, d.code):
                return d
        names = ", ".join(d.name for d in self.documents)
        raise InputError(f"'{name}' is not a {self.name} document type (one of: {names}).")

    def query(self, name: str) -> Query:
        for q in self.queries:
            if q.name == name:
                return q
        raise InputError(f"{self.name} has no query '{name}'.")

    @property
    def roles(self) -> list[str]:
        """Every role the case's table names, in order of first use."""
        seen = [v.role for v in self.verbs] + [d.role for d in self.documents] + list(self.readers)
        return list(dict.fromkeys(seen))

    def show(self, name: str, value: Any) -> str:
        """``value`` of field ``name`` as people read it."""
        fmt = self.formats.get(name)
        if fmt is not None:
            return fmt(value)
        if isinstance(value, bytes):
            return "0x" + value.hex()
        return str(value)

    @property
    def errors(self) -> ErrorCatalog:
        """The exception classes of the contract's own errors: ``CASE.errors.WrongRegion``
        (made when the case registers)."""
        found: ErrorCatalog | None = self.__dict__.get("_errors")
        if found is None:
            raise LookupError(f"Case {self.name} is not registered yet.")
        return found


class ErrorCatalog:
    """The exception classes of one case's own errors, by Solidity error name."""

    def __init__(self, classes: Mapping[str, type[Any]]) -> None:
        self._classes = dict(classes)

    def __getattr__(self, name: str) -> type[Any]:
        try:
            return self._classes[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Any:
        return iter(self._classes.values())


#: One step of a walkthrough: (SDK method of the verb, demo-cast key of who does it, arguments).
Step = tuple[str, str, Mapping[str, Any]]


@dataclass(frozen=True)
class Walkthrough:
    """The demo's happy paths through a case, each on one fresh item: what the demo and the
    shared behaviour tests walk (every verb of the spec appears in some path)."""

    reference: Callable[[int], str]  # a fresh, valid reference of the primary kind, by number
    paths: tuple[tuple[Step, ...], ...]
    #: What must happen outside the case before a step can be done, by SDK method: a function
    #: (client, actor by cast key, reference) -> extra arguments of the step (a bank relying on
    #: a KYC attestation needs a live data-sharing grant first; it returns {"consent": N}).
    before: Mapping[str, Callable[..., Mapping[str, Any]]] = field(default_factory=dict)

    def arguments(
        self, client: Any, actor: Callable[[str], Any], step: Step, reference: str
    ) -> dict[str, Any]:
        """A step's arguments, with what its ``before`` hook prepared (a hook with a ``step``
        parameter also gets the step's own arguments: which service an application is for)."""
        hook = self.before.get(step[0])
        extra: dict[str, Any] = {}
        if hook is not None:
            wants_step = "step" in inspect.signature(hook).parameters
            extra = dict(
                hook(client, actor, reference, step=dict(step[2]))
                if wants_step
                else hook(client, actor, reference)
            )
        return {**dict(step[2]), **extra}
