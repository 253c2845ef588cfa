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

    // The case's kinds of item, states, verbs (its transition table's rows) and documents.
    enum Kind { None, Declaration }
    enum Status { None, Submitted, Accepted, DutyAssessed, DutyPaid, Released, GatedOut, Rejected }
    enum Verb { None, Submit, Accept, Assess, ConfirmDutyPaid, Release, GateOut, Reject }
    enum Document { None, Goods, Assessment }

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

    mapping(uint32 region => bool) private _regions;
    mapping(bytes32 portCode => Port) private _ports;
    mapping(bytes32 id => bytes32 portCode) private _portOf;

    error UnknownPort(bytes32 port);
    error UnknownRegion(uint32 region);
    error InvalidPort(bytes32 port);
    error WrongRegion(bytes32 id, address customs, uint32 region);
    error NotPortTerminal(bytes32 id, address account, bytes32 port);

    event RegionRegistered(uint32 indexed region);
    event PortRegistered(bytes32 indexed port, uint32 region, address indexed terminal);
    /// @notice A declaration was filed for goods at `port`, in customs region `region`.
    event DeclarationFiled(bytes32 indexed id, bytes32 indexed port, uint32 region);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /**
     * @notice Registers a customs region of the single window (directory administrator).
     * @param region Province-level administrative code (110000 Beijing, 120000 Tianjin, 130000 Hebei).
     */
    function registerRegion(uint32 region) external onlyActive(ADMIN_ROLE) {
        if (region == 0 || region % 10000 != 0) revert UnknownRegion(region);
        _regions[region] = true;
        emit RegionRegistered(region);
    }

    /// @notice True if `region` is a customs region of the single window.
    function isRegion(uint32 region) external view returns (bool) {
        return _regions[region];
    }

    /**
     * @notice Registers (or changes) a port of the single window (directory administrator).
     * @param portCode Port code, e.g. bytes32("CNTXG") for Tianjin Xingang.
     * @param region Administrative code of the port's region (120000 Tianjin, 130000 Hebei).
     * @param terminal The terminal operator that gates goods out there (an active TERMINAL_ROLE holder).
     */
    function registerPort(bytes32 portCode, uint32 region, address terminal) external onlyActive(ADMIN_ROLE) {
        if (portCode == bytes32(0)) revert InvalidPort(portCode);
        if (!_regions[region]) revert UnknownRegion(region);
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
        return _submit(_ruleOf(uint8(Verb.Submit)), Filing(key, portCode, region, goodsHash), true);
    }

    /**
     * @notice Files up to {MAX_BATCH} declarations in one transaction (same rules as {submit}).
     * @param filings The declarations.
     */
    function submitBatch(Filing[] calldata filings) external {
        if (filings.length > MAX_BATCH) revert BadBatch(filings.length);
        Rule memory r = _ruleOf(uint8(Verb.Submit));
        directory.requireActiveRole(r.role, msg.sender);
        for (uint256 i = 0; i < filings.length; ++i) {
            _submit(r, filings[i], false);
        }
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
        if (!_regions[f.region]) revert UnknownRegion(f.region);
        Item storage it;
        (id, it) = _fileAuthorized(uint8(Verb.Submit), r, f.key, f.goodsHash);
        it.data = f.region;
        _portOf[id] = f.port;
        emit DeclarationFiled(id, f.port, f.region);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint64 open = _bit(uint8(Status.Submitted)) | _bit(uint8(Status.Accepted)) | _bit(uint8(Status.DutyAssessed))
            | _bit(uint8(Status.DutyPaid));
        if (verb == uint8(Verb.Submit)) r = Rule(uint8(Kind.Declaration), _bit(NONE), uint8(Status.Submitted), DECLARANT_ROLE, false, uint8(Document.Goods), false);
        else if (verb == uint8(Verb.Accept)) r = Rule(uint8(Kind.Declaration), _bit(uint8(Status.Submitted)), uint8(Status.Accepted), CUSTOMS_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Assess)) r = Rule(uint8(Kind.Declaration), _bit(uint8(Status.Accepted)), uint8(Status.DutyAssessed), CUSTOMS_ROLE, false, uint8(Document.Assessment), true);
        else if (verb == uint8(Verb.ConfirmDutyPaid)) r = Rule(uint8(Kind.Declaration), _bit(uint8(Status.DutyAssessed)), uint8(Status.DutyPaid), TAX_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Release)) r = Rule(uint8(Kind.Declaration), _bit(uint8(Status.DutyPaid)), uint8(Status.Released), CUSTOMS_ROLE, false, 0, true);
        else if (verb == uint8(Verb.GateOut)) r = Rule(uint8(Kind.Declaration), _bit(uint8(Status.Released)), uint8(Status.GatedOut), TERMINAL_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Reject)) r = Rule(uint8(Kind.Declaration), open, uint8(Status.Rejected), CUSTOMS_ROLE, false, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == uint8(Document.Goods)) d = DocumentRule(uint8(Kind.Declaration), DECLARANT_ROLE, true);
        else if (docType == uint8(Document.Assessment)) d = DocumentRule(uint8(Kind.Declaration), CUSTOMS_ROLE, false);
    }

    /// @dev Customs acts on declarations filed in its own region (same province-level code); a
    /// terminal gates out only goods at its own port.
    function _guard(uint8 verb, bytes32 id, Item storage it) internal view override {
        if (verb == uint8(Verb.GateOut)) {
            bytes32 code = _portOf[id];
            if (_ports[code].terminal != msg.sender) revert NotPortTerminal(id, msg.sender, code);
        } else if (verb != uint8(Verb.ConfirmDutyPaid) && verb != uint8(Verb.Submit)) {
            uint32 district = directory.participant(msg.sender).district;
            if (district / 10000 != it.data / 10000) revert WrongRegion(id, msg.sender, uint32(it.data));
        }
    }
}
