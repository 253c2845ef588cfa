// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ServiceHub} from "../core/ServiceHub.sol";
import {ConsentGated} from "../core/ConsentGated.sol";
import {IClaimRegistry} from "../interfaces/IClaimRegistry.sol";
import {IDataSharing} from "../interfaces/IDataSharing.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title HaidianHub
 * @notice Case 8 — Internet+Government, Haidian district pilot: the district's {ServiceHub}
 * (high-tech enterprise certification and its other services) plus unemployment benefits.
 *
 * A counter clerk of the Haidian office files a citizen's claim under a keyed commitment of the
 * ID number, naming the citizen's app account (the data subject who consents); the citywide
 * {ClaimRegistry} refuses it while the person has an active claim in any district. The
 * human-resources bureau approves it only under a live data-sharing grant of the social-insurance
 * records (requested by HR, approved by the social-insurance fund with the claim as scope,
 * consented by the citizen), records monthly payouts in fen (one per month, in order), and stops
 * the claim on re-employment — which frees the person in the registry — or rejects it.
 */
contract HaidianHub is ServiceHub, ConsentGated {
    bytes32 public constant HR_ROLE = keccak256("HR_ROLE");
    bytes32 public constant SOCIAL_INSURANCE_ROLE = keccak256("SOCIAL_INSURANCE_ROLE");
    uint32 private constant HAIDIAN = 110108;

    enum Kind { None, Application, Claim }
    enum ClaimStatus { None, Claimed, Active, Rejected, Stopped }
    enum Verb { None, Apply, File, Approve, Reject, Complete, Claim, ApproveClaim, RejectClaim, Pay, Stop }

    /// @notice A claim: the citizen's app account, the last month paid (yyyymm), total paid in
    /// fen (one slot; the number of payouts is the item's data).
    struct Claim {
        address claimant;
        uint32 lastMonth;
        uint64 paid;
    }

    /// @notice What the SDK shows of an application or a claim (fields of the other kind zero).
    struct Details {
        uint16 service;
        uint8 pending;
        uint8 overdue;
        uint16 filedOn;
        address claimant;
        uint32 lastMonth;
        uint64 paid;
        uint40 payouts;
    }

    /// @notice The citywide registry of active claims.
    IClaimRegistry public immutable claims;

    mapping(bytes32 id => Claim) private _claims;

    error NoClaimant();
    error InvalidAmount(uint64 amount);
    error InvalidMonth(uint32 month, uint32 lastMonth);

    event Paid(bytes32 indexed id, uint32 month, uint64 amount);

    constructor(IParticipantDirectory directory_, IDataSharing sharing_, IClaimRegistry claims_)
        ServiceHub(directory_, HAIDIAN)
        ConsentGated(sharing_)
    {
        claims = claims_;
    }

    /**
     * @notice A Haidian counter clerk files a citizen's unemployment benefit claim; refused while
     * the person has an active claim in any district.
     * @param key Keyed commitment of the claimant's ID number (this hub's).
     * @param claimant The citizen's app account: the data subject who consents to the check.
     * @param person Keyed commitment of the ID number, the same in every district.
     */
    function claim(bytes32 key, address claimant, bytes32 person) external returns (bytes32 id) {
        Item storage it;
        (id, it) = _file(uint8(Verb.Claim), key, bytes32(0));
        _requireOffice();
        if (claimant == address(0)) revert NoClaimant();
        if (person == bytes32(0)) revert EmptyHash();
        _claims[id] = Claim(claimant, 0, 0); // the claimant is in details(id): no event of its own
        it.data = 0;
        claims.open(person, id);
    }

    /**
     * @notice HR approves claim `id` after checking the claimant's social-insurance records,
     * under data-sharing grant `consent`: live, HR's own, given by the claimant, for records of
     * the social-insurance fund `provider`, with the claim as scope.
     * @param id The claim.
     * @param provider The social-insurance fund whose records were checked.
     * @param consent The data-sharing request whose grant allowed the check.
     */
    function approveClaim(bytes32 id, address provider, uint256 consent) external {
        _step(uint8(Verb.ApproveClaim), id, bytes32(consent));
        directory.requireActiveRole(SOCIAL_INSURANCE_ROLE, provider);
        _requireGrant(consent, provider, _claims[id].claimant, id);
    }

    /**
     * @notice HR records the payout of `month` on an active claim (once per month, in order).
     * @param id The claim.
     * @param month The month paid, as yyyymm (202611).
     * @param amount The amount in fen.
     * @param payment Keyed commitment of the payment reference (zero if none).
     */
    function pay(bytes32 id, uint32 month, uint64 amount, bytes32 payment) external {
        Item storage it = _step(uint8(Verb.Pay), id, payment);
        Claim storage c = _claims[id];
        if (amount == 0) revert InvalidAmount(amount);
        uint32 mm = month % 100;
        if (month < 200001 || mm == 0 || mm > 12 || month <= c.lastMonth) revert InvalidMonth(month, c.lastMonth);
        c.lastMonth = month;
        c.paid += amount;
        it.data += 1;
        emit Paid(id, month, amount);
    }

    /**
     * @notice HR rejects a filed claim; the person may claim again.
     * @param id The claim.
     * @param person Keyed commitment of the ID number (as filed).
     * @param reason Reason code from the catalogue.
     */
    function rejectClaim(bytes32 id, bytes32 person, bytes32 reason) external {
        _step(uint8(Verb.RejectClaim), id, reason);
        claims.close(person, id);
    }

    /**
     * @notice HR stops an active claim (re-employment); the person may claim again later.
     * @param id The claim.
     * @param person Keyed commitment of the ID number (as filed).
     * @param reason Reason code from the catalogue (re-employed).
     */
    function stop(bytes32 id, bytes32 person, bytes32 reason) external {
        _step(uint8(Verb.Stop), id, reason);
        claims.close(person, id);
    }

    /// @notice Application or claim `id` as the SDK shows it.
    function details(bytes32 id) external view returns (Details memory d) {
        (d.service, d.pending, d.filedOn, d.overdue) = _application(id);
        Claim memory c = _claims[id];
        (d.claimant, d.lastMonth, d.paid) = (c.claimant, c.lastMonth, c.paid);
        if (_itemAt(id).kind == uint8(Kind.Claim)) d.payouts = _itemAt(id).data;
    }

    function _rule(uint8 verb) internal view override returns (Rule memory r) {
        r = super._rule(verb);
        if (r.kind != 0) return r;
        uint8 c = uint8(Kind.Claim);
        uint8 active = uint8(ClaimStatus.Active);
        uint64 again = _bit(NONE) | _bit(uint8(ClaimStatus.Rejected)) | _bit(uint8(ClaimStatus.Stopped));
        if (verb == uint8(Verb.Claim)) r = Rule(c, again, uint8(ClaimStatus.Claimed), DISTRICT_OFFICE_ROLE, false, 0, false);
        else if (verb == uint8(Verb.ApproveClaim)) r = Rule(c, _bit(uint8(ClaimStatus.Claimed)), active, HR_ROLE, false, 0, false);
        else if (verb == uint8(Verb.RejectClaim)) r = Rule(c, _bit(uint8(ClaimStatus.Claimed)), uint8(ClaimStatus.Rejected), HR_ROLE, false, 0, false);
        else if (verb == uint8(Verb.Pay)) r = Rule(c, _bit(active), active, HR_ROLE, false, 0, false);
        else if (verb == uint8(Verb.Stop)) r = Rule(c, _bit(active), uint8(ClaimStatus.Stopped), HR_ROLE, false, 0, false);
    }
}
