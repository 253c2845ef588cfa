// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ServiceHub} from "./ServiceHub.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title DistrictHub
 * @notice A district's {ServiceHub} whose only items are applications: what the SDK shows of
 * one. The district cases 9–12 inherit it with their division code and their own additions.
 */
abstract contract DistrictHub is ServiceHub {
    /// @notice What the SDK shows of an application.
    struct Details {
        uint16 service;
        uint8 pending;
        uint8 overdue;
        uint16 filedOn;
    }

    constructor(IParticipantDirectory directory_, uint32 district_) ServiceHub(directory_, district_) {}

    /// @notice Application `id` as the SDK shows it.
    function details(bytes32 id) external view returns (Details memory d) {
        (d.service, d.pending, d.filedOn, d.overdue) = _application(id);
    }
}
