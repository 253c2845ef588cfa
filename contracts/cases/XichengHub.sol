// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {DistrictHub} from "../core/DistrictHub.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title XichengHub
 * @notice Case 9 — Xicheng district government services: the city centre's catalogue (financial
 * institutions' registrations, residence and business permits, cultural-heritage works) on the
 * common {ServiceHub}; its certificates are accepted as prerequisites in every other district.
 */
contract XichengHub is DistrictHub {
    constructor(IParticipantDirectory directory_) DistrictHub(directory_, 110102) {}
}
