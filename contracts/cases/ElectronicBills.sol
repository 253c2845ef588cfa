// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ElectronicBills
 * @notice Case 4 — electronic bills (fapiao) for medical care, donations and education, on
 * {CaseBase}.
 *
 * The finance bureau opens a bill series for one issuer (a hospital, a charity, a school): a
 * public code, the bill type and a range of numbers. The issuer issues bills numbered within it —
 * a number used twice is refused, since a bill's key is the hash of its series code and number —
 * with the face amount in fen, a keyed commitment of the payer's identifier and the hash of the
 * bill document the payer receives. Any registered reimburser (insurer, employer) reimburses part
 * or all of it; the cumulative amount never exceeds the face value, across every reimburser, so
 * nothing is reimbursed twice. The issuer voids a bill (red-letter reversal) only before any
 * reimbursement. The tax bureau deducts a donation receipt once. Anyone verifies a bill from its
 * series code and number, and the document's hash: {billId}, {bill}.
 */
contract ElectronicBills is CaseBase {
    bytes32 public constant FINANCE_ROLE = keccak256("FINANCE_ROLE");
    bytes32 public constant BILL_ISSUER_ROLE = keccak256("BILL_ISSUER_ROLE");
    bytes32 public constant REIMBURSER_ROLE = keccak256("REIMBURSER_ROLE");
    bytes32 public constant TAX_ROLE = keccak256("TAX_ROLE");

    enum Kind { None, Series, Bill }
    enum SeriesStatus { None, Open, Closed }
    enum Status { None, Issued, PartiallyReimbursed, Reimbursed, Voided, Deducted }
    enum Verb { None, OpenSeries, CloseSeries, Issue, ReimbursePart, ReimburseFull, Void, Deduct }
    enum BillType { None, Medical, Donation, Education }

    /// @notice A bill series: its issuer, type, numbers [first, first + count), and the finance
    /// account that opened it (the series item's filer).
    struct Series {
        address issuer;
        BillType billType;
        uint64 first;
        uint64 count;
        address opener;
    }

    /// @notice What the chain keeps of a bill besides its item (amounts in fen).
    struct Bill {
        uint64 face;
        uint64 reimbursed;
        BillType billType;
        bytes32 documentHash;
    }

    mapping(bytes32 code => Series) private _series;
    mapping(bytes32 id => Bill) private _bills;

    error SeriesExists(bytes32 code);
    error UnknownSeries(bytes32 code);
    error InvalidSeries(bytes32 code);
    error NotSeriesIssuer(bytes32 code, address account);
    error SeriesClosed(bytes32 code);
    error NumberOutsideSeries(bytes32 code, uint64 number);
    error BadBillKey(bytes32 key);
    error InvalidAmount(uint64 amount);
    error AboveFaceValue(bytes32 id, uint64 face, uint64 reimbursed, uint64 amount);
    error NotReimbursable(bytes32 id);
    error NotADonation(bytes32 id);

    event SeriesOpened(bytes32 indexed code, address indexed issuer, BillType billType, uint64 first, uint64 count);
    event BillIssued(bytes32 indexed id, bytes32 indexed code, uint64 number, uint64 face, BillType billType, bytes32 payer);
    event BillReimbursed(bytes32 indexed id, address indexed reimburser, uint64 amount, uint64 total);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /**
     * @notice Opens series `code` for `issuer` (finance bureau).
     * @param code The series' public code (keccak256 of its text).
     * @param issuer An active BILL_ISSUER_ROLE holder.
     * @param billType Medical, donation or education.
     * @param first First bill number.
     * @param count How many numbers the series holds.
     */
    function openSeries(bytes32 code, address issuer, BillType billType, uint64 first, uint64 count)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.OpenSeries), code, bytes32(0));
        if (_series[code].issuer != address(0)) revert SeriesExists(code);
        if (billType == BillType.None || count == 0) revert InvalidSeries(code);
        directory.requireActiveRole(BILL_ISSUER_ROLE, issuer);
        _series[code] = Series(issuer, billType, first, count, msg.sender);
        emit SeriesOpened(code, issuer, billType, first, count);
    }

    /**
     * @notice Issues bill `number` of series `code` (the series' issuer).
     * @param key keccak256(abi.encode(code, number)): the bill's public key.
     * @param code The series.
     * @param number The bill's number, within the series.
     * @param face Face amount in fen.
     * @param payer Keyed commitment of the payer's identifier.
     * @param documentHash keccak256 of the bill document the payer receives.
     */
    function issueBill(bytes32 key, bytes32 code, uint64 number, uint64 face, bytes32 payer, bytes32 documentHash)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.Issue), key, documentHash);
        Series memory s = _series[code];
        if (s.issuer == address(0)) revert UnknownSeries(code);
        if (s.issuer != msg.sender) revert NotSeriesIssuer(code, msg.sender);
        if (_itemAt(idOf(s.opener, uint8(Kind.Series), code)).state != uint8(SeriesStatus.Open)) revert SeriesClosed(code);
        if (number < s.first || number - s.first >= s.count) revert NumberOutsideSeries(code, number);
        if (key != keccak256(abi.encode(code, number))) revert BadBillKey(key);
        if (face == 0) revert InvalidAmount(face);
        _bills[id] = Bill(face, 0, s.billType, documentHash);
        emit BillIssued(id, code, number, face, s.billType, payer);
    }

    /**
     * @notice Reimburses `amount` fen of bill `id` (any reimburser); the total never exceeds the
     * face value.
     * @param id The bill.
     * @param amount Fen reimbursed now.
     * @param claim The reimburser's claim reference (a keyed commitment).
     */
    function reimburse(bytes32 id, uint64 amount, bytes32 claim) external {
        Bill storage b = _bills[id];
        uint256 total = uint256(b.reimbursed) + amount;
        _step(uint8(total >= b.face ? Verb.ReimburseFull : Verb.ReimbursePart), id, claim);
        if (amount == 0) revert InvalidAmount(amount);
        if (b.billType == BillType.Donation) revert NotReimbursable(id);
        if (total > b.face) revert AboveFaceValue(id, b.face, b.reimbursed, amount);
        b.reimbursed = uint64(total);
        emit BillReimbursed(id, msg.sender, amount, uint64(total));
    }

    /// @notice The id of bill `number` of series `code` (zero if the series is unknown).
    function billId(bytes32 code, uint64 number) external view returns (bytes32) {
        address issuer = _series[code].issuer;
        if (issuer == address(0)) return bytes32(0);
        return idOf(issuer, uint8(Kind.Bill), keccak256(abi.encode(code, number)));
    }

    /// @notice Amounts, type and document hash of bill `id`.
    function bill(bytes32 id) external view returns (Bill memory) {
        return _bills[id];
    }

    /// @notice Series `code` (issuer zero if unknown).
    function series(bytes32 code) external view returns (Series memory) {
        return _series[code];
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint8 s = uint8(Kind.Series);
        uint8 b = uint8(Kind.Bill);
        uint64 payable_ = _bit(uint8(Status.Issued)) | _bit(uint8(Status.PartiallyReimbursed));
        if (verb == uint8(Verb.OpenSeries)) r = Rule(s, _bit(NONE), uint8(SeriesStatus.Open), FINANCE_ROLE, false, 0, false);
        else if (verb == uint8(Verb.CloseSeries)) r = Rule(s, _bit(uint8(SeriesStatus.Open)), uint8(SeriesStatus.Closed), FINANCE_ROLE, false, 0, true);
        else if (verb == uint8(Verb.Issue)) r = Rule(b, _bit(NONE), uint8(Status.Issued), BILL_ISSUER_ROLE, false, 0, false);
        else if (verb == uint8(Verb.ReimbursePart)) r = Rule(b, payable_, uint8(Status.PartiallyReimbursed), REIMBURSER_ROLE, false, 0, false);
        else if (verb == uint8(Verb.ReimburseFull)) r = Rule(b, payable_, uint8(Status.Reimbursed), REIMBURSER_ROLE, false, 0, false);
        else if (verb == uint8(Verb.Void)) r = Rule(b, _bit(uint8(Status.Issued)), uint8(Status.Voided), BILL_ISSUER_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Deduct)) r = Rule(b, _bit(uint8(Status.Issued)), uint8(Status.Deducted), TAX_ROLE, false, 0, true);
    }

    /// @dev Only a donation receipt is deducted.
    function _guard(uint8 verb, bytes32 id, Item storage) internal view override {
        if (verb == uint8(Verb.Deduct) && _bills[id].billType != BillType.Donation) revert NotADonation(id);
    }
}
