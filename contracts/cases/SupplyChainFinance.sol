// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CaseBase} from "../core/CaseBase.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title SupplyChainFinance
 * @notice Case 5 — Haidian SME supply-chain finance, on {CaseBase}.
 *
 * A government buyer registers a procurement contract with an SME supplier (amount in fen, the
 * contract document sealed off chain). The SME submits invoices against it; the buyer confirms
 * one — a confirmed receivable — only while the contract's confirmed total stays within its
 * amount, so the same goods are never confirmed twice. The SME pledges a confirmed receivable to
 * one lender at a time (a receivable is pledged once: a second pledge is refused while the first
 * stands; a lender that declines releases it); the lender finances it once, up to its amount; the
 * buyer repays the lender; a financed receivable past its due date and not repaid is overdue.
 * Data agencies (tax, social insurance) record credit attestations of an SME — only a salted
 * commitment of the value on chain; the value reaches a lender through the data-sharing framework
 * under the SME's consent. Each SME's totals (contracted, confirmed, financed, repaid) are kept in
 * one slot, read in one call.
 */
contract SupplyChainFinance is CaseBase {
    bytes32 public constant BUYER_ROLE = keccak256("BUYER_ROLE");
    bytes32 public constant SME_ROLE = keccak256("SME_ROLE");
    bytes32 public constant LENDER_ROLE = keccak256("LENDER_ROLE");
    bytes32 public constant CREDIT_AGENCY_ROLE = keccak256("CREDIT_AGENCY_ROLE");

    enum Kind { None, Contract, Invoice, Attestation }
    enum ContractStatus { None, Active, Closed }
    enum Status { None, Submitted, Confirmed, Pledged, Financed, Repaid, Rejected }
    enum AttestationStatus { None, Current, Withdrawn }
    enum Verb { None, Register, Close, Submit, Confirm, Reject, Pledge, Decline, Finance, Repay, Attest, Withdraw }
    enum Metric { None, TaxGrade, SocialInsuranceHeadcount, CreditRating }

    /// @notice A procurement contract: its supplier and amount; the confirmed total beside it.
    struct Procurement {
        address supplier;
        uint64 amount;
    }

    /// @notice An invoice: its contract, amount and the lender it is pledged to (due date in the
    /// item's data).
    struct Invoice {
        bytes32 procurement;
        uint64 amount;
        address lender;
    }

    /// @notice An SME's running totals in fen (one slot).
    struct Totals {
        uint64 contracted;
        uint64 confirmed;
        uint64 financed;
        uint64 repaid;
    }

    /// @notice What the SDK shows of an item (fields of other kinds are zero).
    struct Details {
        address supplier;
        uint64 amount;
        bytes32 procurement;
        address lender;
        uint40 due;
        bool overdue;
        Metric metric;
    }

    mapping(bytes32 id => Procurement) private _procurements;
    mapping(bytes32 id => uint64) private _confirmedOf;
    mapping(bytes32 id => Invoice) private _invoices;
    mapping(bytes32 id => address sme) private _attestedSme;
    mapping(bytes32 id => Metric) private _metrics;
    mapping(address sme => Totals) private _totals;

    error InvalidAmount(uint64 amount);
    error InvalidDueDate(uint40 due);
    error NotSupplier(bytes32 procurement, address account);
    error ContractNotActive(bytes32 procurement);
    error AboveContract(bytes32 procurement, uint64 amount, uint64 confirmed, uint64 invoice);
    error AboveReceivable(bytes32 id, uint64 amount, uint64 receivable);
    error NotALender(address lender);
    error InvalidMetric(uint8 metric);

    event ContractRegistered(bytes32 indexed id, address indexed supplier, uint64 amount);
    event InvoiceSubmitted(bytes32 indexed id, bytes32 indexed procurement, uint64 amount, uint40 due);
    event Pledged(bytes32 indexed id, address indexed lender, address indexed sme);
    event Financed(bytes32 indexed id, address indexed lender, uint64 amount);
    event Repaid(bytes32 indexed id, address indexed lender, uint64 amount);
    event CreditAttested(bytes32 indexed id, address indexed sme, Metric metric);

    constructor(IParticipantDirectory directory_) CaseBase(directory_) {}

    /**
     * @notice Registers procurement contract `key` with `supplier` (a government buyer).
     * @param key Keyed commitment of the contract number.
     * @param supplier The SME (an active SME_ROLE holder).
     * @param amount Contract amount in fen.
     * @param document Salted commitment of the contract document.
     */
    function registerContract(bytes32 key, address supplier, uint64 amount, bytes32 document)
        external
        returns (bytes32 id)
    {
        (id,) = _file(uint8(Verb.Register), key, document);
        if (amount == 0) revert InvalidAmount(amount);
        directory.requireActiveRole(SME_ROLE, supplier);
        _procurements[id] = Procurement(supplier, amount);
        _totals[supplier].contracted += amount;
        emit ContractRegistered(id, supplier, amount);
    }

    /**
     * @notice Submits invoice `key` against `procurement` (its supplier).
     * @param key Keyed commitment of the invoice number.
     * @param procurement The contract.
     * @param amount Invoice amount in fen.
     * @param due When the buyer pays (unix time, in the future).
     * @param document Salted commitment of the invoice document.
     */
    function submitInvoice(bytes32 key, bytes32 procurement, uint64 amount, uint40 due, bytes32 document)
        external
        returns (bytes32 id)
    {
        Item storage it;
        (id, it) = _file(uint8(Verb.Submit), key, document);
        Procurement storage p = _procurements[procurement];
        if (p.supplier != msg.sender) revert NotSupplier(procurement, msg.sender);
        if (_itemAt(procurement).state != uint8(ContractStatus.Active)) revert ContractNotActive(procurement);
        if (amount == 0 || amount > p.amount) revert InvalidAmount(amount);
        if (due <= block.timestamp) revert InvalidDueDate(due);
        it.data = due;
        _invoices[id] = Invoice(procurement, amount, address(0));
        emit InvoiceSubmitted(id, procurement, amount, due);
    }

    /**
     * @notice The SME pledges confirmed receivable `id` to `lender`, asking for financing.
     * @param id The invoice.
     * @param lender An active LENDER_ROLE holder.
     */
    function pledge(bytes32 id, address lender) external {
        _step(uint8(Verb.Pledge), id, bytes32(0));
        if (!_hasActiveRole(LENDER_ROLE, lender)) revert NotALender(lender);
        _invoices[id].lender = lender;
        emit Pledged(id, lender, msg.sender);
    }

    /**
     * @notice The lender the receivable is pledged to finances it, once, up to its amount.
     * @param id The invoice.
     * @param amount Fen financed.
     * @param ref Keyed commitment of the lender's loan reference.
     */
    function finance(bytes32 id, uint64 amount, bytes32 ref) external {
        Item storage it = _step(uint8(Verb.Finance), id, ref);
        Invoice storage inv = _invoices[id];
        if (amount == 0 || amount > inv.amount) revert AboveReceivable(id, amount, inv.amount);
        _totals[it.filer].financed += amount;
        emit Financed(id, msg.sender, amount);
    }

    /**
     * @notice The buyer repays financed receivable `id` to its lender (its full amount).
     * @param id The invoice.
     * @param ref Keyed commitment of the payment reference.
     */
    function repay(bytes32 id, bytes32 ref) external {
        Item storage it = _step(uint8(Verb.Repay), id, ref);
        Invoice storage inv = _invoices[id];
        _totals[it.filer].repaid += inv.amount;
        emit Repaid(id, inv.lender, inv.amount);
    }

    /**
     * @notice Records a credit attestation of `sme` (a data agency): only the salted commitment
     * of the value goes on chain; the value is shared under the SME's consent.
     * @param key Keyed commitment of the attestation's reference.
     * @param sme The SME attested.
     * @param metric Tax grade, social-insurance headcount or credit rating.
     * @param value Salted commitment of the attested value (sealed off chain).
     */
    function attest(bytes32 key, address sme, Metric metric, bytes32 value) external returns (bytes32 id) {
        (id,) = _file(uint8(Verb.Attest), key, value);
        if (metric == Metric.None) revert InvalidMetric(uint8(metric));
        directory.requireActiveRole(SME_ROLE, sme);
        _attestedSme[id] = sme;
        _metrics[id] = metric;
        emit CreditAttested(id, sme, metric);
    }

    /// @notice An SME's totals in fen: contracted, confirmed, financed, repaid.
    function totals(address sme) external view returns (Totals memory) {
        return _totals[sme];
    }

    /// @notice What the SDK shows of contract, invoice or attestation `id`.
    function details(bytes32 id) external view returns (Details memory d) {
        Item storage it = _itemAt(id);
        if (it.kind == uint8(Kind.Contract)) {
            Procurement memory p = _procurements[id];
            d.supplier = p.supplier;
            d.amount = p.amount;
        } else if (it.kind == uint8(Kind.Invoice)) {
            Invoice memory inv = _invoices[id];
            d.supplier = it.filer;
            d.amount = inv.amount;
            d.procurement = inv.procurement;
            d.lender = inv.lender;
            d.due = uint40(it.data);
            d.overdue = it.state == uint8(Status.Financed) && it.data < block.timestamp;
        } else if (it.kind == uint8(Kind.Attestation)) {
            d.supplier = _attestedSme[id];
            d.metric = _metrics[id];
        }
    }

    function _rule(uint8 verb) internal pure override returns (Rule memory r) {
        uint8 c = uint8(Kind.Contract);
        uint8 i = uint8(Kind.Invoice);
        uint8 a = uint8(Kind.Attestation);
        if (verb == uint8(Verb.Register)) r = Rule(c, _bit(NONE), uint8(ContractStatus.Active), BUYER_ROLE, false, 1, false);
        else if (verb == uint8(Verb.Close)) r = Rule(c, _bit(uint8(ContractStatus.Active)), uint8(ContractStatus.Closed), BUYER_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Submit)) r = Rule(i, _bit(NONE), uint8(Status.Submitted), SME_ROLE, false, 2, false);
        else if (verb == uint8(Verb.Confirm)) r = Rule(i, _bit(uint8(Status.Submitted)), uint8(Status.Confirmed), BUYER_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Reject)) r = Rule(i, _bit(uint8(Status.Submitted)), uint8(Status.Rejected), BUYER_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Pledge)) r = Rule(i, _bit(uint8(Status.Confirmed)), uint8(Status.Pledged), SME_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Decline)) r = Rule(i, _bit(uint8(Status.Pledged)), uint8(Status.Confirmed), LENDER_ROLE, true, 0, true);
        else if (verb == uint8(Verb.Finance)) r = Rule(i, _bit(uint8(Status.Pledged)), uint8(Status.Financed), LENDER_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Repay)) r = Rule(i, _bit(uint8(Status.Financed)), uint8(Status.Repaid), BUYER_ROLE, true, 0, false);
        else if (verb == uint8(Verb.Attest)) r = Rule(a, _bit(NONE), uint8(AttestationStatus.Current), CREDIT_AGENCY_ROLE, false, 3, false);
        else if (verb == uint8(Verb.Withdraw)) r = Rule(a, _bit(uint8(AttestationStatus.Current)), uint8(AttestationStatus.Withdrawn), CREDIT_AGENCY_ROLE, true, 0, true);
    }

    function _documentRule(uint8 docType) internal pure override returns (DocumentRule memory d) {
        if (docType == 1) d = DocumentRule(uint8(Kind.Contract), BUYER_ROLE, true);
        else if (docType == 2) d = DocumentRule(uint8(Kind.Invoice), SME_ROLE, true);
        else if (docType == 3) d = DocumentRule(uint8(Kind.Attestation), CREDIT_AGENCY_ROLE, true);
    }

    /// @dev Parties: an invoice's SME, its contract's buyer and its lender; a contract's buyer
    /// and supplier; an attestation's agency.
    function _isParty(bytes32 id, Item storage it, address account) internal view override returns (bool) {
        if (account == it.filer) return true;
        if (it.kind == uint8(Kind.Invoice)) {
            Invoice storage inv = _invoices[id];
            return account == inv.lender || account == _itemAt(inv.procurement).filer;
        }
        return it.kind == uint8(Kind.Contract) && account == _procurements[id].supplier;
    }

    /// @dev Confirming keeps the contract's confirmed total within its amount; confirming,
    /// rejecting and repaying is its buyer's; declining and financing the pledged lender's.
    function _guard(uint8 verb, bytes32 id, Item storage it) internal override {
        if (verb == uint8(Verb.Confirm) || verb == uint8(Verb.Reject) || verb == uint8(Verb.Repay)) {
            Invoice storage inv = _invoices[id];
            if (msg.sender != _itemAt(inv.procurement).filer) revert NotParty(id, msg.sender);
            if (verb == uint8(Verb.Confirm)) _confirm(inv);
        } else if (verb == uint8(Verb.Decline) || verb == uint8(Verb.Finance)) {
            if (msg.sender != _invoices[id].lender) revert NotParty(id, msg.sender);
        } else if (verb == uint8(Verb.Pledge) && msg.sender != it.filer) {
            revert NotParty(id, msg.sender);
        }
    }

    function _confirm(Invoice storage inv) private {
        bytes32 p = inv.procurement;
        if (_itemAt(p).state != uint8(ContractStatus.Active)) revert ContractNotActive(p);
        uint64 confirmed = _confirmedOf[p];
        uint64 limit = _procurements[p].amount;
        if (uint256(confirmed) + inv.amount > limit) revert AboveContract(p, limit, confirmed, inv.amount);
        _confirmedOf[p] = confirmed + inv.amount;
        _totals[_procurements[p].supplier].confirmed += inv.amount;
    }
}
