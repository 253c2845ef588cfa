// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title PortClearance
 * @notice Case 2 — Beijing–Tianjin–Hebei port customs clearance (single window), on {CaseBase}.
 *
 * A declaration, filed by its declarant under a keyed commitment of the declaration number (the
 * same declarant cannot file a number twice), names the port where the goods are and the customs
 * region it is filed in; its goods documents are anchored with it. It moves through
 * Submitted -> Accepted -> DutyAssessed -> DutyPaid -> Released -> GatedOut, or Rejected.
 * Customs of the filing region accepts, assesses, releases or rejects; the tax bureau confirms the
 * duty paid; the terminal operator of the port where the goods are gates them out, only after
 * release — also when the declaration was filed in another region (cross-region clearance).
 */
contract PortClearance is CaseBase {
    bytes32 public constant DECLARANT_ROLE = keccak256("DECLARANT_ROLE");
    bytes32 public constant CUSTOMS_ROLE = keccak256("CUSTOMS_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");
    bytes32 public constant TERMINAL_ROLE = keccak256("TERMINAL_ROLE");
    bytes32 private constant ADMIN_ROLE = 0x00;

    // The declaration's states, the verbs of the table and the document types.
    uint8 private constant DECLARATION = 1;
    uint8 private constant SUBMITTED = 1;
    uint8 private constant ACCEPTED = 2;
    uint8 private constant DUTY_ASSESSED = 3;
    uint8 private constant DUTY_PAID = 4;
    uint8 private constant RELEASED = 5;
    uint8 private constant GATED_OUT = 6;
    uint8 private constant REJECTED = 7;
    uint8 private constant SUBMIT = 1;
    uint8 private constant ACCEPT = 2;
    uint8 private constant ASSESS = 3;
    uint8 private constant PAY = 4;
    uint8 private constant RELEASE = 5;
    uint8 private constant GATE_OUT = 6;
    uint8 private constant REJECT = 7;
    uint8 private constant GOODS = 1;
    uint8 private constant ASSESSMENT = 2;

    /// @notice A port of the single window.
    struct Port {
        uint32 region;
        address terminal;
    }

    /// @notice What a declarant files in a batch.
    struct Filing {
        bytes32 key;
        bytes32 port;
        uint32 region;
        bytes32 goodsHash;
    }

    /// @notice What the SDK shows of a declaration besides its item.
    struct Details {
        bytes32 port;
        uint32 region;
    }

    mapping(bytes32 portCode => Port) private _ports;
    mapping(bytes32 id => bytes32 portCode) private _portOf;

    error UnknownPort(bytes32 port);
    error InvalidPort(bytes32 port);
    error WrongRegion(bytes32 id, address customs, uint32 region);
    error NotPortTerminal(bytes32 id, address account, bytes32 port);

    event PortRegistered(bytes32 indexed port, uint32 region, address indexed terminal);
    /// @notice A declaration was filed for goods at `port`, in customs region `region`.
    event DeclarationFiled(bytes32 indexed id, bytes32 indexed port, uint32 region);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /**
     * @notice Registers (or changes) a port of the single window (directory administrator).
     * @param portCode Port code, e.g. bytes32("CNTXG") for Tianjin Xingang.
     * @param region Administrative code of the port's region (120000 Tianjin, 130000 Hebei).
     * @param terminal The terminal operator that gates goods out there (an active TERMINAL_ROLE holder).
     */
    function registerPort(bytes32 portCode, uint32 region, address terminal) external onlyActive(ADMIN_ROLE) {
        if (portCode == bytes32(0) || region == 0) revert InvalidPort(portCode);
        directory.requireActiveRole(TERMINAL_ROLE, terminal);
        _ports[portCode] = Port(region, terminal);
        emit PortRegistered(portCode, region, terminal);
    }

    /**
     * @notice Files a declaration; the declarant cannot file the same number twice.
     * @param key Keyed commitment of the declaration number.
     * @param portCode Port where the goods are.
     * @param region Customs region the declaration is filed in.
     * @param goodsHash Commitment of the goods documents.
     * @return id The declaration's id.
     */
    function submit(bytes32 key, bytes32 portCode, uint32 region, bytes32 goodsHash)
        external
        returns (bytes32 id)
    {
        return _submit(_ruleOf(SUBMIT), Filing(key, portCode, region, goodsHash), true);
    }

    /**
     * @notice Files up to {MAX_BATCH} declarations in one transaction (same rules as {submit}).
     * @param filings The declarations.
     */
    function submitBatch(Filing[] calldata filings) external {
        if (filings.length > MAX_BATCH) revert BadBatch(filings.length);
        Rule memory r = _ruleOf(SUBMIT);
        directory.requireActiveRole(r.role, msg.sender);
        for (uint256 i = 0; i < filings.length; ++i) {
            _submit(r, filings[i], false);
        }
    }

    /// @notice Customs of the filing region accepts a submitted declaration.
    function accept(bytes32 id) external {
        _step(ACCEPT, id, 0);
    }

    /// @notice Customs of the filing region assesses the duty (`assessmentHash` anchors the assessment).
    function assessDuty(bytes32 id, bytes32 assessmentHash) external {
        _step(ASSESS, id, assessmentHash);
    }

    /// @notice The tax bureau confirms the duty was paid (`paymentReference`: commitment of the payment).
    function confirmDutyPaid(bytes32 id, bytes32 paymentReference) external {
        _step(PAY, id, paymentReference);
    }

    /// @notice Customs of the filing region releases the goods.
    function release(bytes32 id) external {
        _step(RELEASE, id, 0);
    }

    /// @notice The terminal of the port where the goods are gates them out, after release.
    function gateOut(bytes32 id) external {
        _step(GATE_OUT, id, 0);
    }

    /// @notice Customs of the filing region rejects a declaration before release, with a reason code.
    function reject(bytes32 id, bytes32 reason) external {
        _step(REJECT, id, reason);
    }

    /// @notice The port `portCode` (region 0 if unknown).
    function port(bytes32 portCode) external view returns (Port memory) {
        return _ports[portCode];
    }

    /// @notice The port and filing region of declaration `id`.
    function details(bytes32 id) external view returns (Details memory) {
        return Details(_portOf[id], uint32(_itemAt(id).data));
    }

    function _submit(Rule memory r, Filing memory f, bool checkRole) private returns (bytes32 id) {
        if (checkRole) directory.requireActiveRole(r.role, msg.sender);
        if (_ports[f.port].region == 0) revert UnknownPort(f.port);
        Item storage it;
        (id, it) = _fileAuthorized(SUBMIT, r, f.key, f.goodsHash);
        it.data = f.region;
        _portOf[id] = f.port;
        emit DeclarationFiled(id, f.port, f.region);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint64 open = _bit(SUBMITTED) | _bit(ACCEPTED) | _bit(DUTY_ASSESSED);
        if (verb == SUBMIT) r = Rule(DECLARATION, _bit(NONE), SUBMITTED, DECLARANT_ROLE, false, GOODS, false);
        else if (verb == ACCEPT) r = Rule(DECLARATION, _bit(SUBMITTED), ACCEPTED, CUSTOMS_ROLE, false, 0, true);
        else if (verb == ASSESS) r = Rule(DECLARATION, _bit(ACCEPTED), DUTY_ASSESSED, CUSTOMS_ROLE, false, ASSESSMENT, false);
        else if (verb == PAY) r = Rule(DECLARATION, _bit(DUTY_ASSESSED), DUTY_PAID, TAX_ROLE, false, 0, true);
        else if (verb == RELEASE) r = Rule(DECLARATION, _bit(DUTY_PAID), RELEASED, CUSTOMS_ROLE, false, 0, true);
        else if (verb == GATE_OUT) r = Rule(DECLARATION, _bit(RELEASED), GATED_OUT, TERMINAL_ROLE, false, 0, true);
        else if (verb == REJECT) r = Rule(DECLARATION, open, REJECTED, CUSTOMS_ROLE, false, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == GOODS) d = DocumentRule(DECLARATION, DECLARANT_ROLE, true);
        else if (docType == ASSESSMENT) d = DocumentRule(DECLARATION, CUSTOMS_ROLE, false);
    }

    /// @dev Customs acts on declarations filed in its own region (same province-level code); a
    /// terminal gates out only goods at its own port.
    function _guard(uint8 verb, bytes32 id, Item storage it) internal view override {
        if (verb == GATE_OUT) {
            bytes32 code = _portOf[id];
            if (_ports[code].terminal != msg.sender) revert NotPortTerminal(id, msg.sender, code);
        } else if (verb != PAY && verb != SUBMIT) {
            uint32 district = directory.participant(msg.sender).district;
            if (district / 10000 != it.data / 10000) revert WrongRegion(id, msg.sender, uint32(it.data));
        }
    }
}
