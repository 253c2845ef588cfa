// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IDataSharing} from "../interfaces/IDataSharing.sol";

/**
 * @title ConsentGated
 * @notice For a case contract that acts on data shared under a data subject's consent: the consent
 * is a grant of the data-sharing framework (requested, approved by the data's owner, consented by
 * the subject, revocable by either), never a second consent kept by the case. {_requireGrant}
 * checks that a grant is live now and is exactly the caller's, for this subject, from this owner,
 * with this scope — so nobody acts under someone else's consent, another subject's, or one given
 * for other data.
 */
abstract contract ConsentGated {
    /// @dev {IDataSharing.grantFor}'s state for a request that does not exist.
    uint8 private constant NO_SUCH_REQUEST = 6;

    /// @notice The data-sharing contract whose grants this case relies on.
    IDataSharing public immutable sharing;

    /// @notice The data-sharing address given at deployment is zero.
    error SharingRequired();
    /// @notice There is no data-sharing request `requestId`.
    error UnknownGrant(uint256 requestId);
    /// @notice The grant is not live now (1 not approved, 2 no consent, 3 expired, 4 revoked,
    /// 5 requester suspended).
    error GrantNotLive(uint256 requestId, uint8 reason);
    /// @notice The grant is someone else's, or for another subject, owner or scope.
    error GrantNotFor(uint256 requestId);

    constructor(IDataSharing sharing_) {
        if (address(sharing_) == address(0)) revert SharingRequired();
        sharing = sharing_;
    }

    /// @dev Reverts unless grant `requestId` is live and was given to the caller, by `subject`,
    /// for a resource of `owner`, with scope `scope`.
    function _requireGrant(uint256 requestId, address owner, address subject, bytes32 scope) internal view {
        (uint8 why, address requester, address about, address holder, bytes32 granted) = sharing.grantFor(requestId);
        if (why == NO_SUCH_REQUEST) revert UnknownGrant(requestId);
        if (why != 0) revert GrantNotLive(requestId, why);
        if (requester != msg.sender || about != subject || granted != scope || holder != owner) revert GrantNotFor(requestId);
    }
}
