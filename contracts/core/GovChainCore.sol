// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantDirectory} from "./ParticipantDirectory.sol";
import {CertificateStore} from "./CertificateStore.sol";

/**
 * @title GovChainCore
 * @notice The framework's core contract: the one participant directory every case consults, and
 * the certificate store (an OpenAttestation DocumentStore). They share one address so that the
 * certificate store's role checks read the directory's storage directly — one warm storage read
 * instead of a cross-contract call — which keeps a single issuance near 51,000 gas.
 */
contract GovChainCore is ParticipantDirectory, CertificateStore {
    bytes32 private constant ADMIN_ROLE = 0x00;

    /**
     * @param admin The Municipal Government Service Bureau's account (directory administrator).
     * @param adminNameHash keccak256 of the bureau's display name.
     * @param adminDistrict Administrative division code of the bureau.
     * @param storeName Certificate store name shown by OpenAttestation tools.
     */
    constructor(address admin, bytes32 adminNameHash, uint32 adminDistrict, string memory storeName)
        ParticipantDirectory(admin, adminNameHash, adminDistrict)
        CertificateStore(storeName)
    {}

    function _requireActiveRole(bytes32 role) internal view override {
        _checkRole(role, msg.sender);
    }

    function _requireAdmin() internal view override {
        _checkRole(ADMIN_ROLE, msg.sender);
    }

    function _isActiveParticipant(address account) internal view override returns (bool) {
        return _isActive(account);
    }
}
