"""OpenAttestation v2 documents in pure Python, byte-compatible with @govtechsg/open-attestation.

An OpenAttestation (OA) v2 *wrapped document* is the raw certificate data with every leaf value
salted, plus a signature block that commits to it::

    {
      "version": "https://schema.openattestation.com/2.0/schema.json",
      "data": {"name": "<uuid4>:string:Zhang San", "age": "<uuid4>:number:30", ...},
      "signature": {"type": "SHA3MerkleProof", "targetHash": "...", "proof": [...],
                    "merkleRoot": "..."},
      "privacy": {"obfuscatedData": ["<leaf hash>", ...]}      # only once something was hidden
    }

How the hashes are computed (exactly as the JavaScript reference does it):

* **Salting** turns each leaf value into ``"<uuid4>:<type>:<value>"`` where ``type`` is the JS
  ``typeof`` (``string``, ``number``, ``boolean``; ``null`` for null) and ``value`` is JS
  ``String(value)`` (so numbers print as JavaScript prints them: ``1e+21``, ``1.5e-7``).
* **Flattening** walks the salted data into ``{"a.0.b": leaf}`` pairs like the ``flatley`` package
  (array indices are path segments, empty objects and arrays are leaves themselves, a key holding
  a ``.`` is an error, and an empty key at the top of the path is dropped from the path).
* **Leaf hash**: ``keccak256(JSON.stringify({path: leaf}))`` as lowercase hex without ``0x``,
  computed over the UTF-8 bytes of the JSON text that JavaScript's ``JSON.stringify`` produces
  (non-ASCII kept as is, control characters and lone surrogates escaped as ``\\u00xx``).
* **targetHash**: the leaf hashes plus ``privacy.obfuscatedData``, sorted, as a JSON array, hashed.
* **Merkle tree** (batch wrapping): target hashes as 32-byte buffers sorted bytewise; each parent is
  ``keccak256(sorted(left, right) concatenated)``, an odd last node moves up unchanged. A
  document's ``proof`` lists the sibling hashes from leaf to root; ``merkleRoot`` is shared.

Selective disclosure (:func:`obfuscate`) removes fields and moves their leaf hashes into
``privacy.obfuscatedData``, so the targetHash, and therefore the issuer's signature or on-chain
record of the merkle root, stays valid.

Deliberate differences from the JavaScript library, each one avoiding a silently wrong document:

* :func:`wrap_document` does not validate the OA v2 JSON schema (``issuers`` etc.); it wraps any
  JSON object. It does refuse integers that a JavaScript number cannot hold exactly and data in
  which two fields flatten to the same path (possible only through an empty top-level key), where
  the reference would leave one of the two fields without any hash protecting it.
* :func:`get_data` keeps trailing whitespace of string values; the reference trims it away.
* :func:`obfuscate` refuses any request whose result would not verify (see its docstring); the
  reference produces such documents silently.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeAlias

from govchain.errors import InputError
from govchain.files import write_atomic
from govchain.framework import merkle as _merkle
from govchain.framework.merkle import MerkleTree as _Tree
from govchain.hashing import keccak_many
from govchain.inputs import check_json_depth, read_bytes

#: A certificate is a few kilobytes; anything this big is not one.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024

__all__ = [
    "PROOF_TYPE",
    "SCHEMA_V2",
    "DocumentFormatError",
    "MerkleTree",
    "ObfuscationError",
    "Signature",
    "digest_document",
    "field_paths",
    "get_data",
    "load_document",
    "merkle_proof_valid",
    "merkle_root",
    "obfuscate",
    "read_signature",
    "save_document",
    "target_hash",
    "verify_integrity",
    "wrap_document",
    "wrap_documents",
]

SCHEMA_V2: Final = "https://schema.openattestation.com/2.0/schema.json"
PROOF_TYPE: Final = "SHA3MerkleProof"

Document: TypeAlias = dict[str, Any]
"""A wrapped OA v2 document as parsed from JSON."""

_HASH_RE: Final = re.compile(r"[0-9a-fA-F]{64}")
_UUID4_RE: Final = re.compile(
    r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", re.IGNORECASE | re.ASCII
)
_INDEX_RE: Final = re.compile(r"0|[1-9][0-9]*", re.ASCII)
_LONE_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
#: Characters JavaScript's String.prototype.trim removes (WhiteSpace and LineTerminator).
_JS_WHITESPACE: Final = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_MAX_SAFE_INTEGER: Final = 2**53 - 1
#: The C-accelerated JSON string encoder that leaves non-ASCII alone, like JSON.stringify.
_json_string: Callable[[str], str] = json.encoder.encode_basestring


class DocumentFormatError(InputError):
    """A document or its data is not well-formed OpenAttestation v2 (or not JSON at all)."""


class ObfuscationError(InputError):
    """A field cannot be hidden: it does not exist, or hiding it would break verification."""


# --------------------------------------------------------------------------------------------
# keccak256


def _keccak_hex_many(texts: Sequence[str]) -> list[str]:
    """``keccak256(text)`` as lowercase hex (js-sha3 hashes a string's UTF-8 bytes)."""
    return [h.hex() for h in keccak_many([_json_utf8(text) for text in texts])]


# --------------------------------------------------------------------------------------------
# JavaScript value semantics


def _json_utf8(text: str) -> bytes:
    """UTF-8 bytes of JSON ``text`` as JavaScript would hash them.

    Python keeps lone surrogates in strings where ``JSON.stringify`` writes them as ``\\udxxx``
    escapes, and Python may hold a surrogate *pair* as two code points where JavaScript sees one
    character. Only called on JSON text, where every surrogate sits inside a string literal.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        escaped = _LONE_SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", joined)
        return escaped.encode("utf-8")


def _js_number(value: float) -> str:
    """JavaScript ``String(value)`` for a number (ECMAScript Number::toString, radix 10).

    Python's ``repr`` and JavaScript both print the shortest digit string that reads back as the
    same double; only the layout differs (where exponents start, ``e-07`` against ``e-7``).
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + _js_number(-value)
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    significant = digits.lstrip("0")
    point -= len(digits) - len(significant)
    digits = significant.rstrip("0")
    k, n = len(digits), point  # value = 0.<digits> * 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    head = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{head}e{'+' if e >= 0 else '-'}{abs(e)}"


def _js_int(value: int, path: str) -> str:
    """``String(value)`` for a Python int, refusing ints a JavaScript number would round."""
    if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
        return str(value)
    try:
        as_float = float(value)
    except OverflowError:
        as_float = math.inf
    if math.isinf(as_float) or int(as_float) != value:
        raise DocumentFormatError(
            f"The integer at '{path}' ({value}) cannot be held exactly by a JavaScript number; "
            "store it as a string."
        )
    return _js_number(as_float)


def _json_leaf(value: Any, path: str) -> str:
    """``JSON.stringify`` of one flattened leaf value (a salted string in well-formed documents)."""
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        # What JSON.parse then JSON.stringify make of the literal: the nearest double.
        try:
            value = float(value)
        except OverflowError:
            return "null"
    if isinstance(value, float):
        return _js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, dict | list) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    raise DocumentFormatError(
        f"The value at '{path}' is a {type(value).__name__}, which is not a JSON value."
    )


