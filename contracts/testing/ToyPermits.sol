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

    // The case's kinds of item, states, verbs (its transition table's rows) and documents.
    enum Kind { None, Permit }
    enum Status { None, Applied, Approved, Refused, Closed }
    enum Verb { None, Request, Approve, Refuse, Close }
    enum Document { None, Plan }

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /// @notice The applicant requests a permit under `key`, anchoring its plan.
    function request(bytes32 key, bytes32 planHash) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Request), key, planHash);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        if (verb == uint8(Verb.Request)) r = Rule(uint8(Kind.Permit), _bit(NONE) | _bit(uint8(Status.Refused)), uint8(Status.Applied), APPLICANT_ROLE, false, uint8(Document.Plan), false);
        else if (verb == uint8(Verb.Approve)) r = Rule(uint8(Kind.Permit), _bit(uint8(Status.Applied)), uint8(Status.Approved), OFFICER_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Refuse)) r = Rule(uint8(Kind.Permit), _bit(uint8(Status.Applied)), uint8(Status.Refused), OFFICER_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Close)) r = Rule(uint8(Kind.Permit), _bit(uint8(Status.Approved)), uint8(Status.Closed), APPLICANT_ROLE, true, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == uint8(Document.Plan)) d = DocumentRule(uint8(Kind.Permit), APPLICANT_ROLE, true);
    }
}
