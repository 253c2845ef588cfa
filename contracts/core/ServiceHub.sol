// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {CaseBase} from "./CaseBase.sol";
import {ICertificateStatus} from "./CertificateTypeStore.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ServiceHub
 * @notice A district's government-service hub, on {CaseBase}: the base of the district cases
 * (8–12). Each district's contract inherits it with its division code and adds its own kinds.
 *
 * - **Service catalogue** (the district office): a service names up to 8 departments that must
 *   approve it — each a directory role (any active holder) or one participant account — with a
 *   deadline in days per step, up to 4 certificate types an applicant must hold, and the
 *   certificate type it issues on completion.
 * - **Applications**: an enterprise applies itself, or a counter clerk of the district office
 *   files for a citizen (a keyed commitment of the ID number, never the number), with the
 *   dossier sealed off chain (its salted commitment on chain) and the prerequisite certificates.
 *   The item's 40 bits hold everything else: service, pending departments (a bitmap), filing day.
 * - **Prerequisites checked on chain**: for each required type, the presented certificate (its
 *   batch root, target hash and Merkle proof) must be issued as that type in the framework's
 *   certificate store (the core, which is also the directory), included in its batch, and in
 *   force — neither it nor its batch revoked or suspended, its batch within its validity
 *   window. A certificate from any district's issuer counts. That it names this applicant is
 *   checked by the SDK against the document (the chain holds no certificate contents).
 * - **Approvals in parallel**: each pending department approves or rejects (with a reason code)
 *   its own step; nobody else's. All approved: the district office completes the application
 *   with the certificates the SDK issued through the certificate framework — up to 4 types a
 *   service issues (the one-stop zone's business licence, tax and seal registrations), all given
 *   at once, each checked issued as its type and in force. Steps past their deadline show in
 *   {overdue}.
 * - **Automatic services** (a district that allows them: {_automaticServices}): a service with
 *   no department is approved by the contract itself when the application is filed, because
 *   every required certificate was just checked in force on chain — no clerk approves. The
 *   office's issuing service (an automated account of the office) then issues the resulting
 *   certificates and completes it; before issuing it checks, with the documents, that they name
 *   the applicant (the chain holds no certificate contents).
 */
abstract contract ServiceHub is CaseBase {
    bytes32 public constant DISTRICT_OFFICE_ROLE = keccak256("DISTRICT_OFFICE_ROLE");
    bytes32 public constant DEPARTMENT_ROLE = keccak256("DEPARTMENT_ROLE");
    bytes32 public constant ENTERPRISE_ROLE = keccak256("ENTERPRISE_ROLE");
    /// @notice Most departments a service names.
    uint256 public constant MAX_DEPARTMENTS = 8;
    /// @notice Most certificate types a service requires.
    uint256 public constant MAX_REQUIRED = 4;
    /// @notice Most certificate types a service issues on completion.
    uint256 public constant MAX_ISSUED = 4;

    uint8 internal constant APPLICATION = 1;
    uint8 internal constant APPLIED = 1;
    uint8 internal constant REJECTED = 2;
    uint8 internal constant COMPLETED = 3;
    uint8 internal constant APPLY = 1;
    uint8 internal constant FILE = 2;
    uint8 internal constant APPROVE = 3;
    uint8 internal constant REJECT = 4;
    uint8 internal constant COMPLETE = 5;
    uint8 internal constant DOSSIER = 1;

    /// @notice A service of the catalogue (one slot; its departments and deadlines beside it).
    struct Service {
        bool active;
        uint8 departments;
        uint8 required;
        uint8 issued;
        /// Required certificate type codes, 16 bits each.
        uint64 requiredTypes;
        /// Certificate type codes issued on completion, 16 bits each.
        uint64 issuedTypes;
    }

    /// @notice A certificate presented as a prerequisite (or issued on completion): its batch
    /// root in the certificate store, its target hash and the proof of one in the other.
    struct Presented {
        bytes32 root;
        bytes32 target;
        bytes32[] proof;
    }

    /// @notice A service as the SDK reads it.
    struct ServiceView {
        bool active;
        uint16[] issues;
        bytes32[] departments;
        uint16[] deadlineDays;
        uint16[] required;
    }

    /// @notice The district's administrative division code (110108 for Haidian).
    uint32 public immutable district;

    mapping(uint16 service => Service) private _services;
    mapping(uint16 service => bytes32[MAX_DEPARTMENTS]) private _departments;
    mapping(uint16 service => uint16[MAX_DEPARTMENTS]) private _deadlines;

    error ServiceExists(uint16 service);
    error UnknownService(uint16 service);
    error InvalidService(uint16 service);
    error NotThisDistrict(address account);
    /// @notice No valid certificate of type `code` was presented (none, another type, not in
    /// its batch).
    error MissingCertificate(uint16 code);
    /// @notice The certificate of type `code` is revoked, suspended or expired.
    error CertificateNotInForce(uint16 code, bytes32 target);
    /// @notice `account` is not a pending department of the application.
    error NotADepartment(bytes32 id, address account);
    /// @notice Departments (a bitmap of steps) have not approved yet.
    error StillPending(bytes32 id, uint8 pending);

    event ServiceDefined(uint16 indexed service, bytes32[] departments, uint16[] deadlineDays, uint16[] required, uint16[] issues);
    event ServiceRetired(uint16 indexed service);
    /// @notice An application for `service` by `applicant` (an enterprise's account, or a
    /// citizen's keyed commitment).
    event Applied(bytes32 indexed id, uint16 service, bytes32 applicant);
    /// @notice A prerequisite certificate of type `code` was shown with the application.
    event CertificateShown(bytes32 indexed id, uint16 code, bytes32 target);
    /// @notice Department step `step` approved (`pending`: the steps still to approve).
    event StepApproved(bytes32 indexed id, uint8 step, uint8 pending);
    /// @notice An automatic service's application approved by the contract on filing.
    event AutoApproved(bytes32 indexed id);
    /// @notice A certificate of type `code` issued for the completed application `id`.
    event CertificateIssued(bytes32 indexed id, uint16 code, bytes32 target);

    constructor(IParticipantDirectory directory_, uint32 district_) CaseBase(directory_) {
        district = district_;
    }

    // ------------------------------------------------------------------------------------------
    // The catalogue
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Defines service `service` (the district office; once: retire it and define another).
     * @param service The service's number in the district's catalogue (non-zero).
     * @param departments Directory roles, or accounts as bytes32(uint160(account)), 1 to 8;
     * none for an automatic service (where the district allows them; it must require at least
     * one certificate).
     * @param deadlineDays Days each department has, from the filing day.
     * @param required Certificate type codes an applicant must hold, at most 4.
     * @param issues Certificate type codes issued on completion, at most 4 (none: nothing).
     */
    function defineService(
        uint16 service,
        bytes32[] calldata departments,
        uint16[] calldata deadlineDays,
        uint16[] calldata required,
        uint16[] calldata issues
    ) external onlyActive(DISTRICT_OFFICE_ROLE) {
        _requireOffice();
        _checkService(service, departments.length, deadlineDays.length, required.length, issues.length);
        for (uint256 i = 0; i < departments.length; ++i) {
            if (departments[i] == bytes32(0) || deadlineDays[i] == 0) revert InvalidService(service);
            _departments[service][i] = departments[i];
            _deadlines[service][i] = deadlineDays[i];
        }
        _services[service] = Service(
            true,
            uint8(departments.length),
            uint8(required.length),
            uint8(issues.length),
            _pack(service, required),
            _pack(service, issues)
        );
        emit ServiceDefined(service, departments, deadlineDays, required, issues);
    }

    /// @notice Stops new applications for `service` (the district office); filed ones go on.
    function retireService(uint16 service) external onlyActive(DISTRICT_OFFICE_ROLE) {
        _requireOffice();
        if (!_services[service].active) revert UnknownService(service);
        _services[service].active = false;
        emit ServiceRetired(service);
    }

    // ------------------------------------------------------------------------------------------
    // Applications
    // ------------------------------------------------------------------------------------------

    /**
     * @notice An enterprise applies for `service` itself.
     * @param key Keyed commitment of the application reference.
     * @param service The service.
     * @param certificates One per required certificate type, in the service's order.
     * @param dossier Salted commitment of the dossier sealed off chain.
     */
    function submit(bytes32 key, uint16 service, Presented[] calldata certificates, bytes32 dossier)
        external
        returns (bytes32 id)
    {
        Item storage it;
        (id, it) = _file(APPLY, key, dossier);
        _open(id, it, service, certificates, dossier, bytes32(uint256(uint160(msg.sender))));
    }

    /**
     * @notice A counter clerk of the district office files a citizen's application.
     * @param key Keyed commitment of the application reference.
     * @param service The service.
     * @param applicant Keyed commitment of the citizen's ID number.
     * @param certificates One per required certificate type, in the service's order.
     * @param dossier Salted commitment of the dossier sealed off chain.
     */
    function fileFor(bytes32 key, uint16 service, bytes32 applicant, Presented[] calldata certificates, bytes32 dossier)
        external
        returns (bytes32 id)
    {
        Item storage it;
        (id, it) = _file(FILE, key, dossier);
        _requireOffice();
        if (applicant == bytes32(0)) revert EmptyHash();
        _open(id, it, service, certificates, dossier, applicant);
    }

    /**
     * @notice The district office completes an application every department approved (or the
     * contract approved: an automatic service), with every certificate issued for it through
     * the certificate framework, in the service's order of types (each checked: issued as that
     * type, in its batch, in force).
     * @param id The application.
     * @param certificates One per type the service issues (none if it issues nothing).
     */
    function complete(bytes32 id, Presented[] calldata certificates) external {
        Item storage it = _step(COMPLETE, id, certificates.length != 0 ? certificates[0].target : bytes32(0));
        Service memory s = _services[uint16(it.data)];
        if (certificates.length > s.issued) revert MissingCertificate(0);
        for (uint256 i = 0; i < s.issued; ++i) {
            uint16 code = uint16(s.issuedTypes >> (16 * i));
            if (i >= certificates.length) revert MissingCertificate(code);
            _requireInForce(code, certificates[i]);
            emit CertificateIssued(id, code, certificates[i].target);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice Service `service` of the catalogue.
    function serviceOf(uint16 service) external view returns (ServiceView memory v) {
        Service memory s = _services[service];
        v.active = s.active;
        v.issues = new uint16[](s.issued);
        for (uint256 i = 0; i < s.issued; ++i) {
            v.issues[i] = uint16(s.issuedTypes >> (16 * i));
        }
        v.departments = new bytes32[](s.departments);
        v.deadlineDays = new uint16[](s.departments);
        v.required = new uint16[](s.required);
        for (uint256 i = 0; i < s.departments; ++i) {
            v.departments[i] = _departments[service][i];
            v.deadlineDays[i] = _deadlines[service][i];
        }
        for (uint256 i = 0; i < s.required; ++i) {
            v.required[i] = uint16(s.requiredTypes >> (16 * i));
        }
    }

    /// @notice The steps of application `id` past their deadline and not yet approved (bitmap;
    /// zero unless the application is open).
    function overdue(bytes32 id) public view returns (uint8 steps) {
        Item storage it = _itemAt(id);
        if (it.kind != APPLICATION || it.state != APPLIED) return 0;
        (uint16 service, uint8 pending, uint16 filedOn) = _unpack(it.data);
        uint256 today = block.timestamp / 1 days;
        for (uint256 i = 0; i < MAX_DEPARTMENTS; ++i) {
            if (pending & (1 << i) != 0 && today > uint256(filedOn) + _deadlines[service][i]) {
                steps |= uint8(1 << i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // For district contracts
    // ------------------------------------------------------------------------------------------

    /// @dev Application `id`'s service, pending steps, filing day (days since 1970) and overdue
    /// steps (all zero for an item of another kind).
    function _application(bytes32 id)
        internal
        view
        returns (uint16 service, uint8 pending, uint16 filedOn, uint8 late)
    {
        Item storage it = _itemAt(id);
        if (it.kind != APPLICATION) return (0, 0, 0, 0);
        (service, pending, filedOn) = _unpack(it.data);
        late = overdue(id);
    }

    /// @dev Whether this district may define automatic services (approved by the contract).
    function _automaticServices() internal pure virtual returns (bool) {
        return false;
    }

    /// @dev Reverts unless the caller is a participant of this district (its office).
    function _requireOffice() internal view {
        if (directory.participant(msg.sender).district != district) revert NotThisDistrict(msg.sender);
    }

    /// @dev The hub's transition table; a district contract extends it with its own verbs.
    function _rule(uint8 verb) internal view virtual override returns (Rule memory r) {
        uint8 a = APPLICATION;
        uint64 open = _bit(NONE) | _bit(REJECTED);
        if (verb == APPLY) r = Rule(a, open, APPLIED, ENTERPRISE_ROLE, false, DOSSIER, false);
        else if (verb == FILE) r = Rule(a, open, APPLIED, DISTRICT_OFFICE_ROLE, false, DOSSIER, false);
        else if (verb == APPROVE) r = Rule(a, _bit(APPLIED), APPLIED, DEPARTMENT_ROLE, false, 0, true);
        else if (verb == REJECT) r = Rule(a, _bit(APPLIED), REJECTED, DEPARTMENT_ROLE, false, 0, true);
        else if (verb == COMPLETE) r = Rule(a, _bit(APPLIED), COMPLETED, DISTRICT_OFFICE_ROLE, false, 0, false);
    }

    function _documentRule(uint8 docType) internal view virtual override returns (DocumentRule memory d) {
        if (docType == DOSSIER) d = DocumentRule(APPLICATION, DEPARTMENT_ROLE, false);
    }

    /// @dev Every item of a hub is unique in the hub, whoever files it: an application number
    /// names one application of the district (an enterprise's own filing or the counter's), a
    /// claim one person's claim.
    function _scope(uint8) internal view override returns (address) {
        return address(this);
    }

    /// @dev Approve and reject: only a pending department, for its own step; complete: every
    /// step approved, by this district's office.
    function _guard(uint8 verb, bytes32 id, Item storage it) internal virtual override {
        if (verb == APPROVE || verb == REJECT) {
            (uint16 service, uint8 pending,) = _unpack(it.data);
            uint8 own = _stepOf(id, service, pending);
            if (verb == APPROVE) {
                pending &= ~uint8(1 << own);
                it.data = (it.data & ~(uint40(0xff) << 16)) | (uint40(pending) << 16);
                emit StepApproved(id, own, pending);
            }
        } else if (verb == COMPLETE) {
            uint8 pending = uint8(it.data >> 16);
            if (pending != 0) revert StillPending(id, pending);
            _requireOffice();
        }
    }

    /// @dev The pending step of application `id` whose department the caller is.
    function _stepOf(bytes32 id, uint16 service, uint8 pending) private view returns (uint8) {
        for (uint8 i = 0; pending >> i != 0; ++i) {
            if (pending & (1 << i) == 0) continue;
            bytes32 d = _departments[service][i];
            bool isAccount = uint256(d) >> 160 == 0;
            if (isAccount ? address(uint160(uint256(d))) == msg.sender : _hasActiveRole(d, msg.sender)) return i;
        }
        revert NotADepartment(id, msg.sender);
    }

    function _open(
        bytes32 id,
        Item storage it,
        uint16 service,
        Presented[] calldata certificates,
        bytes32 dossier,
        bytes32 applicant
    ) private {
        if (dossier == bytes32(0)) revert EmptyHash();
        Service memory s = _services[service];
        if (!s.active) revert UnknownService(service);
        for (uint256 i = 0; i < s.required; ++i) {
            uint16 code = uint16(s.requiredTypes >> (16 * i));
            if (i >= certificates.length) revert MissingCertificate(code);
            _requireInForce(code, certificates[i]);
            emit CertificateShown(id, code, certificates[i].target);
        }
        uint40 pending = uint40((1 << s.departments) - 1);
        it.data = uint40(service) | (pending << 16) | (uint40(block.timestamp / 1 days) << 24);
        emit Applied(id, service, applicant);
        if (s.departments == 0) emit AutoApproved(id); // every required certificate just checked
    }

    /// @dev Reverts unless `c` is a certificate issued as type `code`, in its batch, in force.
    function _requireInForce(uint16 code, Presented calldata c) private view {
        ICertificateStatus store = ICertificateStatus(address(directory));
        if (c.target == c.root || store.issuedAs(code, c.root) == 0) revert MissingCertificate(code);
        if (!MerkleProof.verifyCalldata(c.proof, c.root, c.target)) revert MissingCertificate(code);
        if (store.outOfForce(code, c.root) || store.outOfForce(code, c.target)) {
            revert CertificateNotInForce(code, c.target);
        }
    }

    /// @dev Reverts unless the counts make a service not defined yet.
    function _checkService(uint16 service, uint256 n, uint256 deadlines, uint256 required, uint256 issues)
        private
        view
    {
        bool valid = service != 0 && n <= MAX_DEPARTMENTS && deadlines == n && required <= MAX_REQUIRED
            && issues <= MAX_ISSUED && (n != 0 || (_automaticServices() && required != 0));
        if (!valid) revert InvalidService(service);
        Service memory old = _services[service];
        if (old.departments != 0 || old.required != 0) revert ServiceExists(service); // defined once
    }

    /// @dev Type codes (non-zero) packed 16 bits each.
    function _pack(uint16 service, uint16[] calldata codes) private pure returns (uint64 packed) {
        for (uint256 i = 0; i < codes.length; ++i) {
            if (codes[i] == 0) revert InvalidService(service);
            packed |= uint64(codes[i]) << uint64(16 * i);
        }
    }

    function _unpack(uint40 data) private pure returns (uint16 service, uint8 pending, uint16 filedOn) {
        return (uint16(data), uint8(data >> 16), uint16(data >> 24));
    }
}
