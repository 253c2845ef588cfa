// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantGated} from "../core/ParticipantGated.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title PortClearance
 * @notice Case 2 — Beijing–Tianjin–Hebei port customs clearance (single window).
 *
 * A declaration, keyed by the keccak256 of its declaration number (re-submitting the same number
 * is refused), names its declarant, the port where the goods are, the customs region it is filed
 * in and the hash of its goods documents, and moves through
 * Submitted -> Accepted -> DutyAssessed -> DutyPaid -> Released -> GatedOut, or Rejected.
 * Customs of the filing region accepts, assesses, releases or rejects; the tax bureau confirms
 * the duty paid; the terminal operator of the port where the goods are gates them out, only after
 * release — also when the declaration was filed in another region (cross-region clearance).
 */
contract PortClearance is ParticipantGated {
    bytes32 public constant DECLARANT_ROLE = keccak256("DECLARANT_ROLE");
    bytes32 public constant CUSTOMS_ROLE = keccak256("CUSTOMS_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");
    bytes32 public constant TERMINAL_ROLE = keccak256("TERMINAL_ROLE");
    bytes32 private constant ADMIN_ROLE = 0x00;
    /// @notice Most declarations one {submitBatch} call may file.
    uint256 public constant MAX_BATCH = 200;

    /// @notice Where a declaration is.
    enum Status {
        None,
        Submitted,
        Accepted,
        DutyAssessed,
        DutyPaid,
        Released,
        GatedOut,
        Rejected
    }

    /// @notice A port of the single window.
    struct Port {
        uint32 region;
        address terminal;
    }

    /// @notice One declaration (two storage slots).
    struct Declaration {
        address declarant;
        Status status;
        uint32 region;
        uint32 updatedAt;
        bytes32 port;
        bytes32 goodsHash;
    }

    /// @notice What a declarant files.
    struct Filing {
        bytes32 declarationId;
        bytes32 port;
        uint32 region;
        bytes32 goodsHash;
    }

    mapping(bytes32 portCode => Port) private _ports;
    mapping(bytes32 declarationId => Declaration) private _declarations;

    error UnknownPort(bytes32 port);
    error InvalidPort(bytes32 port);
    error DeclarationExists(bytes32 declarationId);
    error UnknownDeclaration(bytes32 declarationId);
    error WrongDeclarationStatus(bytes32 declarationId, Status current, Status required);
    error WrongRegion(bytes32 declarationId, address customs, uint32 region);
    error NotPortTerminal(bytes32 declarationId, address account, bytes32 port);
    error CannotReject(bytes32 declarationId, Status current);
    error BatchTooLarge(uint256 size);

    event PortRegistered(bytes32 indexed port, uint32 region, address indexed terminal);
    event DeclarationSubmitted(bytes32 indexed declarationId, address indexed declarant, bytes32 indexed port, uint32 region, bytes32 goodsHash);
    event DeclarationStatusChanged(bytes32 indexed declarationId, Status status, bytes32 ref, address indexed by);

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) {}

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
     * @notice Files a declaration; its number may be filed only once.
     * @param filing Declaration id (keccak256 of the number), port, filing region, goods hash.
     */
    function submit(Filing calldata filing) external onlyActive(DECLARANT_ROLE) {
        _submit(filing);
    }

    /**
     * @notice Files up to {MAX_BATCH} declarations in one transaction (same rules as {submit}).
     * @param filings The declarations.
     */
    function submitBatch(Filing[] calldata filings) external onlyActive(DECLARANT_ROLE) {
        if (filings.length > MAX_BATCH) revert BatchTooLarge(filings.length);
        for (uint256 i = 0; i < filings.length; ++i) {
            _submit(filings[i]);
        }
    }

    /// @notice Customs of the filing region accepts a submitted declaration.
    function accept(bytes32 declarationId) external onlyActive(CUSTOMS_ROLE) {
        _requireRegionalCustoms(declarationId);
        _advance(declarationId, Status.Submitted, Status.Accepted, bytes32(0));
    }

    /**
     * @notice Customs of the filing region assesses the duty.
     * @param assessmentHash keccak256 of the duty assessment (amounts stay off chain).
     */
    function assessDuty(bytes32 declarationId, bytes32 assessmentHash) external onlyActive(CUSTOMS_ROLE) {
        _requireRegionalCustoms(declarationId);
        _advance(declarationId, Status.Accepted, Status.DutyAssessed, assessmentHash);
    }

    /**
     * @notice The tax bureau confirms the duty was paid.
     * @param paymentReference keccak256 of the payment record.
     */
    function confirmDutyPaid(bytes32 declarationId, bytes32 paymentReference) external onlyActive(TAX_ROLE) {
        _advance(declarationId, Status.DutyAssessed, Status.DutyPaid, paymentReference);
    }

    /// @notice Customs of the filing region releases the goods.
    function release(bytes32 declarationId) external onlyActive(CUSTOMS_ROLE) {
        _requireRegionalCustoms(declarationId);
        _advance(declarationId, Status.DutyPaid, Status.Released, bytes32(0));
    }

    /// @notice The terminal of the port where the goods are gates them out, after release.
    function gateOut(bytes32 declarationId) external onlyActive(TERMINAL_ROLE) {
        Declaration storage d = _declaration(declarationId);
        if (_ports[d.port].terminal != msg.sender) revert NotPortTerminal(declarationId, msg.sender, d.port);
        _advance(declarationId, Status.Released, Status.GatedOut, bytes32(0));
    }

    /**
     * @notice Customs of the filing region rejects a declaration before release.
     * @param reason A reason code.
     */
    function reject(bytes32 declarationId, bytes32 reason) external onlyActive(CUSTOMS_ROLE) {
        _requireRegionalCustoms(declarationId);
        Declaration storage d = _declarations[declarationId];
        if (d.status != Status.Submitted && d.status != Status.Accepted && d.status != Status.DutyAssessed) {
            revert CannotReject(declarationId, d.status);
        }
        _set(declarationId, d, Status.Rejected, reason);
    }

    /// @notice The declaration with `declarationId` (status None if unknown).
    function declaration(bytes32 declarationId) external view returns (Declaration memory) {
        return _declarations[declarationId];
    }

    /// @notice The port `portCode` (region 0 if unknown).
    function port(bytes32 portCode) external view returns (Port memory) {
        return _ports[portCode];
    }

    function _submit(Filing calldata f) private {
        if (_declarations[f.declarationId].status != Status.None) revert DeclarationExists(f.declarationId);
        if (_ports[f.port].region == 0) revert UnknownPort(f.port);
        _declarations[f.declarationId] =
            Declaration(msg.sender, Status.Submitted, f.region, uint32(block.timestamp), f.port, f.goodsHash);
        emit DeclarationSubmitted(f.declarationId, msg.sender, f.port, f.region, f.goodsHash);
    }

    /// @dev The one place where the status rule lives: `from` -> `to`, or WrongDeclarationStatus.
    function _advance(bytes32 declarationId, Status from, Status to, bytes32 ref) private {
        Declaration storage d = _declaration(declarationId);
        if (d.status != from) revert WrongDeclarationStatus(declarationId, d.status, from);
        _set(declarationId, d, to, ref);
    }

    function _set(bytes32 declarationId, Declaration storage d, Status to, bytes32 ref) private {
        d.status = to;
        d.updatedAt = uint32(block.timestamp);
        emit DeclarationStatusChanged(declarationId, to, ref, msg.sender);
    }

    function _declaration(bytes32 declarationId) private view returns (Declaration storage d) {
        d = _declarations[declarationId];
        if (d.status == Status.None) revert UnknownDeclaration(declarationId);
    }

    /// @dev Customs acts on declarations filed in its own region (same province-level code).
    function _requireRegionalCustoms(bytes32 declarationId) private view {
        Declaration storage d = _declaration(declarationId);
        uint32 district = directory.participant(msg.sender).district;
        if (district / 10000 != d.region / 10000) revert WrongRegion(declarationId, msg.sender, d.region);
    }
}
