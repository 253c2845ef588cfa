// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {DistrictHub} from "../core/DistrictHub.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ShunyiHub
 * @notice Case 11 — Shunyi district, rule-based automation: besides services approved by
 * departments, Shunyi defines **automatic** services (no department): the contract approves
 * an application when it is filed, because every certificate the service requires was just
 * checked issued and in force on chain; no clerk approves. The office's issuing service then
 * issues the result (see {ServiceHub}).
 */
contract ShunyiHub is DistrictHub {
    constructor(IParticipantDirectory directory_) DistrictHub(directory_, 110113) {}

    function _automaticServices() internal pure override returns (bool) {
        return true;
    }
}
