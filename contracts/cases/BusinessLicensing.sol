// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title BusinessLicensing
 * @notice Case 7 — multi-terminal business licensing, on {CaseBase}.
 *
 * The business licence itself is an electronic certificate of the framework (an OpenAttestation
 * document issued by the market regulator into the certificate store). This contract adds what
 * the store lacks: one licence per enterprise — keyed by a keyed commitment of its credit code,
 * its id scoped to the case rather than the filer ({_scope}), so a second issuance is refused whichever
 * channel (counter, kiosk, mobile app, web) tries it — with the current certificate's hash and
 * a version that each amendment raises (the old certificate is superseded), the states Active,
 * Suspended, Revoked and Cancelled, and permits of other agencies linked to it. An enterprise
 * presents its licence to a named counterparty with an expiring EIP-712 authorisation, which the
 * counterparty checks here ({checkPresentation}).
 */
contract BusinessLicensing is CaseBase, EIP712 {
    bytes32 public constant MARKET_REGULATOR_ROLE = keccak256("MARKET_REGULATOR_ROLE");
    bytes32 public constant PERMIT_AGENCY_ROLE = keccak256("PERMIT_AGENCY_ROLE");
    bytes32 private constant PRESENTATION_TYPEHASH =
        keccak256("Presentation(bytes32 licence,address counterparty,uint64 expiry)");

    enum Kind { None, Licence, Permit }
    enum Status { None, Active, Suspended, Revoked, Cancelled }
    enum PermitStatus { None, Valid, Withdrawn }
    enum Verb { None, Issue, Amend, Suspend, Reinstate, Revoke, Cancel, GrantPermit, WithdrawPermit }
    enum Channel { None, Counter, Kiosk, Mobile, Web }

    /// @notice A licence: its holder's account, version, issuing channel and current certificate.
    struct Licence {
        address enterprise;
        uint32 version;
        Channel channel;
        bytes32 certificate;
    }

    /// @notice What the SDK shows of a licence or permit (a permit's licence fields are its
    /// licence's).
    struct Details {
        address enterprise;
        uint32 version;
        Channel channel;
        bytes32 certificate;
        bytes32 licence;
        bytes32 permitType;
    }

    mapping(bytes32 id => Licence) private _licences;
    mapping(bytes32 id => bytes32 licence) private _permitLicence;
    mapping(bytes32 id => bytes32 permitType) private _permitTypes;

    error InvalidChannel(uint8 channel);
    error NoEnterprise();
    error LicenceNotActive(bytes32 licence, uint8 state);
    error PresentationExpired(uint64 expiry);
    error NotTheHolder(bytes32 licence, address signer);

    event LicenceIssued(bytes32 indexed id, address indexed enterprise, Channel channel, bytes32 certificate);
    event LicenceAmended(bytes32 indexed id, uint32 version, Channel channel, bytes32 certificate);
    event PermitLinked(bytes32 indexed id, bytes32 indexed licence, bytes32 permitType);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) EIP712("GovChain BusinessLicensing", "1") {}

    /**
     * @notice Issues the licence of the enterprise whose credit code commits to `key` (the
     * market regulator, from any terminal); refused if it has one already.
     * @param key Keyed commitment of the credit code (the same from every terminal).
     * @param enterprise The enterprise's account (an active participant): it presents the licence.
     * @param channel Counter, kiosk, mobile app or web.
     * @param certificate The target hash of the licence certificate issued into the store.
     */
    function issueLicence(bytes32 key, address enterprise, Channel channel, bytes32 certificate)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.Issue), key, certificate);
        if (enterprise == address(0)) revert NoEnterprise();
        if (channel == Channel.None) revert InvalidChannel(uint8(channel));
        if (certificate == bytes32(0)) revert EmptyHash();
        directory.requireActive(enterprise);
        _licences[id] = Licence(enterprise, 1, channel, certificate);
        emit LicenceIssued(id, enterprise, channel, certificate);
    }

    /**
     * @notice Amends licence `id`: a new certificate, a new version; the old one is superseded.
     * @param id The licence.
     * @param channel The terminal the amendment came through.
     * @param certificate The target hash of the amended licence certificate.
     */
    function amend(bytes32 id, Channel channel, bytes32 certificate) external {
        _step(uint8(Verb.Amend), id, certificate);
        if (channel == Channel.None) revert InvalidChannel(uint8(channel));
        if (certificate == bytes32(0)) revert EmptyHash();
        Licence storage l = _licences[id];
        l.version += 1;
        l.channel = channel;
        l.certificate = certificate;
        emit LicenceAmended(id, l.version, channel, certificate);
    }

    /**
     * @notice Links a permit of the caller's agency to an active licence.
     * @param key Keyed commitment of the permit number.
     * @param licence The licence.
     * @param permitType Code of the permit type (e.g. keccak256("food-business")).
     * @param document Salted commitment of the permit document.
     */
    function grantPermit(bytes32 key, bytes32 licence, bytes32 permitType, bytes32 document)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.GrantPermit), key, document);
        Item storage l = _existing(licence, uint8(Kind.Licence));
        if (l.state != uint8(Status.Active)) revert LicenceNotActive(licence, l.state);
        if (permitType == bytes32(0)) revert EmptyHash();
        _permitLicence[id] = licence;
        _permitTypes[id] = permitType;
        emit PermitLinked(id, licence, permitType);
    }

    /// @notice The licence of the credit code committing to `key` (zero if none).
    function licenceOf(bytes32 key) external view returns (bytes32 id) {
        id = idOf(address(this), uint8(Kind.Licence), key);
        if (_itemAt(id).state == NONE) id = bytes32(0);
    }

    /// @notice Licence or permit `id` as the SDK shows it.
    function details(bytes32 id) external view returns (Details memory d) {
        bytes32 licence = _itemAt(id).kind == uint8(Kind.Permit) ? _permitLicence[id] : id;
        Licence memory l = _licences[licence];
        d = Details(l.enterprise, l.version, l.channel, l.certificate, licence == id ? bytes32(0) : licence, _permitTypes[id]);
    }

    /// @notice The EIP-712 digest an enterprise signs to present `licence` to `counterparty`
    /// until `expiry`.
    function presentationDigest(bytes32 licence, address counterparty, uint64 expiry) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(PRESENTATION_TYPEHASH, licence, counterparty, expiry)));
    }

    /**
     * @notice What `counterparty` checks of a presented licence: the authorisation is not expired,
     * was signed by the licence's holder for this counterparty, and the licence is active. Reverts
     * with the reason otherwise; returns the licence's current version and certificate hash.
     */
    function checkPresentation(bytes32 licence, address counterparty, uint64 expiry, bytes calldata signature)
        external
        view
        returns (uint32 version, bytes32 certificate)
    {
        if (expiry <= block.timestamp) revert PresentationExpired(expiry);
        Item storage it = _existing(licence, uint8(Kind.Licence));
        Licence memory l = _licences[licence];
        bytes32 digest = presentationDigest(licence, counterparty, expiry);
        if (!SignatureChecker.isValidSignatureNow(l.enterprise, digest, signature)) revert NotTheHolder(licence, l.enterprise);
        if (it.state != uint8(Status.Active)) revert LicenceNotActive(licence, it.state);
        return (l.version, l.certificate);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint8 l = uint8(Kind.Licence);
        uint8 p = uint8(Kind.Permit);
        uint8 active = uint8(Status.Active);
        uint8 suspended = uint8(Status.Suspended);
        uint64 live = _bit(active) | _bit(suspended);
        bytes32 regulator = MARKET_REGULATOR_ROLE;
        if (verb == uint8(Verb.Issue)) r = Rule(l, _bit(NONE), active, regulator, false, 0, false);
        else if (verb == uint8(Verb.Amend)) r = Rule(l, _bit(active), active, regulator, false, 0, false);
        else if (verb == uint8(Verb.Suspend)) r = Rule(l, _bit(active), suspended, regulator, false, 0, true);
        else if (verb == uint8(Verb.Reinstate)) r = Rule(l, _bit(suspended), active, regulator, false, 0, true);
        else if (verb == uint8(Verb.Revoke)) r = Rule(l, live, uint8(Status.Revoked), regulator, false, 0, true);
        else if (verb == uint8(Verb.Cancel)) r = Rule(l, live, uint8(Status.Cancelled), regulator, false, 0, true);
        else if (verb == uint8(Verb.GrantPermit)) r = Rule(p, _bit(NONE), uint8(PermitStatus.Valid), PERMIT_AGENCY_ROLE, false, 1, false);
        else if (verb == uint8(Verb.WithdrawPermit)) r = Rule(p, _bit(uint8(PermitStatus.Valid)), uint8(PermitStatus.Withdrawn), PERMIT_AGENCY_ROLE, true, 0, true);
    }

    /// @dev A licence is unique in the case (its id is scoped to this contract, not to the
    /// terminal account that files it): a second issuance is refused from any terminal.
    function _scope(uint8 kind) internal view override returns (address) {
        return kind == uint8(Kind.Licence) ? address(this) : msg.sender;
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == 1) d = DocumentRule(uint8(Kind.Permit), PERMIT_AGENCY_ROLE, true);
    }
}
