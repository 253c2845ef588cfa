// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ParticipantGated} from "./ParticipantGated.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title CaseBase
 * @notice The state-machine base every GovChain case contract inherits. It holds what all cases
 * share: items keyed by id, each with its kind and state; one transition table checked in one place
 * (from-states -> to-state -> the directory role that may do it); one event shape for every
 * transition; documents anchored per item with the role allowed per document type; and batch
 * transitions. A case contract declares its table ({_rule}, {_documentRule}) and keeps only its own
 * rules ({_guard}, {_isParty}, its own data).
 *
 * Ids are scoped to whoever files them: an item's id is `keccak256(abi.encode(filer, kind,
 * key))`, computed here from `msg.sender`, so nobody can squat another party's declaration
 * number or waybill — filing the same reference from another account makes another item.
 *
 * The table follows OpenZeppelin Governor's state bitmaps: `from` has bit `s` set for every state
 * `s` the transition is allowed from; bit 0 stands for "no item yet" (a filing).
 *
 * Emergency pause (OpenZeppelin's Pausable): a guardian (GUARDIAN_ROLE in the directory) or the
 * directory administrator (the governance committee's timelock) pauses the case at once; only the
 * administrator unpauses it, i.e. the committee by a vote. While paused, every filing, transition
 * and document anchoring of the case is refused with {EnforcedPause}; reads still work, and so
 * does the administrator's configuration of the case (so a problem can be fixed before unpausing).
 */
abstract contract CaseBase is ParticipantGated, Pausable {
    /// @notice One item of the case (a shipment, a declaration, a refund claim): one storage slot.
    struct Item {
        address filer;
        uint8 kind;
        uint8 state;
        uint40 updatedAt;
        /// 40 bits the case packs as it likes (ERC721A's `extraData` idea): no second slot needed.
        uint40 data;
    }

    /// @notice One transition of the case's table.
    struct Rule {
        uint8 kind;
        uint64 from;
        uint8 to;
        bytes32 role;
        /// The caller must also be a party of the item ({_isParty}: by default its filer).
        bool party;
        /// The document type the transition's `ref` anchors (0: the ref is not a document).
        uint8 document;
        /// The transition takes only an id and a ref: it is done through {step} and {stepBatch}
        /// (else through the case's own function, which takes more).
        bool batch;
    }

    /// @notice Who may anchor a document type, on which kind of item.
    struct DocumentRule {
        uint8 kind;
        bytes32 role;
        bool party;
    }

    /// @notice The state of an item that does not exist.
    uint8 internal constant NONE = 0;
    /// @notice Most items one batch call may take.
    uint256 public constant MAX_BATCH = 200;
    /// @notice Emergency guardians (a role of the directory): may pause the case at once.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @dev The directory's administrator role (the committee's timelock once handed over).
    bytes32 private constant DIRECTORY_ADMIN_ROLE = 0x00;

    mapping(bytes32 id => Item) private _items;

    /// @notice The verb is not in this case's transition table.
    error UnknownVerb(uint8 verb);
    /// @notice There is no item with this id.
    error UnknownItem(bytes32 id);
    /// @notice The filer already filed an item under this reference.
    error ItemExists(bytes32 id);
    /// @notice The id belongs to an item of another kind than the transition's.
    error WrongKind(bytes32 id, uint8 kind);
    /// @notice The transition `verb` is not allowed from the item's current `state`.
    error WrongState(bytes32 id, uint8 verb, uint8 state);
    /// @notice `account` holds the role but is not a party of this item.
    error NotParty(bytes32 id, address account);
    /// @notice The transition takes more than an id and a ref: it has its own function.
    error NotGeneric(uint8 verb);
    /// @notice A batch holds more than {MAX_BATCH} items, or its lists differ in length.
    error BadBatch(uint256 size);
    /// @notice The document type is not one of this case's.
    error UnknownDocumentType(uint8 docType);
    /// @notice A reference or document hash is zero.
    error EmptyHash();

    /// @notice An item was filed; its id is `keccak256(abi.encode(filer, kind, key))`.
    event Filed(bytes32 indexed id, uint8 indexed kind, address indexed filer, bytes32 key);
    /// @notice Every transition: which item, who, which verb, from and to which state, and its ref
    /// (a document hash when the verb anchors one, else a code or commitment, or zero).
    event Transition(bytes32 indexed id, address indexed actor, uint8 verb, uint8 from, uint8 to, bytes32 ref);
    /// @notice A document of the item was anchored by hash (the document is encrypted off chain).
    event DocumentAnchored(bytes32 indexed id, uint8 indexed docType, address indexed uploader, bytes32 contentHash);

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) {}

    // ------------------------------------------------------------------------------------------
    // Shared entry points
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Does transition `verb` on item `id`: every transition of the table that takes only
     * an id and a ref is done here (the table says who may, from which states).
     * @param verb The transition (a verb of the case's table marked `batch`).
     * @param id The item.
     * @param ref Its note: a document hash, a reason code or a commitment (zero if none).
     */
    function step(uint8 verb, bytes32 id, bytes32 ref) external {
        Rule memory r = _genericRule(verb);
        directory.requireActiveRole(r.role, msg.sender);
        _move(verb, r, id, _existing(id, r.kind), ref);
    }

    /**
     * @notice Does transition `verb` for every item in `ids` (same rules as one by one).
     * @param verb A transition marked batchable in the table (it takes only an id and a ref).
     * @param ids The items, at most {MAX_BATCH}.
     * @param refs One ref per item, or none at all (all zero).
     */
    function stepBatch(uint8 verb, bytes32[] calldata ids, bytes32[] calldata refs) external {
        Rule memory r = _genericRule(verb);
        if (ids.length > MAX_BATCH || (refs.length != 0 && refs.length != ids.length)) {
            revert BadBatch(ids.length);
        }
        directory.requireActiveRole(r.role, msg.sender);
        for (uint256 i = 0; i < ids.length; ++i) {
            _move(verb, r, ids[i], _existing(ids[i], r.kind), refs.length == 0 ? bytes32(0) : refs[i]);
        }
    }

    /**
     * @notice Anchors a document of item `id` by hash, by the role the case allows for its type.
     * @param id The item.
     * @param docType One of the case's document types.
     * @param contentHash The document's commitment (the document itself is encrypted off chain).
     */
    function anchorDocument(bytes32 id, uint8 docType, bytes32 contentHash) external {
        _requireNotPaused();
        DocumentRule memory d = _documentRule(docType);
        if (d.kind == 0) revert UnknownDocumentType(docType);
        directory.requireActiveRole(d.role, msg.sender);
        Item storage it = _existing(id, d.kind);
        if (d.party && !_isParty(id, it, msg.sender)) revert NotParty(id, msg.sender);
        if (contentHash == bytes32(0)) revert EmptyHash();
        emit DocumentAnchored(id, docType, msg.sender, contentHash);
    }

    /**
     * @notice Pauses every filing, transition and document anchoring of this case at once
     * (an active guardian, or the directory administrator).
     */
    function pause() external {
        if (!_hasActiveRole(DIRECTORY_ADMIN_ROLE, msg.sender)) directory.requireActiveRole(GUARDIAN_ROLE, msg.sender);
        _pause();
    }

    /// @notice Lifts the pause (the directory administrator only: the committee, by a vote).
    function unpause() external onlyActive(DIRECTORY_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice The item with `id` (state 0 if there is none).
    function item(bytes32 id) external view returns (Item memory) {
        return _items[id];
    }

    /// @notice The items with `ids`, in order (one call for many).
    function items(bytes32[] calldata ids) external view returns (Item[] memory out) {
        out = new Item[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            out[i] = _items[ids[i]];
        }
    }

    /// @notice The id of the item `filer` files of `kind` under `key`.
    function idOf(address filer, uint8 kind, bytes32 key) public pure returns (bytes32) {
        return keccak256(abi.encode(filer, kind, key));
    }

    /// @notice The transition table's entry for `verb` (kind 0 if there is none).
    function rule(uint8 verb) external view returns (Rule memory) {
        return _rule(verb);
    }

    /// @notice Who may anchor documents of type `docType` (kind 0 if there is no such type).
    function documentRule(uint8 docType) external view returns (DocumentRule memory) {
        return _documentRule(docType);
    }

    // ------------------------------------------------------------------------------------------
    // For case contracts
    // ------------------------------------------------------------------------------------------

    /// @dev The case's transition table: the rule of `verb`, or a rule of kind 0 if unknown.
    function _rule(uint8 verb) internal view virtual returns (Rule memory);

    /// @dev The case's document types: the rule of `docType`, or kind 0 if unknown.
    function _documentRule(uint8 docType) internal view virtual returns (DocumentRule memory) {}

    /// @dev The case's own rules for a transition, checked after role, state and party (and
    /// what the transition does to the case's own data, e.g. a running total).
    function _guard(uint8 verb, bytes32 id, Item storage it) internal virtual {}

    /// @dev Whose references the ids of `kind` are scoped to: by default the filer's (nobody
    /// squats another party's number); a kind unique in the whole case whoever files it (one
    /// licence per credit code, whichever terminal account) returns the case's own address.
    function _scope(uint8) internal view virtual returns (address) {
        return msg.sender;
    }

    /// @dev True if `account` is a party of the item (by default: its filer).
    function _isParty(bytes32, Item storage it, address account) internal view virtual returns (bool) {
        return account == it.filer;
    }

    /// @dev Files (or, when the table allows it from the item's state, moves) the caller's item
    /// of `verb`'s kind under `key`.
    function _file(uint8 verb, bytes32 key, bytes32 ref) internal returns (bytes32 id, Item storage it) {
        Rule memory r = _ruleOf(verb);
        directory.requireActiveRole(r.role, msg.sender);
        return _fileAuthorized(verb, r, key, ref);
    }

    /// @dev {_file} for a caller whose role was checked already (batch filings check it once).
    function _fileAuthorized(uint8 verb, Rule memory r, bytes32 key, bytes32 ref)
        internal
        returns (bytes32 id, Item storage it)
    {
        if (key == bytes32(0)) revert EmptyHash();
        id = idOf(_scope(r.kind), r.kind, key);
        it = _items[id];
        if (it.state == NONE) {
            it.filer = msg.sender;
            it.kind = r.kind;
            emit Filed(id, r.kind, msg.sender, key);
        } else if (r.from & (uint64(1) << it.state) == 0) {
            revert ItemExists(id);
        }
        _move(verb, r, id, it, ref);
    }

    /// @dev Does transition `verb` on the existing item `id`.
    function _step(uint8 verb, bytes32 id, bytes32 ref) internal returns (Item storage it) {
        Rule memory r = _ruleOf(verb);
        directory.requireActiveRole(r.role, msg.sender);
        it = _existing(id, r.kind);
        _move(verb, r, id, it, ref);
    }

    /// @dev The rule of `verb` (also used by a case's batch filing, which checks the role once).
    function _ruleOf(uint8 verb) internal view returns (Rule memory r) {
        r = _rule(verb);
        if (r.kind == 0) revert UnknownVerb(verb);
    }

    /// @dev The storage of item `id`, whether or not it exists.
    function _itemAt(bytes32 id) internal view returns (Item storage) {
        return _items[id];
    }

    /// @dev The rule of a verb done through {step} or {stepBatch}.
    function _genericRule(uint8 verb) private view returns (Rule memory r) {
        r = _ruleOf(verb);
        if (!r.batch || r.from & 1 != 0) revert NotGeneric(verb);
    }

    /// @dev The item `id`, which must exist and be of `kind`.
    function _existing(bytes32 id, uint8 kind) internal view returns (Item storage it) {
        it = _items[id];
        if (it.state == NONE) revert UnknownItem(id);
        if (it.kind != kind) revert WrongKind(id, it.kind);
    }

    /// @dev Bit of state `s` in a rule's `from` bitmap.
    function _bit(uint8 s) internal pure returns (uint64) {
        return uint64(1) << s;
    }

    /// @dev The one place where a transition happens: not paused, state, party and the case's
    /// guard checked, then the state set and the event emitted.
    function _move(uint8 verb, Rule memory r, bytes32 id, Item storage it, bytes32 ref) private {
        _requireNotPaused();
        uint8 from = it.state;
        if (r.from & (uint64(1) << from) == 0) revert WrongState(id, verb, from);
        if (r.party && !_isParty(id, it, msg.sender)) revert NotParty(id, msg.sender);
        _guard(verb, id, it);
        it.state = r.to;
        it.updatedAt = uint40(block.timestamp);
        emit Transition(id, msg.sender, verb, from, r.to, ref);
    }
}