def _js_sorted(strings: Iterable[str]) -> list[str]:
    """Sort like lodash ``sortBy`` on strings: by UTF-16 code units, not code points."""
    items = list(strings)
    if all(s.isascii() for s in items):
        return sorted(items)
    return sorted(items, key=lambda s: s.encode("utf-16-be", "surrogatepass"))


# --------------------------------------------------------------------------------------------
# Salting


def _uuid4_stream() -> Iterator[str]:
    """Random UUID v4 strings, drawn from the OS CSPRNG a few kilobytes at a time."""
    while True:
        block = os.urandom(16 * 1024).hex()
        for i in range(0, len(block), 32):
            h = block[i : i + 32]
            variant = "89ab"[int(h[16], 16) & 3]
            yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def _child_path(prefix: str | None, key: str) -> str:
    """The flatley path of ``key`` under ``prefix``; an empty prefix is dropped, as JS does."""
    return f"{prefix}.{key}" if prefix else key


def _check_key(key: object, prefix: str | None) -> str:
    if not isinstance(key, str):
        where = f"under '{prefix}'" if prefix else "at the top level"
        raise DocumentFormatError(f"The field name {key!r} {where} is not a string.")
    if "." in key:
        raise DocumentFormatError(
            f"The field name {key!r} at '{_child_path(prefix, key)}' contains '.', "
            "which OpenAttestation does not allow."
        )
    return key


