// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {MerkleAnchors} from "../core/MerkleAnchors.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title AirportLogistics
 * @notice Case 1 — airport international logistics (Municipal Commerce Bureau), on {CaseBase}.
 *
 * A shipment per air waybill (filed by its logistics operator under a keyed commitment of the
 * waybill number) for a merchant, moving through Booked -> ReceivedAtTerminal -> Declared ->
 * Inspected -> Released -> Departed -> Arrived -> Delivered. Customs inspects a declared shipment:
 * pass, waived, hold (stays Declared, to be inspected again) or fail (final); it releases only a
 * shipment whose inspection passed or was waived. After departure the merchant files the export
 * tax refund (an item of its own: Requested -> Approved | Rejected -> Paid, paid once; a rejected
 * claim may be filed again). Tracking messages are anchored as Merkle batches ({MerkleAnchors}).
 */
contract AirportLogistics is CaseBase, MerkleAnchors {
    bytes32 public constant MERCHANT_ROLE = keccak256("MERCHANT_ROLE");
    bytes32 public constant LOGISTICS_ROLE = keccak256("LOGISTICS_ROLE");
    bytes32 public constant AIRPORT_ROLE = keccak256("AIRPORT_ROLE");
    bytes32 public constant CUSTOMS_ROLE = keccak256("CUSTOMS_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");
    /// @notice Pays approved refunds: a duty kept apart from the tax bureau's approval.
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");

    // The case's kinds of item, states, verbs (its transition table's rows) and documents.
    enum Kind { None, Shipment, Refund }
    enum Status { None, Booked, ReceivedAtTerminal, Declared, Inspected, Released, Departed, Arrived, Delivered }
    enum Refund { None, Requested, Approved, Rejected, Paid }
    enum Verb { None, Book, Receive, Declare, Inspect, Hold, Release, Depart, Arrive, Deliver, RequestRefund, ApproveRefund, RejectRefund, PayRefund }
    enum Inspection { None, Pass, Hold, Fail, Waived }
    enum Document { None, Manifest, CommercialInvoice, PackingList, Declaration, InspectionReport, RefundClaim }

    /// @notice What the SDK shows of a shipment besides its item.
    struct Details {
        address merchant;
        uint8 inspection;
    }

    mapping(bytes32 shipment => address) private _merchants;

    /// @notice The inspection result is not pass (1), hold (2), fail (3) or waived (4).
    error InvalidInspection(uint8 result);
    /// @notice Customs releases only a shipment whose inspection passed or was waived.
    error InspectionNotCleared(bytes32 id, uint8 inspection);
    /// @notice The export tax refund is claimed by the shipment's merchant after departure.
    error RefundNotClaimable(bytes32 shipment, address account, uint8 state);

    /// @notice A shipment was booked for `merchant`.
    event ShipmentBooked(bytes32 indexed id, address indexed merchant);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /**
     * @notice The logistics operator books a shipment for a merchant.
     * @param waybill Keyed commitment of the air waybill number.
     * @param merchant The shipper (an active MERCHANT_ROLE holder).
     * @return id The shipment's id.
     */
    function book(bytes32 waybill, address merchant) external returns (bytes32 id) {
        directory.requireActiveRole(MERCHANT_ROLE, merchant);
        (id,) = _file(uint8(Verb.Book), waybill, 0);
        _merchants[id] = merchant;
        emit ShipmentBooked(id, merchant);
    }

    /**
     * @notice Customs records an inspection: pass, waived, hold (stays declared) or fail (final).
     * @param id The shipment.
     * @param result 1 pass, 2 hold, 3 fail, 4 waived.
     * @param reportHash Commitment of the inspection report (zero if none).
     */
    function inspect(bytes32 id, uint8 result, bytes32 reportHash) external {
        if (result == 0 || result > uint8(Inspection.Waived)) revert InvalidInspection(result);
        _step(result == uint8(Inspection.Hold) ? uint8(Verb.Hold) : uint8(Verb.Inspect), id, reportHash).data = result;
    }

    /**
     * @notice The merchant claims the export tax refund of a departed shipment (again, if rejected).
     * @param shipment The shipment's id (the refund's id is derived from it and the merchant).
     * @param claimHash Commitment of the refund claim (amounts stay off chain).
     * @return id The refund's id.
     */
    function requestRefund(bytes32 shipment, bytes32 claimHash) external returns (bytes32 id) {
        Rule memory r = _ruleOf(uint8(Verb.RequestRefund));
        directory.requireActiveRole(r.role, msg.sender);
        uint8 state = _existing(shipment, uint8(Kind.Shipment)).state;
        if (_merchants[shipment] != msg.sender || state < uint8(Status.Departed)) {
            revert RefundNotClaimable(shipment, msg.sender, state);
        }
        (id,) = _fileAuthorized(uint8(Verb.RequestRefund), r, shipment, claimHash);
    }

    /// @notice The merchant and the latest inspection result of a shipment.
    function details(bytes32 id) external view returns (Details memory) {
        return Details(_merchants[id], uint8(_itemAt(id).data));
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        if (verb == uint8(Verb.Book)) r = Rule(uint8(Kind.Shipment), _bit(NONE), uint8(Status.Booked), LOGISTICS_ROLE, false, 0, false);
        else if (verb == uint8(Verb.Receive)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Booked)), uint8(Status.ReceivedAtTerminal), AIRPORT_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Declare)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.ReceivedAtTerminal)), uint8(Status.Declared), MERCHANT_ROLE, true, uint8(Document.Declaration), true);
        else if (verb == uint8(Verb.Inspect)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Declared)), uint8(Status.Inspected), CUSTOMS_ROLE, false, uint8(Document.InspectionReport), false);
        else if (verb == uint8(Verb.Hold)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Declared)), uint8(Status.Declared), CUSTOMS_ROLE, false, uint8(Document.InspectionReport), false);
        else if (verb == uint8(Verb.Release)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Inspected)), uint8(Status.Released), CUSTOMS_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Depart)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Released)), uint8(Status.Departed), AIRPORT_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Arrive)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Departed)), uint8(Status.Arrived), LOGISTICS_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Deliver)) r = Rule(uint8(Kind.Shipment), _bit(uint8(Status.Arrived)), uint8(Status.Delivered), LOGISTICS_ROLE, true, 0, true);
        else if (verb == uint8(Verb.RequestRefund)) {
            r = Rule(uint8(Kind.Refund), _bit(NONE) | _bit(uint8(Refund.Rejected)), uint8(Refund.Requested), MERCHANT_ROLE, false, uint8(Document.RefundClaim), false);
        } else if (verb == uint8(Verb.ApproveRefund)) r = Rule(uint8(Kind.Refund), _bit(uint8(Refund.Requested)), uint8(Refund.Approved), TAX_ROLE, false, 0, true);
        else if (verb == uint8(Verb.RejectRefund)) r = Rule(uint8(Kind.Refund), _bit(uint8(Refund.Requested)), uint8(Refund.Rejected), TAX_ROLE, false, 0, true);
        else if (verb == uint8(Verb.PayRefund)) r = Rule(uint8(Kind.Refund), _bit(uint8(Refund.Approved)), uint8(Refund.Paid), TREASURY_ROLE, false, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == uint8(Document.Manifest)) d = DocumentRule(uint8(Kind.Shipment), LOGISTICS_ROLE, true);
        else if (docType == uint8(Document.CommercialInvoice) || docType == uint8(Document.PackingList) || docType == uint8(Document.Declaration)) {
            d = DocumentRule(uint8(Kind.Shipment), MERCHANT_ROLE, true);
        } else if (docType == uint8(Document.InspectionReport)) d = DocumentRule(uint8(Kind.Shipment), CUSTOMS_ROLE, false);
        else if (docType == uint8(Document.RefundClaim)) d = DocumentRule(uint8(Kind.Refund), MERCHANT_ROLE, true);
    }

    function _guard(uint8 verb, bytes32 id, Item storage it) internal view override {
        if (verb == uint8(Verb.Release) && it.data != uint8(Inspection.Pass) && it.data != uint8(Inspection.Waived)) {
            revert InspectionNotCleared(id, uint8(it.data));
        }
    }

    /// @dev A shipment's parties are its operator (the filer) and its merchant.
    function _isParty(bytes32 id, Item storage it, address account) internal view override returns (bool) {
        return account == it.filer || account == _merchants[id];
    }

    /// @dev Logistics operators and the airport anchor tracking batches.
    function _authorizeAnchor() internal view override {
        _requireNotPaused();
        if (!_hasActiveRole(AIRPORT_ROLE, msg.sender)) directory.requireActiveRole(LOGISTICS_ROLE, msg.sender);
    }
}
