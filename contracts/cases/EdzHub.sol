// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {DistrictHub} from "../core/DistrictHub.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title EdzHub
 * @notice Case 12 — the Beijing Economic-Technological Development Area (E-Town) one-stop zone:
 * one application fans out to every department its service needs (market regulation, tax,
 * public security, social insurance, …), approved in parallel with per-step deadlines, and
 * completed with **every** resulting certificate at once (up to four types — business licence,
 * tax registration, seal permit, social-insurance registration), issued together in one batch
 * when the last approval arrives. Division code 110400 (the E-Town administration).
 */
contract EdzHub is DistrictHub {
    constructor(IParticipantDirectory directory_) DistrictHub(directory_, 110400) {}
}