def _salt(value: Any, path: str, salts: Iterator[str], leaves: list[tuple[str, str]]) -> Any:
    """Salt ``value`` (the field at ``path``) and record its flattened leaves in ``leaves``."""
    if isinstance(value, str):
        salted = f"{next(salts)}:string:{value}"
    elif isinstance(value, dict):
        if not value:
            leaves.append((path, "{}"))
            return {}
        return {
            key: _salt(item, _child_path(path, _check_key(key, path)), salts, leaves)
            for key, item in value.items()
        }
    elif isinstance(value, list):
        if not value:
            leaves.append((path, "[]"))
            return []
        return [
            _salt(item, _child_path(path, str(i)), salts, leaves) for i, item in enumerate(value)
        ]
    elif value is None:
        salted = f"{next(salts)}:null:null"
    elif value is True or value is False:
        salted = f"{next(salts)}:boolean:{'true' if value else 'false'}"
    elif isinstance(value, int):
        salted = f"{next(salts)}:number:{_js_int(value, path)}"
    elif isinstance(value, float):
        salted = f"{next(salts)}:number:{_js_number(value)}"
    else:
        raise DocumentFormatError(
            f"The value at '{path}' is a {type(value).__name__}, which is not a JSON value."
        )
    leaves.append((path, _json_string(salted)))
    return salted


def _salt_data(data: Mapping[str, Any], salts: Iterator[str]) -> tuple[dict[str, Any], list[str]]:
    """Salted copy of ``data`` and the JSON texts of its leaves (``{"path":"salted"}``)."""
    if not isinstance(data, Mapping):
        raise DocumentFormatError(
            f"Document data must be a JSON object, not a {type(data).__name__}."
        )
    leaves: list[tuple[str, str]] = []
    salted = {
        key: _salt(value, _check_key(key, None), salts, leaves) for key, value in data.items()
    }
    _check_unique_paths(data, [path for path, _ in leaves])
    return salted, [f"{{{_json_string(path)}:{leaf}}}" for path, leaf in leaves]


# --------------------------------------------------------------------------------------------
# Flattening and digests


