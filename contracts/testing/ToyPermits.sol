// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ToyPermits
 * @notice The worked example of a case (tests only, see docs/adding-a-case.md): an applicant
 * requests a permit with its plan anchored; an officer approves or refuses it (a refused request
 * may be filed again); the applicant closes an approved permit. Everything else comes from
 * {CaseBase}.
 */
contract ToyPermits is CaseBase {
    bytes32 public constant APPLICANT_ROLE = keccak256("APPLICANT_ROLE");
    bytes32 public constant OFFICER_ROLE = keccak256("OFFICER_ROLE");

    uint8 private constant PERMIT = 1;
    uint8 private constant APPLIED = 1;
    uint8 private constant APPROVED = 2;
    uint8 private constant REFUSED = 3;
    uint8 private constant CLOSED = 4;
    uint8 private constant REQUEST = 1;
    uint8 private constant APPROVE = 2;
    uint8 private constant REFUSE = 3;
    uint8 private constant CLOSE = 4;
    uint8 private constant PLAN = 1;

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /// @notice The applicant requests a permit under `key`, anchoring its plan.
    function request(bytes32 key, bytes32 planHash) external returns (bytes32 id) {
        (id,) = _file(REQUEST, key, planHash);
    }

    /// @notice An officer approves a requested permit.
    function approve(bytes32 id) external {
        _step(APPROVE, id, 0);
    }

    /// @notice An officer refuses a requested permit, with a reason code.
    function refuse(bytes32 id, bytes32 reason) external {
        _step(REFUSE, id, reason);
    }

    /// @notice The applicant closes its approved permit.
    function close(bytes32 id) external {
        _step(CLOSE, id, 0);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        if (verb == REQUEST) r = Rule(PERMIT, _bit(NONE) | _bit(REFUSED), APPLIED, APPLICANT_ROLE, false, PLAN, false);
        else if (verb == APPROVE) r = Rule(PERMIT, _bit(APPLIED), APPROVED, OFFICER_ROLE, false, 0, true);
        else if (verb == REFUSE) r = Rule(PERMIT, _bit(APPLIED), REFUSED, OFFICER_ROLE, false, 0, true);
        else if (verb == CLOSE) r = Rule(PERMIT, _bit(APPROVED), CLOSED, APPLICANT_ROLE, true, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == PLAN) d = DocumentRule(PERMIT, APPLICANT_ROLE, true);
    }
}
