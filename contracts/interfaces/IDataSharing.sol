// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title IDataSharing
 * @notice What a case contract reads of the data-sharing framework ("directory chain"): a request
 * and the grant it became, and whether that grant is live now. A case that acts on data shared
 * under a data subject's consent (a bank reusing another bank's KYC) checks the grant here rather
 * than keeping a consent of its own.
 */
interface IDataSharing {
    /// @notice Who may obtain a resource.
    enum SharingClass {
        None,
        Open,
        OnApproval,
        NotShared
    }

    /// @notice Where a request stands.
    enum RequestStatus {
        None,
        Pending,
        Approved,
        Rejected,
        Revoked
    }

    /// @notice A catalogue entry.
    struct Resource {
        address owner;
        SharingClass sharing;
        bool personal;
        bool listed;
        bytes32 titleHash;
        bytes32 schemaHash;
    }

    /// @notice A request and, once approved, the grant it became.
    struct Request {
        bytes32 resourceId;
        address requester;
        address subject;
        RequestStatus status;
        bool consented;
        uint64 wantedExpiry;
        uint64 expiry;
        uint32 deliveries;
        bytes32 purpose;
        bytes32 scope;
    }

    /// @notice A catalogue entry.
    function resource(bytes32 resourceId) external view returns (Resource memory);

    /// @notice A request (or grant).
    function getRequest(uint256 requestId) external view returns (Request memory);

    /// @notice Number of requests ever made; ids run from 1 to this.
    function requestCount() external view returns (uint256);

    /**
     * @notice Everything a case checks of a grant, in one call: whether it is live now (0, else
     * the {grantState} reason; 6 if there is no such request), who was granted it, whose data
     * it is about, whose resource it is, and its scope.
     */
    function grantFor(uint256 requestId)
        external
        view
        returns (uint8 state, address requester, address subject, address owner, bytes32 scope);

    /// @notice 0 if the grant is live now; else why not (1 not approved, 2 no consent, 3 expired,
    /// 4 revoked, 5 requester suspended).
    function grantState(uint256 requestId) external view returns (uint8);
}