def _flatten(value: Any, path: str | None, out: list[tuple[str, Any]]) -> None:
    """Flatten ``value`` found at ``path`` like flatley: non-empty containers are walked."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, _child_path(path, _check_key(key, path)), out)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            _flatten(item, _child_path(path, str(i)), out)
    else:
        out.append((path or "", value))


def _flatten_data(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        _flatten(value, _check_key(key, None), out)
    _check_unique_paths(data, [path for path, _ in out])
    return out


def _check_unique_paths(data: Mapping[str, Any], paths: list[str]) -> None:
    """Refuse data where two fields flatten to one path (JS would hash only one of them).

    Paths are unique unless an empty key at the top level holds a container: flatley drops the
    empty prefix, so ``{"": {"a": 1}, "a": 2}`` yields the path ``a`` twice.
    """
    if "" not in data or len(set(paths)) == len(paths):
        return
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise DocumentFormatError(
                f"Two fields of the document flatten to the same path '{path}' (through the "
                "empty field name at the top level), so one of them would not be protected."
            )
        seen.add(path)


def _leaf_texts(leaves: Iterable[tuple[str, Any]]) -> list[str]:
    return [f"{{{_json_string(path)}:{_json_leaf(value, path)}}}" for path, value in leaves]


def _digest_text(hashes: Iterable[str]) -> str:
    """``JSON.stringify(sortBy(hashes))``, the text whose keccak256 is the targetHash."""
    return "[" + ",".join(_json_string(h) for h in _js_sorted(hashes)) + "]"


def _digest_hashes(hashes: Iterable[str]) -> str:
    """The targetHash over leaf hashes and obfuscated hashes."""
    return _keccak_hex_many([_digest_text(hashes)])[0]


# --------------------------------------------------------------------------------------------
# Merkle tree


def _hash_bytes(value: object, where: str) -> bytes:
    if not isinstance(value, str) or not _HASH_RE.fullmatch(value):
        raise DocumentFormatError(
            f"{where} must be a 32-byte hash written as 64 hex digits without 0x, got {value!r}."
        )
    return bytes.fromhex(value)


class MerkleTree:
    """The OA merkle tree over a batch of target hashes (the JS ``MerkleTree`` class), with hex
    target hashes (no 0x) in and out; the tree itself is :class:`govchain.merkle.MerkleTree`."""

    def __init__(self, target_hashes: Sequence[str]) -> None:
        if not target_hashes:
            raise InputError("A merkle tree needs at least one target hash.")
        self._tree = _Tree([_hash_bytes(h, "A target hash") for h in target_hashes])

    @property
    def root(self) -> str:
        """The merkle root as lowercase hex without 0x."""
        return self._tree.root.hex()

    def proof(self, target_hash: str) -> list[str]:
        """The sibling hashes leading from ``target_hash`` to the root, leaf first."""
        leaf = _hash_bytes(target_hash, "The target hash")
        try:
            return [step.hex() for step in self._tree.proof(leaf)]
        except InputError:
            raise InputError(
                f"The target hash {target_hash} is not a leaf of this merkle tree."
            ) from None


def merkle_proof_valid(target_hash: str, proof: Sequence[str], root: str) -> bool:
    """Whether folding ``proof`` into ``target_hash`` (sorted-pair keccak256) yields ``root``.

    Raises :class:`DocumentFormatError` when a hash is not 64 hex digits.
    """
    node = _hash_bytes(target_hash, "The target hash")
    expected = _hash_bytes(root, "The merkle root")
    if isinstance(proof, str) or not isinstance(proof, Sequence):
        raise DocumentFormatError("The merkle proof must be a list of hashes.")
    siblings = [_hash_bytes(step, f"Merkle proof entry {i}") for i, step in enumerate(proof)]
    return _merkle.verify(node, siblings, expected)


# --------------------------------------------------------------------------------------------
# Document structure


@dataclass(frozen=True)
class Signature:
    """The ``signature`` block of a wrapped v2 document (hashes are hex without 0x)."""

    target_hash: str
    merkle_root: str
    proof: tuple[str, ...] = ()
    type: str = PROOF_TYPE

    def to_json(self) -> dict[str, Any]:
        """The block as it appears in the document."""
        return {
            "type": self.type,
            "targetHash": self.target_hash,
            "proof": list(self.proof),
            "merkleRoot": self.merkle_root,
        }


@dataclass(frozen=True)
class _Parsed:
    data: dict[str, Any]
    signature: Signature
    obfuscated: list[str]


def _parse(document: object) -> _Parsed:
    """Check the structure of a wrapped v2 document, with one sentence per problem."""
    if not isinstance(document, Mapping):
        raise DocumentFormatError(
            f"An OpenAttestation document must be a JSON object, not {_json_kind(document)}."
        )
    version = document.get("version")
    if version != SCHEMA_V2:
        raise DocumentFormatError(
            f"This is not an OpenAttestation v2 document: its version is {version!r}, "
            f"expected {SCHEMA_V2!r}."
        )
    data = document.get("data")
    if not isinstance(data, dict):
        raise DocumentFormatError(
            f"The document's 'data' must be a JSON object, not {_json_kind(data)}."
        )
    sig = document.get("signature")
    if not isinstance(sig, dict):
        raise DocumentFormatError("The document has no 'signature' object, so it is not wrapped.")
    if sig.get("type") != PROOF_TYPE:
        raise DocumentFormatError(
            f"The signature type is {sig.get('type')!r}; only {PROOF_TYPE!r} is supported."
        )
    target = sig.get("targetHash")
    root = sig.get("merkleRoot")
    proof = sig.get("proof")
    _hash_bytes(target, "signature.targetHash")
    _hash_bytes(root, "signature.merkleRoot")
    if not isinstance(proof, list):
        raise DocumentFormatError(
            f"signature.proof must be a list of hashes, not {_json_kind(proof)}."
        )
    for i, step in enumerate(proof):
        _hash_bytes(step, f"signature.proof[{i}]")
    privacy = document.get("privacy", {})
    if not isinstance(privacy, dict):
        raise DocumentFormatError(
            f"The document's 'privacy' must be a JSON object, not {_json_kind(privacy)}."
        )
    obfuscated = privacy.get("obfuscatedData", [])
    if not isinstance(obfuscated, list) or not all(isinstance(h, str) for h in obfuscated):
        raise DocumentFormatError("privacy.obfuscatedData must be a list of hash strings.")
    signature = Signature(str(target), str(root), tuple(proof), PROOF_TYPE)
    return _Parsed(data, signature, list(obfuscated))


def _json_kind(value: object) -> str:
    if value is None:
        return "null (or missing)"
    names = {bool: "a boolean", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "not JSON")


# --------------------------------------------------------------------------------------------
# Public API


def wrap_document(data: Mapping[str, Any]) -> Document:
    """Salt ``data`` and wrap it as a single OA v2 document (its merkle root is its targetHash).

    ``data`` is any JSON object (the OA schema is not enforced). Raises
    :class:`DocumentFormatError` for keys containing ``.``, non-JSON values and integers beyond
    what a JavaScript number holds exactly.
    """
    return wrap_documents([data])[0]


def wrap_documents(datas: Sequence[Mapping[str, Any]], bind: str | None = None) -> list[Document]:
    """Wrap a batch: every document gets its own targetHash and proof, and the shared merkleRoot.

    The result matches JavaScript's ``wrapDocuments`` for the same salts. With ``bind`` (a hex
    hash: GovChain's binding leaf of the issuer and type), the merkleRoot is the sorted-pair hash
    of the documents' tree root and ``bind``, and every proof ends with ``bind`` — still an
    ordinary OpenAttestation proof. An empty batch gives an empty list.
    """
    return wrap_batch(datas, bind)[0]


def wrap_batch(
    datas: Sequence[Mapping[str, Any]], bind: str | None = None
) -> tuple[list[Document], str]:
    """:func:`wrap_documents`, also returning the documents' tree root (before ``bind``)."""
    salts = _uuid4_stream()
    salted: list[dict[str, Any]] = []
    leaf_texts: list[str] = []
    bounds: list[int] = [0]
    for number, data in enumerate(datas):
        try:
            salted_data, texts = _salt_data(data, salts)
        except DocumentFormatError as exc:
            if len(datas) == 1:
                raise
            raise DocumentFormatError(f"Document {number + 1} of the batch: {exc}") from None
        salted.append(salted_data)
        leaf_texts.extend(texts)
        bounds.append(len(leaf_texts))
    leaf_hashes = _keccak_hex_many(leaf_texts)
    targets = _keccak_hex_many(
        [_digest_text(leaf_hashes[a:b]) for a, b in itertools.pairwise(bounds)]
    )
    if not targets:
        return [], ""
    tree = MerkleTree(targets)
    root = tree.root
    top: tuple[str, ...] = ()
    if bind is not None:
        top = (bind.removeprefix("0x"),)
        root = pair_hash(tree.root, top[0])
    documents: list[Document] = [
        {
            "version": SCHEMA_V2,
            "data": data,
            "signature": Signature(target, root, (*tree.proof(target), *top)).to_json(),
        }
        for data, target in zip(salted, targets, strict=True)
    ]
    return documents, tree.root


