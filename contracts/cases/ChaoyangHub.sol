// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {DistrictHub} from "../core/DistrictHub.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ChaoyangHub
 * @notice Case 10 — Chaoyang district government services (foreign-enterprise, trade and
 * catering services) on the common {ServiceHub}; some of its services require certificates
 * another district issued (a Xicheng residence permit for a foreign professional's work permit).
 */
contract ChaoyangHub is DistrictHub {
    constructor(IParticipantDirectory directory_) DistrictHub(directory_, 110105) {}
}
