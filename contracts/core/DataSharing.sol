// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ParticipantGated} from "./ParticipantGated.sol";
import {IDataSharing} from "../interfaces/IDataSharing.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title DataSharing
 * @notice The "directory chain": agencies list their data resources in a catalogue; participants
 * request access with a purpose; the owner approves (scope, expiry) or rejects; for personal or
 * enterprise data the data subject must consent too (by transaction, or by an EIP-712 signature
 * that anyone may submit). Either the owner or the subject can revoke at any time. Every delivery
 * of data is logged by the provider with the hash of exactly what was delivered, and acknowledged
 * by the receiver with the same hash. The data itself travels encrypted off chain; events carry
 * every id needed to rebuild the trail by resource, requester or subject.
 */
contract DataSharing is IDataSharing, ParticipantGated, EIP712 {
    /// @notice Role an agency needs to list data resources in the catalogue.
    bytes32 public constant DATA_PROVIDER_ROLE = keccak256("DATA_PROVIDER_ROLE");
    bytes32 private constant CONSENT_TYPEHASH = keccak256(
        "Consent(uint256 requestId,bytes32 resourceId,address requester,bytes32 purpose,bytes32 scope,uint64 expiry,uint256 deadline)"
    );

    /// @notice One logged delivery.
    struct Delivery {
        bytes32 contentHash;
        uint64 deliveredAt;
        uint64 acknowledgedAt;
    }

    mapping(bytes32 resourceId => Resource) private _resources;
    bytes32[] private _resourceIds;
    Request[] private _requests;
    mapping(uint256 requestId => mapping(uint256 deliveryId => Delivery)) private _deliveries;

    error ResourceExists(bytes32 resourceId);
    error UnknownResource(bytes32 resourceId);
    error NotResourceOwner(bytes32 resourceId, address account);
    error InvalidSharingClass();
    error ResourceNotShared(bytes32 resourceId);
    error SubjectRequired(bytes32 resourceId);
    /// @notice A requester cannot name itself as the data subject (and consent to itself).
    error SubjectIsRequester(address requester);
    /// @notice Consent is given to an approved request: its scope and expiry are then known.
    error ConsentBeforeApproval(uint256 requestId);
    error UnknownRequest(uint256 requestId);
    error RequestNotPending(uint256 requestId);
    error NotRequestParty(uint256 requestId, address account);
    error NotDataSubject(uint256 requestId, address account);
    error InvalidExpiry(uint64 expiry);
    error ConsentNotNeeded(uint256 requestId);
    error AlreadyConsented(uint256 requestId);
    error ConsentExpired(uint256 deadline);
    error InvalidConsentSignature(uint256 requestId);
    error GrantNotLive(uint256 requestId, uint8 reason);
    error UnknownDelivery(uint256 requestId, uint256 deliveryId);
    error DeliveryHashMismatch(uint256 requestId, uint256 deliveryId);
    error AlreadyAcknowledged(uint256 requestId, uint256 deliveryId);

    event ResourceListed(bytes32 indexed resourceId, address indexed owner, SharingClass sharing, bool personal, bytes32 titleHash, bytes32 schemaHash);
    event ResourceChanged(bytes32 indexed resourceId, SharingClass sharing, bool listed);
    event AccessRequested(uint256 indexed requestId, bytes32 indexed resourceId, address indexed requester, address subject, bytes32 purpose, uint64 wantedExpiry);
    event AccessApproved(uint256 indexed requestId, bytes32 indexed resourceId, address indexed subject, uint64 expiry, bytes32 scope);
    event AccessRejected(uint256 indexed requestId, bytes32 indexed resourceId, bytes32 reason);
    event ConsentGiven(uint256 indexed requestId, address indexed subject, bool bySignature);
    event GrantRevoked(uint256 indexed requestId, bytes32 indexed resourceId, address indexed by);
    event DataDelivered(uint256 indexed requestId, bytes32 indexed resourceId, address indexed receiver, uint256 deliveryId, bytes32 contentHash, address subject);
    event DeliveryAcknowledged(uint256 indexed requestId, uint256 indexed deliveryId, address indexed receiver, bytes32 contentHash);

    /// @dev Why a grant is not live (the `reason` of {GrantNotLive}).
    uint8 private constant NOT_APPROVED = 1;
    uint8 private constant NO_CONSENT = 2;
    uint8 private constant EXPIRED = 3;
    uint8 private constant REVOKED = 4;
    uint8 private constant REQUESTER_SUSPENDED = 5;
    uint8 private constant UNKNOWN = 6;

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) EIP712("GovChain DataSharing", "1") {}

    // ------------------------------------------------------------------------------------------
    // Catalogue
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Lists a data resource owned by the caller (an active DATA_PROVIDER_ROLE holder).
     * @param resourceId Identifier, e.g. keccak256("social-insurance/contributions").
     * @param titleHash keccak256 of the title (the catalogue text stays off chain).
     * @param schemaHash keccak256 of the data schema.
     * @param sharing Open, OnApproval or NotShared.
     * @param personal True if it holds personal or enterprise data (subject consent required).
     */
    function listResource(bytes32 resourceId, bytes32 titleHash, bytes32 schemaHash, SharingClass sharing, bool personal)
        external
        onlyActive(DATA_PROVIDER_ROLE)
    {
        if (sharing == SharingClass.None) revert InvalidSharingClass();
        if (_resources[resourceId].owner != address(0)) revert ResourceExists(resourceId);
        _resources[resourceId] = Resource(msg.sender, sharing, personal, true, titleHash, schemaHash);
        _resourceIds.push(resourceId);
        emit ResourceListed(resourceId, msg.sender, sharing, personal, titleHash, schemaHash);
    }

    /**
     * @notice Changes a resource's sharing class or withdraws it from the catalogue (owner only).
     * @param resourceId The resource.
     * @param sharing The new class.
     * @param listed False to withdraw it (existing grants stay until revoked or expired).
     */
    function changeResource(bytes32 resourceId, SharingClass sharing, bool listed) external onlyParticipant {
        Resource storage r = _ownedBy(resourceId, msg.sender);
        if (sharing == SharingClass.None) revert InvalidSharingClass();
        r.sharing = sharing;
        r.listed = listed;
        emit ResourceChanged(resourceId, sharing, listed);
    }

    // ------------------------------------------------------------------------------------------
    // Requests, approval, consent, revocation
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Requests access to a resource. Open resources are approved at once (with the
     * wanted expiry); the others wait for the owner.
     * @param resourceId The resource.
     * @param subject The data subject's account (required for personal data, else zero).
     * @param purpose A purpose code (e.g. keccak256 of "unemployment-claim/2026-1042").
     * @param wantedExpiry When the requester wants access to end (unix time).
     * @return requestId The request's id.
     */
    function request(bytes32 resourceId, address subject, bytes32 purpose, uint64 wantedExpiry)
        external
        onlyParticipant
        returns (uint256 requestId)
    {
        Resource storage r = _resources[resourceId];
        if (r.owner == address(0)) revert UnknownResource(resourceId);
        if (!r.listed || r.sharing == SharingClass.NotShared) revert ResourceNotShared(resourceId);
        if (r.personal && subject == address(0)) revert SubjectRequired(resourceId);
        if (subject == msg.sender) revert SubjectIsRequester(msg.sender);
        if (wantedExpiry <= block.timestamp) revert InvalidExpiry(wantedExpiry);
        _requests.push(
            Request(resourceId, msg.sender, r.personal ? subject : address(0), RequestStatus.Pending, false, wantedExpiry, 0, 0, purpose, bytes32(0))
        );
        requestId = _requests.length;
        emit AccessRequested(requestId, resourceId, msg.sender, r.personal ? subject : address(0), purpose, wantedExpiry);
        if (r.sharing == SharingClass.Open) _approve(requestId, wantedExpiry, bytes32(0));
    }

    /**
     * @notice Approves a pending request (resource owner only).
     * @param requestId The request.
     * @param expiry When the grant ends; at most the wanted expiry, in the future.
     * @param scope Scope code of what may be delivered.
     */
    function approve(uint256 requestId, uint64 expiry, bytes32 scope) external onlyParticipant {
        Request storage q = _request(requestId);
        _ownedBy(q.resourceId, msg.sender);
        if (q.status != RequestStatus.Pending) revert RequestNotPending(requestId);
        if (expiry <= block.timestamp || expiry > q.wantedExpiry) revert InvalidExpiry(expiry);
        _approve(requestId, expiry, scope);
    }

    /**
     * @notice Rejects a pending request (resource owner only).
     * @param requestId The request.
     * @param reason A reason code.
     */
    function reject(uint256 requestId, bytes32 reason) external onlyParticipant {
        Request storage q = _request(requestId);
        _ownedBy(q.resourceId, msg.sender);
        if (q.status != RequestStatus.Pending) revert RequestNotPending(requestId);
        q.status = RequestStatus.Rejected;
        emit AccessRejected(requestId, q.resourceId, reason);
    }

    /// @notice The data subject consents to an approved request, as approved (by transaction).
    function consent(uint256 requestId) external {
        Request storage q = _request(requestId);
        if (msg.sender != q.subject) revert NotDataSubject(requestId, msg.sender);
        _consent(requestId, q, false);
    }

    /**
     * @notice Submits the data subject's EIP-712 consent signature (anyone may submit it).
     * @param requestId The request.
     * @param deadline The signature's expiry (unix time).
     * @param signature The subject's signature over Consent(requestId, resourceId, requester,
     * purpose, scope, expiry, deadline): the request as approved.
     */
    function consentWithSignature(uint256 requestId, uint256 deadline, bytes calldata signature) external {
        Request storage q = _request(requestId);
        if (block.timestamp > deadline) revert ConsentExpired(deadline);
        if (q.subject == address(0)) revert ConsentNotNeeded(requestId);
        bytes32 digest = consentDigest(requestId, deadline);
        if (!SignatureChecker.isValidSignatureNow(q.subject, digest, signature)) {
            revert InvalidConsentSignature(requestId);
        }
        _consent(requestId, q, true);
    }

    /**
     * @notice Revokes a request or grant: by the resource owner or by the data subject. Future
     * deliveries are refused; the log keeps what was already delivered.
     * @param requestId The request.
     */
    function revoke(uint256 requestId) external {
        Request storage q = _request(requestId);
        if (msg.sender != q.subject && msg.sender != _resources[q.resourceId].owner) {
            revert NotRequestParty(requestId, msg.sender);
        }
        if (q.status == RequestStatus.Rejected || q.status == RequestStatus.Revoked) revert RequestNotPending(requestId);
        q.status = RequestStatus.Revoked;
        emit GrantRevoked(requestId, q.resourceId, msg.sender);
    }

    // ------------------------------------------------------------------------------------------
    // Deliveries
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Logs a delivery under a live grant (resource owner only).
     * @param requestId The grant.
     * @param contentHash keccak256 of exactly the bytes delivered.
     * @return deliveryId Its number under the grant (from 1).
     */
    function deliver(uint256 requestId, bytes32 contentHash) external onlyParticipant returns (uint256 deliveryId) {
        Request storage q = _request(requestId);
        _ownedBy(q.resourceId, msg.sender);
        uint8 why = _notLive(q);
        if (why != 0) revert GrantNotLive(requestId, why);
        deliveryId = ++q.deliveries;
        _deliveries[requestId][deliveryId] = Delivery(contentHash, uint64(block.timestamp), 0);
        emit DataDelivered(requestId, q.resourceId, q.requester, deliveryId, contentHash, q.subject);
    }

    /**
     * @notice The receiver acknowledges a delivery with the hash of what it received.
     * @param requestId The grant.
     * @param deliveryId The delivery.
     * @param contentHash keccak256 of the bytes received; must equal the logged hash.
     */
    function acknowledge(uint256 requestId, uint256 deliveryId, bytes32 contentHash) external onlyParticipant {
        Request storage q = _request(requestId);
        if (msg.sender != q.requester) revert NotRequestParty(requestId, msg.sender);
        Delivery storage d = _deliveries[requestId][deliveryId];
        if (d.deliveredAt == 0) revert UnknownDelivery(requestId, deliveryId);
        if (d.acknowledgedAt != 0) revert AlreadyAcknowledged(requestId, deliveryId);
        if (d.contentHash != contentHash) revert DeliveryHashMismatch(requestId, deliveryId);
        d.acknowledgedAt = uint64(block.timestamp);
        emit DeliveryAcknowledged(requestId, deliveryId, msg.sender, contentHash);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice A catalogue entry.
    function resource(bytes32 resourceId) external view override returns (Resource memory) {
        return _resources[resourceId];
    }

    /// @notice Every resource id ever listed, in order (a page: `offset`, at most `limit`).
    function resourceIds(uint256 offset, uint256 limit) external view returns (bytes32[] memory ids) {
        uint256 end = offset + limit > _resourceIds.length ? _resourceIds.length : offset + limit;
        ids = new bytes32[](end > offset ? end - offset : 0);
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = _resourceIds[offset + i];
        }
    }

    /// @notice A request (or grant).
    function getRequest(uint256 requestId) external view override returns (Request memory) {
        return _request(requestId);
    }

    /// @notice Number of requests ever made; ids run from 1 to this.
    function requestCount() external view override returns (uint256) {
        return _requests.length;
    }

    /// @notice A logged delivery.
    function delivery(uint256 requestId, uint256 deliveryId) external view returns (Delivery memory) {
        return _deliveries[requestId][deliveryId];
    }

    /// @notice 0 if the grant is live now; else why not (1 not approved, 2 no consent, 3 expired,
    /// 4 revoked, 5 requester suspended).
    function grantState(uint256 requestId) external view override returns (uint8) {
        return _notLive(_request(requestId));
    }

    /// @inheritdoc IDataSharing
    function grantFor(uint256 requestId)
        external
        view
        override
        returns (uint8 state, address requester, address subject, address owner, bytes32 scope)
    {
        if (requestId == 0 || requestId > _requests.length) return (UNKNOWN, address(0), address(0), address(0), 0);
        Request storage q = _requests[requestId - 1];
        return (_notLive(q), q.requester, q.subject, _resources[q.resourceId].owner, q.scope);
    }

    /// @notice The EIP-712 digest a data subject signs to consent to `requestId`.
    function consentDigest(uint256 requestId, uint256 deadline) public view returns (bytes32) {
        Request storage q = _request(requestId);
        return _hashTypedDataV4(
            keccak256(abi.encode(CONSENT_TYPEHASH, requestId, q.resourceId, q.requester, q.purpose, q.scope, q.expiry, deadline))
        );
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    function _approve(uint256 requestId, uint64 expiry, bytes32 scope) private {
        Request storage q = _requests[requestId - 1];
        q.status = RequestStatus.Approved;
        q.expiry = expiry;
        q.scope = scope;
        emit AccessApproved(requestId, q.resourceId, q.subject, expiry, scope);
    }

    function _consent(uint256 requestId, Request storage q, bool bySignature) private {
        if (q.subject == address(0)) revert ConsentNotNeeded(requestId);
        if (q.consented) revert AlreadyConsented(requestId);
        if (q.status == RequestStatus.Pending) revert ConsentBeforeApproval(requestId);
        if (q.status != RequestStatus.Approved) revert RequestNotPending(requestId);
        q.consented = true;
        emit ConsentGiven(requestId, q.subject, bySignature);
    }

    function _notLive(Request storage q) private view returns (uint8) {
        if (q.status == RequestStatus.Revoked) return REVOKED;
        if (q.status != RequestStatus.Approved) return NOT_APPROVED;
        if (q.subject != address(0) && !q.consented) return NO_CONSENT;
        if (block.timestamp >= q.expiry) return EXPIRED;
        if (!directory.isActive(q.requester)) return REQUESTER_SUSPENDED;
        return 0;
    }

    function _request(uint256 requestId) private view returns (Request storage) {
        if (requestId == 0 || requestId > _requests.length) revert UnknownRequest(requestId);
        return _requests[requestId - 1];
    }

    function _ownedBy(bytes32 resourceId, address account) private view returns (Resource storage r) {
        r = _resources[resourceId];
        if (r.owner == address(0)) revert UnknownResource(resourceId);
        if (r.owner != account) revert NotResourceOwner(resourceId, account);
    }
}