def pair_hash(left: str, right: str) -> str:
    """The sorted-pair keccak256 of two hex hashes, as OpenAttestation's trees hash siblings."""
    a, b = sorted((_hash_bytes(left, "A hash"), _hash_bytes(right, "A hash")))
    return keccak_many([a + b])[0].hex()


def read_signature(document: Mapping[str, Any]) -> Signature:
    """The checked signature block of a wrapped v2 document."""
    return _parse(document).signature


def target_hash(document: Mapping[str, Any]) -> str:
    """The targetHash the document claims (``signature.targetHash``).

    :func:`digest_document` recomputes it from the data instead.
    """
    return _parse(document).signature.target_hash


def merkle_root(document: Mapping[str, Any]) -> str:
    """The merkle root the document claims (``signature.merkleRoot``), the value issued on chain."""
    return _parse(document).signature.merkle_root


def digest_document(document: Mapping[str, Any]) -> str:
    """Recompute the targetHash from ``data`` and ``privacy.obfuscatedData`` (JS digestDocument)."""
    parsed = _parse(document)
    leaf_hashes = _keccak_hex_many(_leaf_texts(_flatten_data(parsed.data)))
    return _digest_hashes(leaf_hashes + parsed.obfuscated)


def leaf_preimage(document: Mapping[str, Any]) -> bytes:
    """The bytes whose keccak256 is the document's targetHash (the digest text over its field
    hashes, visible and obfuscated). Revoking or suspending one certificate of a batch on chain
    takes this: an interior Merkle node's preimage is 64 bytes, a document's never is."""
    parsed = _parse(document)
    leaf_hashes = _keccak_hex_many(_leaf_texts(_flatten_data(parsed.data)))
    return _json_utf8(_digest_text(leaf_hashes + parsed.obfuscated))


