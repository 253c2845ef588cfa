// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ParticipantGated} from "../core/ParticipantGated.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title AirportLogistics
 * @notice Case 1 — airport international logistics (Municipal Commerce Bureau).
 *
 * A shipment per air waybill (kept as the keccak256 of the waybill number) with its merchant and
 * logistics operator, moving through
 * Booked -> ReceivedAtTerminal -> Declared -> Inspected -> Released -> Departed -> Arrived -> Delivered.
 * Customs inspects a declared shipment: pass, waived, hold (back to Declared, to be inspected
 * again) or fail (final); it releases only a shipment whose inspection passed or was waived.
 * Every transition is done by the role that owns it. Documents (manifest, invoice, packing list,
 * declaration, inspection report) are anchored by hash with uploader and type; the documents
 * themselves are encrypted off chain to the shipment's parties and the authorities.
 * Tracking messages at volume are anchored as Merkle roots (one transaction per batch) and each
 * message is provable on its own. After departure the merchant may claim the export tax refund;
 * the tax bureau approves or rejects it and pays it once.
 */
contract AirportLogistics is ParticipantGated {
    bytes32 public constant MERCHANT_ROLE = keccak256("MERCHANT_ROLE");
    bytes32 public constant LOGISTICS_ROLE = keccak256("LOGISTICS_ROLE");
    bytes32 public constant AIRPORT_ROLE = keccak256("AIRPORT_ROLE");
    bytes32 public constant CUSTOMS_ROLE = keccak256("CUSTOMS_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");

    /// @notice Where a shipment is.
    enum Status {
        None,
        Booked,
        ReceivedAtTerminal,
        Declared,
        Inspected,
        Released,
        Departed,
        Arrived,
        Delivered
    }

    /// @notice Customs' latest inspection result.
    enum Inspection {
        None,
        Pass,
        Hold,
        Fail,
        Waived
    }

    /// @notice The export tax refund of a shipment.
    enum Refund {
        None,
        Requested,
        Approved,
        Rejected,
        Paid
    }

    /// @notice Kinds of shipment documents.
    enum DocumentType {
        None,
        Manifest,
        CommercialInvoice,
        PackingList,
        Declaration,
        InspectionReport
    }

    /// @notice One shipment (two storage slots).
    struct Shipment {
        address merchant;
        Status status;
        Inspection inspection;
        Refund refund;
        uint16 documents;
        uint32 updatedAt;
        address operator;
        bytes32 refundClaim;
    }

    mapping(bytes32 waybill => Shipment) private _shipments;
    /// @dev batch id => Merkle root of tracking messages.
    bytes32[] private _trackingRoots;

    error ShipmentExists(bytes32 waybill);
    error UnknownShipment(bytes32 waybill);
    error WrongShipmentStatus(bytes32 waybill, Status current, Status required);
    error NotShipmentParty(bytes32 waybill, address account);
    error InvalidInspection();
    error InspectionNotCleared(bytes32 waybill, Inspection inspection);
    error InvalidDocumentType();
    error RefundNotAllowed(bytes32 waybill, Refund refund);
    error RefundAlreadyPaid(bytes32 waybill);
    error EmptyTrackingBatch();
    error UnknownTrackingBatch(uint256 batchId);

    event ShipmentBooked(bytes32 indexed waybill, address indexed merchant, address indexed operator);
    event ShipmentStatusChanged(bytes32 indexed waybill, Status status, address indexed by);
    event ShipmentInspected(bytes32 indexed waybill, Inspection result, bytes32 reportHash, address indexed by);
    event DocumentAnchored(bytes32 indexed waybill, DocumentType indexed docType, bytes32 contentHash, address indexed uploader);
    event TrackingBatchAnchored(uint256 indexed batchId, bytes32 root, uint32 messages, address indexed submitter);
    event RefundChanged(bytes32 indexed waybill, Refund refund, bytes32 ref, address indexed by);

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) {}

    // ------------------------------------------------------------------------------------------
    // The shipment's journey
    // ------------------------------------------------------------------------------------------

    /**
     * @notice The logistics operator books a shipment for a merchant.
     * @param waybill keccak256 of the air waybill number.
     * @param merchant The shipper (an active MERCHANT_ROLE holder).
     */
    function book(bytes32 waybill, address merchant) external onlyActive(LOGISTICS_ROLE) {
        if (_shipments[waybill].status != Status.None) revert ShipmentExists(waybill);
        directory.requireActiveRole(MERCHANT_ROLE, merchant);
        _shipments[waybill] = Shipment(
            merchant, Status.Booked, Inspection.None, Refund.None, 0, uint32(block.timestamp), msg.sender, bytes32(0)
        );
        emit ShipmentBooked(waybill, merchant, msg.sender);
        emit ShipmentStatusChanged(waybill, Status.Booked, msg.sender);
    }

    /// @notice The airport receives the cargo at its terminal.
    function receiveAtTerminal(bytes32 waybill) external onlyActive(AIRPORT_ROLE) {
        _advance(waybill, Status.Booked, Status.ReceivedAtTerminal);
    }

    /**
     * @notice The merchant declares the shipment to customs.
     * @param waybill The shipment.
     * @param declarationHash keccak256 of the declaration document.
     */
    function declare(bytes32 waybill, bytes32 declarationHash) external onlyActive(MERCHANT_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (msg.sender != s.merchant) revert NotShipmentParty(waybill, msg.sender);
        _advance(waybill, Status.ReceivedAtTerminal, Status.Declared);
        _anchor(waybill, s, DocumentType.Declaration, declarationHash);
    }

    /**
     * @notice Customs records an inspection of a declared shipment: Pass, Waived, Hold (stays
     * Declared, to be inspected again) or Fail (final).
     * @param waybill The shipment.
     * @param result The result.
     * @param reportHash keccak256 of the inspection report (zero if none).
     */
    function inspect(bytes32 waybill, Inspection result, bytes32 reportHash) external onlyActive(CUSTOMS_ROLE) {
        if (result == Inspection.None) revert InvalidInspection();
        Shipment storage s = _shipment(waybill);
        if (s.status != Status.Declared) revert WrongShipmentStatus(waybill, s.status, Status.Declared);
        s.inspection = result;
        s.updatedAt = uint32(block.timestamp);
        emit ShipmentInspected(waybill, result, reportHash, msg.sender);
        if (result != Inspection.Hold) {
            s.status = Status.Inspected;
            emit ShipmentStatusChanged(waybill, Status.Inspected, msg.sender);
        }
        if (reportHash != bytes32(0)) _anchor(waybill, s, DocumentType.InspectionReport, reportHash);
    }

    /// @notice Customs releases a shipment whose inspection passed or was waived.
    function release(bytes32 waybill) external onlyActive(CUSTOMS_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (s.status == Status.Inspected && s.inspection != Inspection.Pass && s.inspection != Inspection.Waived) {
            revert InspectionNotCleared(waybill, s.inspection);
        }
        _advance(waybill, Status.Inspected, Status.Released);
    }

    /// @notice The airport records the flight's departure.
    function depart(bytes32 waybill) external onlyActive(AIRPORT_ROLE) {
        _advance(waybill, Status.Released, Status.Departed);
    }

    /// @notice The shipment's logistics operator records arrival at destination.
    function arrive(bytes32 waybill) external onlyActive(LOGISTICS_ROLE) {
        _requireOperator(waybill);
        _advance(waybill, Status.Departed, Status.Arrived);
    }

    /// @notice The shipment's logistics operator records delivery to the consignee.
    function deliver(bytes32 waybill) external onlyActive(LOGISTICS_ROLE) {
        _requireOperator(waybill);
        _advance(waybill, Status.Arrived, Status.Delivered);
    }

    // ------------------------------------------------------------------------------------------
    // Documents and tracking messages
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Anchors a shipment document by hash: by the merchant, the operator, or an
     * authority (airport, customs, tax).
     * @param waybill The shipment.
     * @param docType Manifest, invoice, packing list, declaration or inspection report.
     * @param contentHash keccak256 of the document's bytes.
     */
    function anchorDocument(bytes32 waybill, DocumentType docType, bytes32 contentHash) external onlyParticipant {
        if (docType == DocumentType.None) revert InvalidDocumentType();
        Shipment storage s = _shipment(waybill);
        if (msg.sender != s.merchant && msg.sender != s.operator && !_isAuthority(msg.sender)) {
            revert NotShipmentParty(waybill, msg.sender);
        }
        _anchor(waybill, s, docType, contentHash);
    }

    /**
     * @notice Anchors a batch of tracking messages as one Merkle root (logistics operators and the
     * airport).
     * @param root Merkle root (sorted-pair keccak256) of the messages' leaf hashes.
     * @param messages How many messages the batch holds.
     * @return batchId The batch's id.
     */
    function anchorTrackingBatch(bytes32 root, uint32 messages) external onlyParticipant returns (uint256 batchId) {
        if (!_hasActiveRole(LOGISTICS_ROLE, msg.sender) && !_hasActiveRole(AIRPORT_ROLE, msg.sender)) {
            directory.requireActiveRole(LOGISTICS_ROLE, msg.sender);
        }
        if (root == bytes32(0) || messages == 0) revert EmptyTrackingBatch();
        _trackingRoots.push(root);
        batchId = _trackingRoots.length;
        emit TrackingBatchAnchored(batchId, root, messages, msg.sender);
    }

    /**
     * @notice True if `leaf` (the double keccak256 of a message) is in tracking batch `batchId`.
     */
    function verifyTrackingMessage(uint256 batchId, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        if (batchId == 0 || batchId > _trackingRoots.length) revert UnknownTrackingBatch(batchId);
        return MerkleProof.verifyCalldata(proof, _trackingRoots[batchId - 1], leaf);
    }

    /// @notice The Merkle root of tracking batch `batchId`.
    function trackingRoot(uint256 batchId) external view returns (bytes32) {
        if (batchId == 0 || batchId > _trackingRoots.length) revert UnknownTrackingBatch(batchId);
        return _trackingRoots[batchId - 1];
    }

    /// @notice Number of tracking batches anchored.
    function trackingBatchCount() external view returns (uint256) {
        return _trackingRoots.length;
    }

    // ------------------------------------------------------------------------------------------
    // Export tax refund
    // ------------------------------------------------------------------------------------------

    /**
     * @notice The merchant claims the export tax refund after departure.
     * @param waybill The shipment.
     * @param claimHash keccak256 of the refund claim (amounts stay off chain).
     */
    function requestRefund(bytes32 waybill, bytes32 claimHash) external onlyActive(MERCHANT_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (msg.sender != s.merchant) revert NotShipmentParty(waybill, msg.sender);
        if (s.status < Status.Departed) revert WrongShipmentStatus(waybill, s.status, Status.Departed);
        if (s.refund != Refund.None && s.refund != Refund.Rejected) revert RefundNotAllowed(waybill, s.refund);
        s.refundClaim = claimHash;
        _setRefund(waybill, s, Refund.Requested, claimHash);
    }

    /// @notice The tax bureau approves a requested refund.
    function approveRefund(bytes32 waybill) external onlyActive(TAX_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (s.refund != Refund.Requested) revert RefundNotAllowed(waybill, s.refund);
        _setRefund(waybill, s, Refund.Approved, s.refundClaim);
    }

    /// @notice The tax bureau rejects a requested refund (the merchant may claim again).
    function rejectRefund(bytes32 waybill, bytes32 reason) external onlyActive(TAX_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (s.refund != Refund.Requested) revert RefundNotAllowed(waybill, s.refund);
        _setRefund(waybill, s, Refund.Rejected, reason);
    }

    /**
     * @notice The tax bureau records the refund payment; a second payment is refused.
     * @param waybill The shipment.
     * @param paymentReference keccak256 of the payment record.
     */
    function payRefund(bytes32 waybill, bytes32 paymentReference) external onlyActive(TAX_ROLE) {
        Shipment storage s = _shipment(waybill);
        if (s.refund == Refund.Paid) revert RefundAlreadyPaid(waybill);
        if (s.refund != Refund.Approved) revert RefundNotAllowed(waybill, s.refund);
        _setRefund(waybill, s, Refund.Paid, paymentReference);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice The shipment under `waybill` (status None if unknown).
    function shipment(bytes32 waybill) external view returns (Shipment memory) {
        return _shipments[waybill];
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /// @dev The one place where the status rule lives: `from` -> `to`, or WrongShipmentStatus.
    function _advance(bytes32 waybill, Status from, Status to) private {
        Shipment storage s = _shipment(waybill);
        if (s.status != from) revert WrongShipmentStatus(waybill, s.status, from);
        s.status = to;
        s.updatedAt = uint32(block.timestamp);
        emit ShipmentStatusChanged(waybill, to, msg.sender);
    }

    function _anchor(bytes32 waybill, Shipment storage s, DocumentType docType, bytes32 contentHash) private {
        s.documents += 1;
        emit DocumentAnchored(waybill, docType, contentHash, msg.sender);
    }

    function _setRefund(bytes32 waybill, Shipment storage s, Refund refund, bytes32 ref) private {
        s.refund = refund;
        s.updatedAt = uint32(block.timestamp);
        emit RefundChanged(waybill, refund, ref, msg.sender);
    }

    function _shipment(bytes32 waybill) private view returns (Shipment storage s) {
        s = _shipments[waybill];
        if (s.status == Status.None) revert UnknownShipment(waybill);
    }

    function _requireOperator(bytes32 waybill) private view {
        if (msg.sender != _shipment(waybill).operator) revert NotShipmentParty(waybill, msg.sender);
    }

    function _isAuthority(address account) private view returns (bool) {
        return _hasActiveRole(AIRPORT_ROLE, account) || _hasActiveRole(CUSTOMS_ROLE, account)
            || _hasActiveRole(TAX_ROLE, account);
    }
}
