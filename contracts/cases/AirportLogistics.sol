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

    // Kinds of item, their states, the verbs of the table, inspection results and document types.
    uint8 private constant SHIPMENT = 1;
    uint8 private constant REFUND = 2;
    uint8 private constant BOOKED = 1;
    uint8 private constant RECEIVED = 2;
    uint8 private constant DECLARED = 3;
    uint8 private constant INSPECTED = 4;
    uint8 private constant RELEASED = 5;
    uint8 private constant DEPARTED = 6;
    uint8 private constant ARRIVED = 7;
    uint8 private constant DELIVERED = 8;
    uint8 private constant REQUESTED = 1;
    uint8 private constant APPROVED = 2;
    uint8 private constant REJECTED = 3;
    uint8 private constant PAID = 4;
    uint8 private constant BOOK = 1;
    uint8 private constant RECEIVE = 2;
    uint8 private constant DECLARE = 3;
    uint8 private constant INSPECT = 4;
    uint8 private constant HOLD = 5;
    uint8 private constant RELEASE = 6;
    uint8 private constant DEPART = 7;
    uint8 private constant ARRIVE = 8;
    uint8 private constant DELIVER = 9;
    uint8 private constant REQUEST_REFUND = 10;
    uint8 private constant APPROVE_REFUND = 11;
    uint8 private constant REJECT_REFUND = 12;
    uint8 private constant PAY_REFUND = 13;
    uint8 private constant PASS = 1;
    uint8 private constant HELD = 2;
    uint8 private constant WAIVED = 4;
    uint8 private constant MANIFEST = 1;
    uint8 private constant INVOICE = 2;
    uint8 private constant PACKING_LIST = 3;
    uint8 private constant DECLARATION = 4;
    uint8 private constant INSPECTION_REPORT = 5;
    uint8 private constant REFUND_CLAIM = 6;

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
        (id,) = _file(BOOK, waybill, 0);
        _merchants[id] = merchant;
        emit ShipmentBooked(id, merchant);
    }

    /// @notice The airport receives the cargo at its terminal.
    function receiveAtTerminal(bytes32 id) external {
        _step(RECEIVE, id, 0);
    }

    /// @notice The shipment's merchant declares it to customs (`declarationHash` anchors the declaration).
    function declare(bytes32 id, bytes32 declarationHash) external {
        _step(DECLARE, id, declarationHash);
    }

    /**
     * @notice Customs records an inspection: pass, waived, hold (stays declared) or fail (final).
     * @param id The shipment.
     * @param result 1 pass, 2 hold, 3 fail, 4 waived.
     * @param reportHash Commitment of the inspection report (zero if none).
     */
    function inspect(bytes32 id, uint8 result, bytes32 reportHash) external {
        if (result == 0 || result > WAIVED) revert InvalidInspection(result);
        _step(result == HELD ? HOLD : INSPECT, id, reportHash).data = result;
    }

    /// @notice Customs releases a shipment whose inspection passed or was waived.
    function release(bytes32 id) external {
        _step(RELEASE, id, 0);
    }

    /// @notice The airport records the flight's departure.
    function depart(bytes32 id) external {
        _step(DEPART, id, 0);
    }

    /// @notice The shipment's logistics operator records arrival at destination.
    function arrive(bytes32 id) external {
        _step(ARRIVE, id, 0);
    }

    /// @notice The shipment's logistics operator records delivery to the consignee.
    function deliver(bytes32 id) external {
        _step(DELIVER, id, 0);
    }

    /**
     * @notice The merchant claims the export tax refund of a departed shipment (again, if rejected).
     * @param shipment The shipment's id (the refund's id is derived from it and the merchant).
     * @param claimHash Commitment of the refund claim (amounts stay off chain).
     * @return id The refund's id.
     */
    function requestRefund(bytes32 shipment, bytes32 claimHash) external returns (bytes32 id) {
        Rule memory r = _ruleOf(REQUEST_REFUND);
        directory.requireActiveRole(r.role, msg.sender);
        uint8 state = _existing(shipment, SHIPMENT).state;
        if (_merchants[shipment] != msg.sender || state < DEPARTED) {
            revert RefundNotClaimable(shipment, msg.sender, state);
        }
        (id,) = _fileAuthorized(REQUEST_REFUND, r, shipment, claimHash);
    }

    /// @notice The tax bureau approves a requested refund.
    function approveRefund(bytes32 id) external {
        _step(APPROVE_REFUND, id, 0);
    }

    /// @notice The tax bureau rejects a requested refund with a reason code.
    function rejectRefund(bytes32 id, bytes32 reason) external {
        _step(REJECT_REFUND, id, reason);
    }

    /// @notice The tax bureau records the payment of an approved refund (once).
    function payRefund(bytes32 id, bytes32 paymentReference) external {
        _step(PAY_REFUND, id, paymentReference);
    }

    /// @notice The merchant and the latest inspection result of a shipment.
    function details(bytes32 id) external view returns (Details memory) {
        return Details(_merchants[id], uint8(_itemAt(id).data));
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        if (verb == BOOK) r = Rule(SHIPMENT, _bit(NONE), BOOKED, LOGISTICS_ROLE, false, 0, false);
        else if (verb == RECEIVE) r = Rule(SHIPMENT, _bit(BOOKED), RECEIVED, AIRPORT_ROLE, false, 0, true);
        else if (verb == DECLARE) r = Rule(SHIPMENT, _bit(RECEIVED), DECLARED, MERCHANT_ROLE, true, DECLARATION, false);
        else if (verb == INSPECT) r = Rule(SHIPMENT, _bit(DECLARED), INSPECTED, CUSTOMS_ROLE, false, INSPECTION_REPORT, false);
        else if (verb == HOLD) r = Rule(SHIPMENT, _bit(DECLARED), DECLARED, CUSTOMS_ROLE, false, INSPECTION_REPORT, false);
        else if (verb == RELEASE) r = Rule(SHIPMENT, _bit(INSPECTED), RELEASED, CUSTOMS_ROLE, false, 0, true);
        else if (verb == DEPART) r = Rule(SHIPMENT, _bit(RELEASED), DEPARTED, AIRPORT_ROLE, false, 0, true);
        else if (verb == ARRIVE) r = Rule(SHIPMENT, _bit(DEPARTED), ARRIVED, LOGISTICS_ROLE, true, 0, true);
        else if (verb == DELIVER) r = Rule(SHIPMENT, _bit(ARRIVED), DELIVERED, LOGISTICS_ROLE, true, 0, true);
        else if (verb == REQUEST_REFUND) {
            r = Rule(REFUND, _bit(NONE) | _bit(REJECTED), REQUESTED, MERCHANT_ROLE, false, REFUND_CLAIM, false);
        } else if (verb == APPROVE_REFUND) r = Rule(REFUND, _bit(REQUESTED), APPROVED, TAX_ROLE, false, 0, true);
        else if (verb == REJECT_REFUND) r = Rule(REFUND, _bit(REQUESTED), REJECTED, TAX_ROLE, false, 0, true);
        else if (verb == PAY_REFUND) r = Rule(REFUND, _bit(APPROVED), PAID, TAX_ROLE, false, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == MANIFEST) d = DocumentRule(SHIPMENT, LOGISTICS_ROLE, true);
        else if (docType == INVOICE || docType == PACKING_LIST || docType == DECLARATION) {
            d = DocumentRule(SHIPMENT, MERCHANT_ROLE, true);
        } else if (docType == INSPECTION_REPORT) d = DocumentRule(SHIPMENT, CUSTOMS_ROLE, false);
        else if (docType == REFUND_CLAIM) d = DocumentRule(REFUND, MERCHANT_ROLE, true);
    }

    function _guard(uint8 verb, bytes32 id, Item storage it) internal view override {
        if (verb == RELEASE && it.data != PASS && it.data != WAIVED) {
            revert InspectionNotCleared(id, uint8(it.data));
        }
    }

    /// @dev A shipment's parties are its operator (the filer) and its merchant.
    function _isParty(bytes32 id, Item storage it, address account) internal view override returns (bool) {
        return account == it.filer || account == _merchants[id];
    }

    /// @dev Logistics operators and the airport anchor tracking batches.
    function _authorizeAnchor() internal view override {
        if (!_hasActiveRole(AIRPORT_ROLE, msg.sender)) directory.requireActiveRole(LOGISTICS_ROLE, msg.sender);
    }
}
