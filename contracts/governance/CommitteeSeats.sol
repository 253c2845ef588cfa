// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Votes} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title CommitteeSeats
 * @notice The seats of the governance committee: one non-transferable ERC-721 token per member
 * agency, each worth one vote (OpenZeppelin's ERC721Votes, read by {GovCommittee}). Seats are
 * given and taken only by the owner — the committee's timelock once a deployment is handed over —
 * so changing the committee is itself a committee vote. A seat goes only to an active agency of
 * the participant directory; its vote counts for its holder from the moment it is given (no
 * delegation: votes can neither move nor be pooled). The clock is the block timestamp (ERC-6372
 * `mode=timestamp`), so voting periods and delays are in seconds.
 */
contract CommitteeSeats is ERC721, EIP712, ERC721Votes, Ownable {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice The participant directory whose active agencies may hold seats.
    IParticipantDirectory public immutable directory;

    EnumerableSet.AddressSet private _members;

    /// @notice Seats cannot be transferred, approved for transfer or have their vote delegated.
    error SeatNotTransferable(uint256 seat);
    /// @notice `member` already holds a seat (one seat per agency).
    error AlreadySeated(address member);
    /// @notice `account` holds no seat.
    error NotSeated(address account);
    /// @notice Seats go to active agencies of the directory only.
    error NotAnActiveAgency(address account);
    /// @notice The committee cannot give up ownership of the seats (it would freeze its membership).
    error OwnershipRequired();

    /// @notice `member` was given a seat.
    event MemberAdded(address indexed member, uint256 seat);
    /// @notice `member`'s seat was taken back.
    event MemberRemoved(address indexed member, uint256 seat);

    /**
     * @param directory_ The participant directory.
     * @param initialOwner Who gives the first seats (the deployer), before handing over to the
     * committee's timelock.
     */
    constructor(IParticipantDirectory directory_, address initialOwner)
        ERC721("GovChain Committee Seat", "SEAT")
        EIP712("GovChain Committee Seats", "1")
        Ownable(initialOwner)
    {
        directory = directory_;
    }

    /**
     * @notice Gives `member` a seat (owner only: the committee's timelock).
     * @param member An active agency of the directory without a seat.
     */
    function addMember(address member) external onlyOwner {
        if (balanceOf(member) != 0) revert AlreadySeated(member);
        IParticipantDirectory.Participant memory p = directory.participant(member);
        if (p.kind != IParticipantDirectory.Kind.Agency || !p.active) revert NotAnActiveAgency(member);
        uint256 seat = seatOf(member);
        _mint(member, seat);
        emit MemberAdded(member, seat);
    }

    /**
     * @notice Takes back the seat of `member` (owner only: the committee's timelock).
     * @param member A member of the committee.
     */
    function removeMember(address member) external onlyOwner {
        if (balanceOf(member) == 0) revert NotSeated(member);
        uint256 seat = seatOf(member);
        _burn(seat);
        emit MemberRemoved(member, seat);
    }

    /// @notice The seat (token id) `member` holds or would hold: its address as a number.
    function seatOf(address member) public pure returns (uint256) {
        return uint256(uint160(member));
    }

    /// @notice True if `account` holds a seat.
    function isMember(address account) external view returns (bool) {
        return _members.contains(account);
    }

    /// @notice Every member, in no particular order (the committee is small).
    function members() external view returns (address[] memory) {
        return _members.values();
    }

    /// @notice How many seats are held now.
    function seatCount() external view returns (uint256) {
        return _members.length();
    }

    /// @notice The clock of votes: the block timestamp (ERC-6372).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Refused: seats are not transferable. @param seat The seat.
    function approve(address, uint256 seat) public pure override {
        revert SeatNotTransferable(seat);
    }

    /// @notice Refused: seats are not transferable.
    function setApprovalForAll(address, bool) public pure override {
        revert SeatNotTransferable(0);
    }

    /// @notice Refused: a seat's vote stays with its holder.
    function delegate(address) public pure override {
        revert SeatNotTransferable(0);
    }

    /// @notice Refused: a seat's vote stays with its holder.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert SeatNotTransferable(0);
    }

    /// @notice Refused: the seats always have an owner.
    function renounceOwnership() public view override onlyOwner {
        revert OwnershipRequired();
    }

    /// @dev Mints and burns only (transfers refused); a new seat votes for its holder at once.
    function _update(address to, uint256 tokenId, address auth)
        internal
        override(ERC721, ERC721Votes)
        returns (address from)
    {
        from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) revert SeatNotTransferable(tokenId);
        super._update(to, tokenId, auth);
        if (from == address(0)) {
            _members.add(to);
            _delegate(to, to);
        } else {
            _members.remove(from);
        }
    }

    function _increaseBalance(address account, uint128 amount) internal override(ERC721, ERC721Votes) {
        super._increaseBalance(account, amount);
    }
}
