// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {ConsentGated} from "../core/ConsentGated.sol";
import {IDataSharing} from "../interfaces/IDataSharing.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title EnterpriseKyc
 * @notice Case 3 — enterprise electronic identity (shared eKYC), on {CaseBase} and the
 * data-sharing framework ({ConsentGated}).
 *
 * A bank that has verified an enterprise records a KYC attestation under a keyed commitment of
 * the enterprise's credit code: the enterprise's account, a level and a valid-until time; the
 * dossier itself is sealed in the document store and only its salted commitment goes on chain
 * (the transition's ref). The bank renews it (new dossier, level, validity) or withdraws it.
 * Another bank reuses it only under a live data-sharing grant: requested by that bank, approved
 * by the attesting bank with the attestation's id as scope, consented by the enterprise, revocable
 * by either. The attesting bank delivers the dossier under the grant (the framework logs the
 * delivery with the dossier's commitment) and the reusing bank records its reliance here, which
 * is refused without a live grant of its own, for that enterprise, attestation and bank. The
 * financial regulator reads both trails.
 */
contract EnterpriseKyc is CaseBase, ConsentGated {
    bytes32 public constant BANK_ROLE = keccak256("BANK_ROLE");
    /// @notice Highest KYC level (1 basic, 2 standard, 3 enhanced due diligence).
    uint8 public constant MAX_LEVEL = 3;

    enum Kind { None, Attestation, Reliance }
    enum Status { None, Valid, Withdrawn }
    enum RelianceStatus { None, Relied, Ended }
    enum Verb { None, Attest, Renew, Withdraw, Rely, EndReliance }
    enum Document { None, Dossier }

    /// @notice Who an attestation is about and at which level (its validity is the item's data).
    struct Attestation {
        address enterprise;
        uint8 level;
    }

    /// @notice What the SDK shows of an item: for a reliance, those of the attestation it relies on.
    struct Details {
        address enterprise;
        uint8 level;
        uint40 validUntil;
        bool expired;
        bytes32 attestation;
    }

    mapping(bytes32 id => Attestation) private _attestations;
    mapping(bytes32 reliance => bytes32 attestation) private _reliedOn;

    error InvalidLevel(uint8 level);
    error InvalidValidity(uint40 validUntil);
    error NoEnterprise();
    error AttestationNotValid(bytes32 id);
    error AttestationExpired(bytes32 id, uint40 validUntil);
    error OwnAttestation(bytes32 id);

    event Attested(bytes32 indexed id, address indexed enterprise, uint8 level, uint40 validUntil);
    event Relied(bytes32 indexed id, bytes32 indexed attestation, uint256 consent);

    constructor(IParticipantDirectory directory_, IDataSharing sharing_) CaseBase(directory_) ConsentGated(sharing_) {}

    /**
     * @notice Records the caller's KYC attestation of `enterprise` (a bank).
     * @param key Keyed commitment of the enterprise's credit code.
     * @param enterprise The enterprise's account (an active participant): who consents to reuse.
     * @param level 1 basic, 2 standard, 3 enhanced due diligence.
     * @param validUntil When the attestation expires (unix time, in the future).
     * @param dossier Salted commitment of the dossier sealed in the document store.
     */
    function attest(bytes32 key, address enterprise, uint8 level, uint40 validUntil, bytes32 dossier)
        external
        returns (bytes32 id)
    {
        Item storage it;
        (id, it) = _file(uint8(Verb.Attest), key, dossier);
        if (enterprise == address(0)) revert NoEnterprise();
        directory.requireActive(enterprise);
        _record(id, it, enterprise, level, validUntil, dossier);
    }

    /**
     * @notice Renews the caller's attestation `id`: a new dossier, level and validity (also
     * after it expired).
     * @param id The attestation.
     * @param level The level now.
     * @param validUntil The new expiry (unix time, in the future).
     * @param dossier Salted commitment of the new dossier.
     */
    function renew(bytes32 id, uint8 level, uint40 validUntil, bytes32 dossier) external {
        Item storage it = _step(uint8(Verb.Renew), id, dossier);
        _record(id, it, _attestations[id].enterprise, level, validUntil, dossier);
    }

    /**
     * @notice Records that the caller (a bank) relies on attestation `attestation` of another
     * bank, under data-sharing grant `consent`: live, the caller's, consented by the attested
     * enterprise, from the attesting bank, scoped to this attestation.
     * @param attestation The attestation relied on.
     * @param consent The data-sharing request whose grant allows it.
     */
    function rely(bytes32 attestation, uint256 consent) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Rely), attestation, bytes32(consent));
        Item storage a = _itemAt(attestation);
        if (a.kind != uint8(Kind.Attestation)) revert WrongKind(attestation, a.kind);
        if (a.state != uint8(Status.Valid)) revert AttestationNotValid(attestation);
        if (a.filer == msg.sender) revert OwnAttestation(attestation);
        if (a.data <= block.timestamp) revert AttestationExpired(attestation, a.data);
        _requireGrant(consent, a.filer, _attestations[attestation].enterprise, attestation);
        _reliedOn[id] = attestation;
        emit Relied(id, attestation, consent);
    }

    /// @notice Who an attestation is about, its level and validity (for a reliance: of the
    /// attestation it relies on).
    function details(bytes32 id) external view returns (Details memory d) {
        bytes32 a = _itemAt(id).kind == uint8(Kind.Reliance) ? _reliedOn[id] : id;
        uint40 until = _itemAt(a).data;
        Attestation memory att = _attestations[a];
        d = Details(att.enterprise, att.level, until, until != 0 && until <= block.timestamp, a == id ? bytes32(0) : a);
    }

    /// @notice True if attestation `id` is valid now: recorded, not withdrawn, not expired.
    function isCurrent(bytes32 id) external view returns (bool) {
        Item storage it = _itemAt(id);
        return it.kind == uint8(Kind.Attestation) && it.state == uint8(Status.Valid) && it.data > block.timestamp;
    }

    function _record(bytes32 id, Item storage it, address enterprise, uint8 level, uint40 validUntil, bytes32 dossier)
        private
    {
        if (level == 0 || level > MAX_LEVEL) revert InvalidLevel(level);
        if (validUntil <= block.timestamp) revert InvalidValidity(validUntil);
        if (dossier == bytes32(0)) revert EmptyHash();
        it.data = validUntil;
        _attestations[id] = Attestation(enterprise, level);
        emit Attested(id, enterprise, level, validUntil);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint8 a = uint8(Kind.Attestation);
        uint8 q = uint8(Kind.Reliance);
        uint8 valid = uint8(Status.Valid);
        uint8 dossier = uint8(Document.Dossier);
        if (verb == uint8(Verb.Attest)) r = Rule(a, _bit(NONE), valid, BANK_ROLE, false, dossier, false);
        else if (verb == uint8(Verb.Renew)) r = Rule(a, _bit(valid), valid, BANK_ROLE, true, dossier, false);
        else if (verb == uint8(Verb.Withdraw)) r = Rule(a, _bit(valid), uint8(Status.Withdrawn), BANK_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Rely)) r = Rule(q, _bit(NONE) | _bit(uint8(RelianceStatus.Ended)), uint8(RelianceStatus.Relied), BANK_ROLE, false, 0, false);
        else if (verb == uint8(Verb.EndReliance)) r = Rule(q, _bit(uint8(RelianceStatus.Relied)), uint8(RelianceStatus.Ended), BANK_ROLE, true, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == uint8(Document.Dossier)) d = DocumentRule(uint8(Kind.Attestation), BANK_ROLE, true);
    }
}