def verify_integrity(document: Mapping[str, Any]) -> bool:
    """Whether the data matches the targetHash and the proof leads to the merkleRoot.

    The equivalent of JavaScript's ``verifySignature`` for v2: it says nothing about whether the
    merkle root was issued or revoked on chain. Returns False for a document whose contents were
    altered; raises :class:`DocumentFormatError` for one that is not a wrapped v2 document at all.
    """
    parsed = _parse(document)
    leaf_hashes = _keccak_hex_many(_leaf_texts(_flatten_data(parsed.data)))
    signature = parsed.signature
    if _digest_hashes(leaf_hashes + parsed.obfuscated) != signature.target_hash:
        return False
    return merkle_proof_valid(signature.target_hash, signature.proof, signature.merkle_root)


def field_paths(document: Mapping[str, Any]) -> list[str]:
    """The dot paths of the visible leaf fields (``issuers.0.name``), as :func:`obfuscate` takes."""
    return [path for path, _ in _flatten_data(_parse(document).data)]


def hidden_count(document: Mapping[str, Any]) -> int:
    """How many fields the holder hid (selective disclosure): only counted, never recovered."""
    privacy = document.get("privacy")
    return len(privacy.get("obfuscatedData", [])) if isinstance(privacy, Mapping) else 0


def get_data(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document's data without salts, with the original types (JavaScript ``getData``).

    Values that are not salted strings are returned unchanged. A field salted as ``undefined``
    is left out of objects and becomes ``None`` in lists, as ``JSON.stringify`` would write it.
    Unlike the reference, trailing whitespace of string values is kept.
    """
    data = _parse(document).data
    return {
        key: unsalted
        for key, value in data.items()
        if (unsalted := _unsalt_tree(value, key)) is not _UNDEFINED
    }


class _Undefined:
    """JavaScript ``undefined``, which getData yields for values salted as ``undefined``."""


_UNDEFINED: Final = _Undefined()


def _unsalt_tree(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        return {
            key: unsalted
            for key, item in value.items()
            if (unsalted := _unsalt_tree(item, f"{path}.{key}")) is not _UNDEFINED
        }
    if isinstance(value, list):
        return [
            None if (unsalted := _unsalt_tree(item, f"{path}.{i}")) is _UNDEFINED else unsalted
            for i, item in enumerate(value)
        ]
    if isinstance(value, str):
        return _unsalt(value, path)
    return value


def _unsalt(value: str, path: str) -> Any:
    """One salted leaf ``"<uuid4>:<type>:<value>"`` back to its value (JS ``unsalt``)."""
    if not value or not _UUID4_RE.fullmatch(value.split(":", 1)[0]):
        return value
    typed = value[37:].lstrip(_JS_WHITESPACE)
    kind, colon, text = typed.partition(":")
    if not colon:
        kind = kind.rstrip(_JS_WHITESPACE)
    if kind == "string":
        return text  # the reference also trims trailing whitespace here; the hash covers it
    text = text.rstrip(_JS_WHITESPACE)
    if kind == "number":
        return _js_to_number(text.lstrip(_JS_WHITESPACE))  # Number() trims as well
    if kind == "boolean":
        return text == "true"
    if kind == "null":
        return None
    if kind == "undefined":
        return _UNDEFINED
    raise DocumentFormatError(
        f"The salted value at '{path}' has no known type annotation (string, number, boolean, "
        f"null): {value!r}."
    )


_DECIMAL_RE: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_RADIX_RE: Final = re.compile(r"0([xXoObB])([0-9a-fA-F]+)", re.ASCII)


def _js_to_number(text: str) -> int | float:
    """JavaScript ``Number(text)`` for trimmed text: ints when integral and exact, else floats."""
    if text == "":
        return 0
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _DECIMAL_RE.fullmatch(text):
        if text.lstrip("+-").isdigit():
            number = int(text)
            # A JS number holds big integers only approximately; round as JSON.parse would.
            return number if abs(number) <= _MAX_SAFE_INTEGER else int(float(text))
        return float(text)
    radix = _RADIX_RE.fullmatch(text)
    if radix:
        base = {"x": 16, "o": 8, "b": 2}[radix.group(1).lower()]
        try:
            return int(radix.group(2), base)
        except ValueError:
            return math.nan
    return math.nan


def obfuscate(document: Mapping[str, Any], paths: Sequence[str] | str) -> Document:
    """A copy of ``document`` with the fields at ``paths`` hidden (selective disclosure).

    Each path is a dot path of keys and list indices (``issuers.0.name``), as listed by
    :func:`field_paths` (which differs only for data under an empty top-level key, whose path
    OpenAttestation writes without the leading dot). A path naming an object or list hides
    every leaf under it. The leaf hashes of hidden fields are appended to
    ``privacy.obfuscatedData``, so the targetHash and the proof stay valid. ``document`` is not
    modified.

    Raises :class:`ObfuscationError`, naming the path, for a path that does not exist and for
    any request whose result would fail :func:`verify_integrity`:

    * hiding the last field(s) of a nested object or list: the emptied container would become a
      leaf of its own and change the targetHash (hide the container instead);
    * hiding list elements other than the last ones: later elements would change position and
      so their paths and hashes (hiding trailing elements shortens the list, which is safe;
      the reference leaves ``null`` holes in that case, which break once written as JSON).

    It also refuses to work on a document whose data already does not match its targetHash.
    """
    parsed = _parse(document)
    before = _digest_hashes(
        _keccak_hex_many(_leaf_texts(_flatten_data(parsed.data))) + parsed.obfuscated
    )
    if before != parsed.signature.target_hash:
        raise ObfuscationError(
            "The document's data does not match its targetHash, so it cannot be obfuscated."
        )
    result: Document = copy.deepcopy(dict(document))
    data: dict[str, Any] = result["data"]

    requested = [paths] if isinstance(paths, str) else list(paths)
    selected: dict[tuple[str, ...], str] = {}
    for path in requested:
        if not isinstance(path, str) or not path:
            raise ObfuscationError(f"A field path must be a non-empty string, got {path!r}.")
        keys = tuple(path.split("."))
        _resolve(data, keys, path)
        selected.setdefault(keys, path)
    # A path inside another selected path is already covered by it.
    chosen = {
        keys: path
        for keys, path in selected.items()
        if not any(keys[:i] in selected for i in range(1, len(keys)))
    }

    leaves: list[tuple[str, Any]] = []
    for keys in chosen:
        prefix: str | None = None
        for key in keys:
            prefix = _child_path(prefix, key)
        _flatten(_resolve(data, keys, chosen[keys]), prefix, leaves)
    new_hashes = _keccak_hex_many(_leaf_texts(leaves))

    by_parent: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for keys in chosen:
        by_parent.setdefault(keys[:-1], []).append(keys)
    for parent_keys in sorted(by_parent, key=len, reverse=True):
        children = by_parent[parent_keys]
        parent = _resolve(data, parent_keys, ".".join(parent_keys))
        if isinstance(parent, dict):
            for keys in children:
                del parent[keys[-1]]
        else:
            indices = sorted(int(keys[-1]) for keys in children)
            first = len(parent) - len(indices)
            if indices != list(range(first, len(parent))):
                middle = next(i for i in indices if i < first)
                raise ObfuscationError(
                    f"Cannot hide '{chosen[(*parent_keys, str(middle))]}': removing an element "
                    "before the end of a list moves the elements after it, which breaks "
                    "verification; hide its fields, or the whole list, instead."
                )
            del parent[first:]
        if not parent and parent_keys:
            name = ".".join(parent_keys)
            hidden = ", ".join(f"'{chosen[keys]}'" for keys in children)
            raise ObfuscationError(
                f"Cannot hide {hidden}: '{name}' would be left empty, which changes the "
                f"document's hash and breaks verification; hide '{name}' itself instead."
            )

    obfuscated = parsed.obfuscated + new_hashes
    result["privacy"] = {**result.get("privacy", {}), "obfuscatedData": obfuscated}
    after = _digest_hashes(_keccak_hex_many(_leaf_texts(_flatten_data(data))) + obfuscated)
    if after != before:  # pragma: no cover - the rules above should make this unreachable
        raise ObfuscationError(
            f"Hiding {', '.join(repr(p) for p in requested)} would change the targetHash; "
            "nothing was hidden."
        )
    return result


def _resolve(data: dict[str, Any], keys: Sequence[str], path: str) -> Any:
    """The value at ``keys`` inside ``data``; ObfuscationError if there is none."""
    node: Any = data
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and _INDEX_RE.fullmatch(key) and int(key) < len(node):
            node = node[int(key)]
        else:
            raise ObfuscationError(f"Cannot hide '{path}': the document has no field there.")
    return node


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read a wrapped v2 document from a JSON file and check its structure.

    Raises :class:`DocumentFormatError` for files that are not UTF-8 JSON or not wrapped v2
    documents, and :class:`InputError` for files that cannot be read.
    """
    file = Path(path)
    return parse_document(
        read_bytes(file, "document file", MAX_DOCUMENT_BYTES), f"Document file '{file}'"
    )


def parse_document(raw: bytes, name: str = "The document") -> Document:
    """A wrapped v2 document from its JSON bytes (``name`` starts the error messages), its
    structure checked: :class:`DocumentFormatError` otherwise."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentFormatError(f"{name} is larger than {MAX_DOCUMENT_BYTES:,} bytes.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentFormatError(f"{name} is not UTF-8 text.") from None
    try:
        check_json_depth(text, name)
    except InputError as exc:
        raise DocumentFormatError(exc.message) from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DocumentFormatError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except ValueError as exc:
        raise DocumentFormatError(f"{name} is not valid JSON: {exc}.") from None
    try:
        _parse(document)
    except DocumentFormatError as exc:
        raise DocumentFormatError(f"{name}: {exc}") from None
    return document


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def save_document(document: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a wrapped v2 document as UTF-8 JSON, atomically (temporary file, fsync, rename)."""
    _parse(document)
    try:
        text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise DocumentFormatError(f"The document cannot be written as JSON: {exc}.") from None
    target = Path(path)
    try:
        write_atomic(target, _json_utf8(text))
    except OSError as exc:
        raise InputError(f"Cannot write document file '{target}': {exc.strerror or exc}.") from None
