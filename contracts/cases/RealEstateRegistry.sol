// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title RealEstateRegistry
 * @notice Case 6 — municipal real estate registration, on {CaseBase}.
 *
 * The registration centre registers a property unit (a keyed commitment of its unit number) with
 * its owners — accounts: participants', or citizens' government-app keys — and their shares in
 * basis points, summing to 100% (at most {MAX_OWNERS}); the certificate is sealed off chain.
 * Encumbrances are items keyed by the unit: a mortgage (registered by the registrar with a bank as
 * mortgagee, released by that bank only), seizures (a court freezes and unfreezes the unit).
 * A sale: every owner signs the terms (EIP-712: unit, sale number, buyers and shares) and the
 * registrar files the application; every buyer signs the same terms to accept; the tax bureau
 * confirms the deed tax; the registrar completes it — refused while the unit is seized, or while
 * it is mortgaged unless the bank consented to this sale (the mortgage then moves to the new
 * owners or is released, as the bank chose). Deposits in escrow (housing authority), utility
 * account transfers after a sale (utility companies) and tax audits are recorded beside.
 */
contract RealEstateRegistry is CaseBase, EIP712 {
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    bytes32 public constant LENDER_ROLE = keccak256("LENDER_ROLE");
    bytes32 public constant COURT_ROLE = keccak256("COURT_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");
    bytes32 public constant HOUSING_ROLE = keccak256("HOUSING_ROLE");
    bytes32 public constant UTILITY_ROLE = keccak256("UTILITY_ROLE");
    /// @notice Most owners of one unit (one storage slot each).
    uint256 public constant MAX_OWNERS = 4;
    /// @notice 100%, in basis points.
    uint16 public constant WHOLE = 10_000;
    bytes32 private constant TRANSFER_TYPEHASH = keccak256("Transfer(bytes32 unit,uint32 sale,bytes32 buyers)");

    enum Kind { None, Unit, Mortgage, Seizure, Sale, Deposit, Utility, Audit }
    enum Verb { None, Register, Mortgage, Release, Consent, Freeze, Unfreeze, Apply, Accept, PayTax, Complete, Withdraw, Deposit, Refund, Utility, Audit, CloseAudit }
    enum MortgageStatus { None, Registered, Consented, Released }
    enum SaleStatus { None, Applied, Accepted, Taxed, Completed, Withdrawn }
    /// @notice States of the other kinds: a unit registered, a utility transfer recorded; a
    /// seizure, deposit or audit open, then ended (lifted, released, closed).
    uint8 private constant OPEN = 1;
    uint8 private constant ENDED = 2;
    /// @notice A unit's data: live seizures (bits 0-7), owners (8-10), number of its latest sale (11-39).
    uint8 private constant SALE_SHIFT = 11;
    /// @notice What a mortgagee chose for its mortgage when it consented to a sale.
    uint8 public constant MOVE = 1;
    uint8 public constant RELEASE = 2;

    /// @notice One owner of a unit (one slot): since when it holds its share.
    struct Owner {
        address account;
        uint16 share;
        uint40 since;
    }

    /// @notice A mortgage's bank, amount and consent option; a deposit's escrow bank, amount, purpose.
    struct Money {
        address bank;
        uint64 amount;
        uint8 option;
    }

    /// @notice What the SDK shows of an item (fields of other kinds are empty).
    struct Details {
        address[] owners;
        uint16[] shares;
        uint40 since;
        uint8 seizures;
        uint32 sale;
        bytes32 mortgage;
        address bank;
        uint64 amount;
        uint8 consent;
        uint8 purpose;
        uint8 services;
    }

    mapping(bytes32 unit => Owner[4]) private _owners;
    mapping(bytes32 unit => bytes32 mortgage) private _mortgageOf;
    mapping(bytes32 id => Money) private _money;
    mapping(bytes32 sale => bytes32 terms) private _terms;

    error BadOwners(uint256 count);
    error BadShares(uint256 total);
    error InvalidAmount(uint64 amount);
    error InvalidOption(uint8 option);
    error NotALender(address bank);
    error NotOfUnit(bytes32 id, bytes32 unit);
    error UnitSeized(bytes32 unit);
    error AlreadyMortgaged(bytes32 unit, bytes32 mortgage);
    error MortgageNotConsented(bytes32 unit, bytes32 mortgage);
    error NoAgreement(bytes32 id, address account);
    error WrongTerms(bytes32 sale);
    error StaleSale(bytes32 sale);
    error SaleNotCompleted(bytes32 sale);

    event OwnersRecorded(bytes32 indexed id, bytes32 indexed sale, address[] owners, uint16[] shares);
    event MortgageRegistered(bytes32 indexed id, bytes32 indexed unit, address indexed bank, uint64 amount);
    event SaleApplied(bytes32 indexed id, bytes32 indexed unit, uint32 sale, address[] buyers, uint16[] shares);
    event DepositHeld(bytes32 indexed id, bytes32 indexed unit, address indexed bank, uint8 purpose, uint64 amount);
    event UtilityTransferred(bytes32 indexed id, bytes32 indexed sale, uint8 services);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) EIP712("GovChain RealEstate", "1") {}

    /**
     * @notice Registers unit `key` with its owners and shares (the registrar).
     * @param key Keyed commitment of the unit number.
     * @param owners Owners' accounts, at most {MAX_OWNERS}, no repeats.
     * @param shares Each owner's share in basis points, together {WHOLE}.
     * @param certificate Salted commitment of the ownership certificate.
     */
    function register(bytes32 key, address[] calldata owners, uint16[] calldata shares, bytes32 certificate)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.Register), key, certificate);
        _setOwners(id, bytes32(0), owners, shares);
    }

    /**
     * @notice Registers a mortgage on `unit` with `bank` as mortgagee (the registrar).
     * @param unit The unit (not seized, not mortgaged).
     * @param bank The mortgagee (an active LENDER_ROLE holder).
     * @param amount Secured amount in fen.
     * @param document Salted commitment of the mortgage contract.
     */
    function registerMortgage(bytes32 unit, address bank, uint64 amount, bytes32 document) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Mortgage), unit, document);
        _free(unit);
        if (_mortgageOf[unit] != 0) revert AlreadyMortgaged(unit, _mortgageOf[unit]);
        if (!_hasActiveRole(LENDER_ROLE, bank)) revert NotALender(bank);
        if (amount == 0) revert InvalidAmount(amount);
        _mortgageOf[unit] = id;
        _money[id] = Money(bank, amount, 0);
        emit MortgageRegistered(id, unit, bank, amount);
    }

    /**
     * @notice The mortgagee releases mortgage `id` of `unit`.
     * @param id The mortgage.
     * @param unit Its unit.
     * @param ref A reason code (zero if none).
     */
    function release(bytes32 id, bytes32 unit, bytes32 ref) external {
        _of(_step(uint8(Verb.Release), id, ref), id, unit);
        delete _mortgageOf[unit];
    }

    /**
     * @notice The mortgagee consents to the unit's current sale: on completion its mortgage
     * moves to the new owners ({MOVE}) or is released ({RELEASE}).
     * @param id The mortgage.
     * @param unit Its unit.
     * @param option {MOVE} or {RELEASE}.
     */
    function consent(bytes32 id, bytes32 unit, uint8 option) external {
        Item storage it = _step(uint8(Verb.Consent), id, bytes32(uint256(option)));
        _of(it, id, unit);
        if (option != MOVE && option != RELEASE) revert InvalidOption(option);
        it.data = _itemAt(unit).data >> SALE_SHIFT;
        _money[id].option = option;
    }

    /**
     * @notice A court freezes `unit` (its own seizure; several courts may).
     * @param unit The unit.
     * @param order Salted commitment of the court order.
     */
    function freeze(bytes32 unit, bytes32 order) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Freeze), unit, order);
        _existing(unit, uint8(Kind.Unit)).data += 1;
    }

    /**
     * @notice The court lifts its seizure `id` of `unit`.
     * @param id The seizure.
     * @param unit Its unit.
     * @param ref A reason code (zero if none).
     */
    function unfreeze(bytes32 id, bytes32 unit, bytes32 ref) external {
        _of(_step(uint8(Verb.Unfreeze), id, ref), id, unit);
        _itemAt(unit).data -= 1;
    }

    /**
     * @notice Files the sale of `unit` that every owner signed (the registrar).
     * @param unit The unit (not seized).
     * @param buyers The buyers' accounts.
     * @param shares Their shares (together {WHOLE}).
     * @param signatures Every owner's EIP-712 Transfer signature, in the order of the owners.
     * @param deed Salted commitment of the sale contract.
     */
    function applySale(
        bytes32 unit,
        address[] calldata buyers,
        uint16[] calldata shares,
        bytes[] calldata signatures,
        bytes32 deed
    ) external returns (bytes32 id) {
        Item storage sale;
        (id, sale) = _file(uint8(Verb.Apply), unit, deed);
        Item storage u = _free(unit);
        _checkOwners(buyers, shares);
        sale.data = (u.data >> SALE_SHIFT) + 1;
        u.data = (sale.data << SALE_SHIFT) | (u.data & 0x7ff);
        _terms[id] = keccak256(abi.encode(buyers, shares));
        _ownersAgreed(id, unit, (u.data >> 8) & 7, _digest(unit, sale.data, _terms[id]), signatures);
        emit SaleApplied(id, unit, uint32(sale.data), buyers, shares);
    }

    /**
     * @notice Records that every buyer accepted sale `id` (their signatures of its terms).
     * @param id The sale.
     * @param unit Its unit.
     * @param buyers The buyers, as applied.
     * @param shares Their shares, as applied.
     * @param signatures Every buyer's EIP-712 Transfer signature, in the order of the buyers.
     */
    function acceptSale(
        bytes32 id,
        bytes32 unit,
        address[] calldata buyers,
        uint16[] calldata shares,
        bytes[] calldata signatures
    ) external {
        Item storage it = _step(uint8(Verb.Accept), id, bytes32(0));
        bytes32 digest = _digest(unit, it.data, _termsOf(it, id, unit, buyers, shares));
        if (signatures.length != buyers.length) revert NoAgreement(id, address(0));
        for (uint256 i = 0; i < buyers.length; ++i) _agreed(id, buyers[i], digest, signatures[i]);
    }

    /**
     * @notice Completes sale `id`: the buyers own the unit (the registrar).
     * @param id The sale.
     * @param unit Its unit.
     * @param buyers The buyers, as applied.
     * @param shares Their shares, as applied.
     * @param certificate Salted commitment of the new ownership certificate.
     */
    function completeSale(bytes32 id, bytes32 unit, address[] calldata buyers, uint16[] calldata shares, bytes32 certificate)
        external
    {
        Item storage it = _step(uint8(Verb.Complete), id, certificate);
        _termsOf(it, id, unit, buyers, shares);
        Item storage u = _free(unit);
        if (it.data != u.data >> SALE_SHIFT) revert StaleSale(id);
        _settleMortgage(unit, it.data);
        _setOwners(unit, id, buyers, shares);
    }

    /**
     * @notice Records a deposit held in escrow for `unit` (the housing authority).
     * @param unit The unit.
     * @param purpose 1 pre-sale, 2 rental.
     * @param amount Fen held.
     * @param bank The escrow bank (an active LENDER_ROLE holder).
     * @param agreement Salted commitment of the escrow agreement.
     */
    function deposit(bytes32 unit, uint8 purpose, uint64 amount, address bank, bytes32 agreement)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.Deposit), unit, agreement);
        _existing(unit, uint8(Kind.Unit));
        if (purpose == 0 || purpose > 2) revert InvalidOption(purpose);
        if (amount == 0) revert InvalidAmount(amount);
        if (!_hasActiveRole(LENDER_ROLE, bank)) revert NotALender(bank);
        _money[id] = Money(bank, amount, purpose);
        emit DepositHeld(id, unit, bank, purpose, amount);
    }

    /**
     * @notice A utility company records that it moved its accounts to the buyers of completed
     * sale `sale`.
     * @param sale The sale.
     * @param services Bitmask: 1 water, 2 power, 4 gas.
     * @param account Keyed commitment of the new account number.
     */
    function recordUtility(bytes32 sale, uint8 services, bytes32 account) external returns (bytes32 id) {
        Item storage it;
        (id, it) = _file(uint8(Verb.Utility), sale, account);
        if (_existing(sale, uint8(Kind.Sale)).state != uint8(SaleStatus.Completed)) revert SaleNotCompleted(sale);
        if (services == 0 || services > 7) revert InvalidOption(services);
        it.data = services;
        emit UtilityTransferred(id, sale, services);
    }

    /**
     * @notice The tax bureau opens an audit entry on `unit`.
     * @param unit The unit.
     * @param report Salted commitment of the audit report.
     */
    function audit(bytes32 unit, bytes32 report) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Audit), unit, report);
        _existing(unit, uint8(Kind.Unit));
    }

    /// @notice What the SDK shows of item `id`.
    function details(bytes32 id) external view returns (Details memory d) {
        Item storage it = _itemAt(id);
        if (it.kind == uint8(Kind.Unit)) {
            Owner[4] storage owners = _owners[id];
            uint256 n = (it.data >> 8) & 7;
            d.owners = new address[](n);
            d.shares = new uint16[](n);
            for (uint256 i = 0; i < n; ++i) (d.owners[i], d.shares[i]) = (owners[i].account, owners[i].share);
            d.since = owners[0].since;
            d.seizures = uint8(it.data);
            d.sale = uint32(it.data >> SALE_SHIFT);
            d.mortgage = _mortgageOf[id];
            d.bank = _money[d.mortgage].bank;
        } else {
            Money memory m = _money[id];
            (d.bank, d.amount) = (m.bank, m.amount);
            if (it.kind == uint8(Kind.Mortgage)) (d.consent, d.sale) = (m.option, uint32(it.data));
            else if (it.kind == uint8(Kind.Sale)) d.sale = uint32(it.data);
            else if (it.kind == uint8(Kind.Deposit)) d.purpose = m.option;
            else if (it.kind == uint8(Kind.Utility)) d.services = uint8(it.data);
        }
    }

    /// @notice The EIP-712 digest owners and buyers sign for sale number `sale` of `unit`.
    function transferDigest(bytes32 unit, uint32 sale, address[] calldata buyers, uint16[] calldata shares)
        external
        view
        returns (bytes32)
    {
        return _digest(unit, sale, keccak256(abi.encode(buyers, shares)));
    }

    function _setOwners(bytes32 unit, bytes32 sale, address[] calldata owners, uint16[] calldata shares) private {
        _checkOwners(owners, shares);
        Owner[4] storage slots = _owners[unit];
        for (uint256 i = 0; i < MAX_OWNERS; ++i) {
            if (i < owners.length) slots[i] = Owner(owners[i], shares[i], uint40(block.timestamp));
            else if (slots[i].account != address(0)) delete slots[i];
        }
        Item storage u = _itemAt(unit);
        u.data = (u.data & ~uint40(0x700)) | uint40(owners.length << 8);
        emit OwnersRecorded(unit, sale, owners, shares);
    }

    /// @dev A sale completes only with its mortgagee's consent; the mortgage moves or is released.
    function _settleMortgage(bytes32 unit, uint40 number) private {
        bytes32 m = _mortgageOf[unit];
        if (m == 0) return;
        Item storage mi = _itemAt(m);
        if (mi.state != uint8(MortgageStatus.Consented) || mi.data != number) revert MortgageNotConsented(unit, m);
        bool moves = _money[m].option == MOVE;
        uint8 to = uint8(moves ? MortgageStatus.Registered : MortgageStatus.Released);
        if (!moves) delete _mortgageOf[unit];
        mi.state = to;
        mi.updatedAt = uint40(block.timestamp);
        // the bank's choice, done at completion (the sale's OwnersRecorded event names the sale)
        emit Transition(m, msg.sender, uint8(moves ? Verb.Mortgage : Verb.Release), uint8(MortgageStatus.Consented), to, bytes32(0));
    }

    function _checkOwners(address[] calldata owners, uint16[] calldata shares) private pure {
        uint256 n = owners.length;
        if (n == 0 || n > MAX_OWNERS || shares.length != n) revert BadOwners(n);
        uint256 total = 0;
        for (uint256 i = 0; i < n; ++i) {
            if (owners[i] == address(0) || shares[i] == 0) revert BadOwners(n);
            for (uint256 j = 0; j < i; ++j) if (owners[j] == owners[i]) revert BadOwners(n);
            total += shares[i];
        }
        if (total != WHOLE) revert BadShares(total);
    }

    function _termsOf(Item storage it, bytes32 id, bytes32 unit, address[] calldata buyers, uint16[] calldata shares)
        private
        view
        returns (bytes32 terms)
    {
        _of(it, id, unit);
        terms = keccak256(abi.encode(buyers, shares));
        if (terms != _terms[id]) revert WrongTerms(id);
    }

    function _ownersAgreed(bytes32 id, bytes32 unit, uint256 n, bytes32 digest, bytes[] calldata signatures)
        private
        view
    {
        Owner[4] storage owners = _owners[unit];
        if (signatures.length != n) revert NoAgreement(id, address(0));
        for (uint256 i = 0; i < n; ++i) _agreed(id, owners[i].account, digest, signatures[i]);
    }

    function _agreed(bytes32 id, address account, bytes32 digest, bytes calldata signature) private view {
        if (!SignatureChecker.isValidSignatureNow(account, digest, signature)) revert NoAgreement(id, account);
    }

    function _digest(bytes32 unit, uint40 sale, bytes32 terms) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TRANSFER_TYPEHASH, unit, uint32(sale), terms)));
    }

    /// @dev The unit, which must not be seized.
    function _free(bytes32 unit) private view returns (Item storage u) {
        u = _existing(unit, uint8(Kind.Unit));
        if (uint8(u.data) != 0) revert UnitSeized(unit);
    }

    /// @dev Item `id` (filed under `unit`) is `unit`'s.
    function _of(Item storage it, bytes32 id, bytes32 unit) private view {
        if (idOf(it.filer, it.kind, unit) != id) revert NotOfUnit(id, unit);
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        (uint8 u, uint8 m, uint8 s, uint8 sale) = (uint8(Kind.Unit), uint8(Kind.Mortgage), uint8(Kind.Seizure), uint8(Kind.Sale));
        uint8 reg = uint8(MortgageStatus.Registered);
        uint8 consented = uint8(MortgageStatus.Consented);
        uint8 released = uint8(MortgageStatus.Released);
        if (verb == uint8(Verb.Register)) r = Rule(u, _bit(NONE), OPEN, REGISTRAR_ROLE, false, 1, false);
        else if (verb == uint8(Verb.Mortgage)) r = Rule(m, _bit(NONE) | _bit(released), reg, REGISTRAR_ROLE, false, 2, false);
        else if (verb == uint8(Verb.Release)) r = Rule(m, _bit(reg) | _bit(consented), released, LENDER_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Consent)) r = Rule(m, _bit(reg) | _bit(consented), consented, LENDER_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Freeze)) r = Rule(s, _bit(NONE) | _bit(ENDED), OPEN, COURT_ROLE, false, 3, false);
        else if (verb == uint8(Verb.Unfreeze)) r = Rule(s, _bit(OPEN), ENDED, COURT_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Apply)) r = Rule(sale, _bit(NONE) | _bit(uint8(SaleStatus.Completed)) | _bit(uint8(SaleStatus.Withdrawn)), uint8(SaleStatus.Applied), REGISTRAR_ROLE, false, 4, false);
        else if (verb == uint8(Verb.Accept)) r = Rule(sale, _bit(uint8(SaleStatus.Applied)), uint8(SaleStatus.Accepted), REGISTRAR_ROLE, true, 0, false);
        else if (verb == uint8(Verb.PayTax)) r = Rule(sale, _bit(uint8(SaleStatus.Accepted)), uint8(SaleStatus.Taxed), TAX_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Complete)) r = Rule(sale, _bit(uint8(SaleStatus.Taxed)), uint8(SaleStatus.Completed), REGISTRAR_ROLE, true, 1, false);
        else if (verb == uint8(Verb.Withdraw)) r = Rule(sale, _bit(uint8(SaleStatus.Applied)) | _bit(uint8(SaleStatus.Accepted)) | _bit(uint8(SaleStatus.Taxed)), uint8(SaleStatus.Withdrawn), REGISTRAR_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Deposit)) r = Rule(uint8(Kind.Deposit), _bit(NONE) | _bit(ENDED), OPEN, HOUSING_ROLE, false, 5, false);
        else if (verb == uint8(Verb.Refund)) r = Rule(uint8(Kind.Deposit), _bit(OPEN), ENDED, HOUSING_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Utility)) r = Rule(uint8(Kind.Utility), _bit(NONE), OPEN, UTILITY_ROLE, false, 0, false);
        else if (verb == uint8(Verb.Audit)) r = Rule(uint8(Kind.Audit), _bit(NONE) | _bit(ENDED), OPEN, TAX_ROLE, false, 6, false);
        else if (verb == uint8(Verb.CloseAudit)) r = Rule(uint8(Kind.Audit), _bit(OPEN), ENDED, TAX_ROLE, true, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == 1) d = DocumentRule(uint8(Kind.Unit), REGISTRAR_ROLE, true);
        else if (docType == 2) d = DocumentRule(uint8(Kind.Mortgage), REGISTRAR_ROLE, true);
        else if (docType == 3) d = DocumentRule(uint8(Kind.Seizure), COURT_ROLE, true);
        else if (docType == 4) d = DocumentRule(uint8(Kind.Sale), REGISTRAR_ROLE, true);
        else if (docType == 5) d = DocumentRule(uint8(Kind.Deposit), HOUSING_ROLE, true);
        else if (docType == 6) d = DocumentRule(uint8(Kind.Audit), TAX_ROLE, true);
    }

    /// @dev Parties: the filer; a mortgage's bank too (only the bank releases or consents).
    function _isParty(bytes32 id, Item storage it, address account) internal view override returns (bool) {
        return account == it.filer || (it.kind == uint8(Kind.Mortgage) && account == _money[id].bank);
    }

    /// @dev Releasing and consenting is the mortgage's bank's, not its registrar's.
    function _guard(uint8 verb, bytes32 id, Item storage) internal view override {
        if ((verb == uint8(Verb.Release) || verb == uint8(Verb.Consent)) && msg.sender != _money[id].bank) {
            revert NotParty(id, msg.sender);
        }
    }
}
