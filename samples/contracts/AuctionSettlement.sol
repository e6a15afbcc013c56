// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Reference settlement for one AuctionEngine market
/// @notice Holds traders' base and quote deposits, registers sealed orders per block, and settles a cleared batch from
///         the engine's calldata only if the batch it describes is a market clearing of exactly the orders that were
///         committed: whatever the operator submits, value can only move as the orders say.
/// @dev The rules, each enforced here and mirrored by AuctionEngine's SealedBatch:
///      - A batch is the set of commitments registered in one block; its id is that block's number. A commitment is
///        keyed by (batch, committer, hash), so a hash copied from the mempool harms nobody but the copier.
///      - A commitment binds exactly one signed order: keccak256(abi.encode(digest, secret)) where digest is the
///        order's EIP-712 digest and secret is a random salt (commit-reveal) or keccak256(ciphertext) (encrypted).
///      - Committing reserves funds from the trader's free balance for that order alone, and a commit-reveal
///        commitment also posts a bond. Reserved funds cannot be withdrawn; they come back when the batch settles
///        (less what the order paid) or, if the operator never settles, when the batch expires. A trader therefore
///        cannot veto a batch by withdrawing, and the operator cannot freeze funds.
///      - `settle` must account for every commitment of the batch, once: as a fill (possibly of 0 lots) or as a void
///        (a commit-reveal commitment never revealed forfeits its bond; an encrypted one that did not open is listed
///        with its reason, and the batch key is published in the calldata so anyone can check the claim). A
///        commitment revealed on-chain can never be voided.
///      - The price and fills must be a market clearing of the eligible orders (valid, funded by their reservation at
///        their worst price, and not a second copy of an order already settled): every fill within its limit, price
///        priority on each side with market orders first, every order that admits the price filled completely on one
///        side, the orders sharing the rationed level each within one lot of their pro-rata share, and no other price
///        trading more (the volume is maximal, so the operator cannot shrink a batch by choosing its price).
contract AuctionSettlement is EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant ORDER_TYPEHASH = keccak256(
        "SealedOrder(address trader,address market,uint64 batchId,uint8 side,uint8 orderType,uint256 limitPrice,uint256 quantity,uint256 nonce)"
    );

    uint8 private constant BUY = 1;
    uint8 private constant SELL = 2;
    uint8 private constant LIMIT = 0;
    uint8 private constant MARKET = 1;

    /// @notice How an order was sealed, as an entry records it.
    uint8 public constant SEALED_BY_COMMITMENT = 1;
    uint8 public constant SEALED_BY_ENCRYPTION = 2;

    /// @dev An order's rank among its side: higher is served first. Market orders rank above every limit.
    uint256 private constant MARKET_RANK = type(uint256).max;

    /// @notice An order exactly as its trader signed it (the market and the batch id are this contract and the batch).
    ///         A market order's limitPrice is its signed worst price: the highest it pays, or the lowest it accepts.
    struct Order {
        address trader;
        uint8 side;
        uint8 orderType;
        uint256 limitPrice;
        uint256 quantity;
        uint256 nonce;
    }

    /// @notice An opened order of the batch and the lots it trades. `secret` is the commit-reveal salt, or
    ///         keccak256(ciphertext) for an encrypted order.
    struct Fill {
        Order order;
        bytes32 secret;
        bytes signature;
        uint256 lots;
    }

    /// @notice A commitment of the batch that did not open, with the engine's reason (SealRejectReason's number).
    struct Void {
        address trader;
        bytes32 commitment;
        uint8 reason;
    }

    /// @notice Free funds of a trader, in one storage slot.
    struct Balance {
        uint128 base;
        uint128 quote;
    }

    /// @notice A registered commitment, in one storage slot: how it was sealed, whether it was revealed on-chain, and
    ///         the funds it reserved (a commit-reveal commitment also holds the bond, which is not recorded here).
    struct Entry {
        uint8 kind;
        bool revealed;
        uint112 baseReserved;
        uint112 quoteReserved;
    }

    struct Batch {
        uint32 commitments;
        bool settled;
    }

    /// @dev What the first pass over the fills learns about one side of the book.
    struct Side {
        uint256 lots;
        uint256 maxIncompleteRank; // the best rank among orders that admit the price but are not completely filled
        uint256 minTradingRank; // the worst rank among orders that trade
        bool incomplete;
        bool trades;
        uint256 bestLimit; // the best limit among orders that do not admit the price (all, at price 0): highest bid, lowest ask
    }

    IERC20 public immutable baseToken;
    IERC20 public immutable quoteToken;
    uint256 public immutable lotSize;
    uint256 public immutable tickSize;
    uint256 public immutable maxPrice;
    uint256 public immutable maxQuantity;
    address public immutable operator;
    address public immutable treasury;
    uint256 public immutable commitBond;
    uint64 public immutable revealWindow;
    uint64 public immutable settleWindow;
    uint32 public immutable maxCommitmentsPerBatch;
    uint32 public immutable maxCommitmentsPerTrader;
    uint32 public immutable maxCiphertextBytes;

    mapping(address trader => Balance) public balances;
    mapping(uint64 batchId => mapping(address trader => mapping(bytes32 commitment => Entry))) public entries;
    mapping(uint64 batchId => mapping(address trader => uint32)) public commitmentsOf;
    mapping(uint64 batchId => Batch) public batches;

    event Deposited(address indexed trader, uint256 base, uint256 quote);
    event Withdrawn(address indexed trader, uint256 base, uint256 quote);
    event Committed(uint64 indexed batchId, address indexed trader, bytes32 indexed commitment, uint8 kind, uint112 baseReserved, uint112 quoteReserved);
    event EncryptedOrder(uint64 indexed batchId, address indexed trader, bytes32 indexed commitment, bytes ciphertext);
    event Revealed(uint64 indexed batchId, address indexed trader, bytes32 indexed commitment, Order order, bytes32 secret, bytes signature);
    event Filled(uint64 indexed batchId, address indexed trader, bytes32 commitment, uint8 side, uint256 lots, uint256 quoteAmount);
    event Voided(uint64 indexed batchId, address indexed trader, bytes32 commitment, uint8 reason);
    event BatchSettled(uint64 indexed batchId, uint256 price, uint256 volume, uint256 fills, uint256 voids, bytes batchKey);
    event Reclaimed(uint64 indexed batchId, address indexed trader, bytes32 commitment);

    error InvalidConfiguration();
    error InsufficientBalance();
    error AmountExceeds128Bits();
    error AlreadyCommitted(bytes32 commitment);
    error BatchFull();
    error TraderLimitReached();
    error CiphertextTooLarge();
    error UnknownCommitment(address trader, bytes32 commitment);
    error RevealWindowClosed();
    error InvalidOrder();
    error SignatureNotTraders();
    error OnlyOperator();
    error BatchStillOpen();
    error BatchExpired();
    error BatchNotExpired();
    error BatchAlreadySettled();
    error UnknownBatch();
    error CommitmentsUnaccounted(uint256 accounted, uint256 committed);
    error FillsOutOfOrder();
    error RevealWindowOpen();
    error RevealedOnChain(bytes32 commitment);
    error FillExceedsQuantity(bytes32 commitment);
    error IneligibleOrderFilled(bytes32 commitment);
    error PriceBreaksLimit(bytes32 commitment);
    error PriceOutOfBounds();
    error NotConserved();
    error PricePriorityBroken();
    error BothSidesRationed();
    error ProRataBroken(uint256 fillIndex);
    error CrossedBookNotTraded();
    error NothingTradedAtPrice();
    error VolumeNotMaximal(uint256 betterPrice);

    /// @param base The base token (what lots count).
    /// @param quote The quote token (what prices are in).
    /// @param lotSize_ Base atoms per lot.
    /// @param tickSize_ Quote atoms per lot per tick.
    /// @param maxPrice_ The highest valid price in ticks (AuctionEngine's Market.MaxPrice).
    /// @param maxQuantity_ The largest valid order in lots (AuctionEngine's Market.MaxOrderQuantity).
    /// @param operator_ The only account that settles.
    /// @param treasury_ Receives forfeited bonds (deliberately not the operator, who decides what is forfeited).
    /// @param commitBond_ Quote atoms a commit-reveal commitment posts, returned unless it is never revealed.
    /// @param revealWindow_ Reveals are accepted in blocks batchId + 1 to batchId + revealWindow.
    /// @param settleWindow_ A batch not settled by block batchId + settleWindow expires; greater than revealWindow.
    /// @param limits maxCommitmentsPerBatch, maxCommitmentsPerTrader, maxCiphertextBytes (SealedBatchSettings').
    constructor(
        IERC20 base,
        IERC20 quote,
        uint256 lotSize_,
        uint256 tickSize_,
        uint256 maxPrice_,
        uint256 maxQuantity_,
        address operator_,
        address treasury_,
        uint256 commitBond_,
        uint64 revealWindow_,
        uint64 settleWindow_,
        uint32[3] memory limits,
        string memory name,
        string memory version
    ) EIP712(name, version) {
        // Every valid order's worst case must fit 128 bits, so that no honest settlement can overflow.
        if (
            lotSize_ == 0 || tickSize_ == 0 || maxPrice_ == 0 || maxQuantity_ == 0 || revealWindow_ == 0
                || settleWindow_ <= revealWindow_ || maxQuantity_ > type(uint128).max / lotSize_
                || maxPrice_ > type(uint128).max / tickSize_ / maxQuantity_ || limits[0] == 0 || limits[1] == 0
                || limits[1] > limits[0] || operator_ == address(0) || treasury_ == address(0)
        ) revert InvalidConfiguration();
        baseToken = base;
        quoteToken = quote;
        lotSize = lotSize_;
        tickSize = tickSize_;
        maxPrice = maxPrice_;
        maxQuantity = maxQuantity_;
        operator = operator_;
        treasury = treasury_;
        commitBond = commitBond_;
        revealWindow = revealWindow_;
        settleWindow = settleWindow_;
        maxCommitmentsPerBatch = limits[0];
        maxCommitmentsPerTrader = limits[1];
        maxCiphertextBytes = limits[2];
    }

    // ----- funds -----

    /// @notice Moves tokens in (the contract must be approved). A token that takes a fee on transfer is credited with
    ///         what actually arrived; rebasing tokens are not supported.
    function deposit(uint128 baseAmount, uint128 quoteAmount) external nonReentrant {
        uint256 baseReceived = _pull(baseToken, baseAmount);
        uint256 quoteReceived = _pull(quoteToken, quoteAmount);
        Balance storage balance = balances[msg.sender];
        balance.base = _toUint128(balance.base + baseReceived);
        balance.quote = _toUint128(balance.quote + quoteReceived);
        emit Deposited(msg.sender, baseReceived, quoteReceived);
    }

    /// @notice Moves free tokens out. Funds reserved by commitments are not free until their batch settles or expires.
    function withdraw(uint128 baseAmount, uint128 quoteAmount) external nonReentrant {
        Balance storage balance = balances[msg.sender];
        if (balance.base < baseAmount || balance.quote < quoteAmount) revert InsufficientBalance();
        balance.base -= baseAmount;
        balance.quote -= quoteAmount;
        if (baseAmount != 0) baseToken.safeTransfer(msg.sender, baseAmount);
        if (quoteAmount != 0) quoteToken.safeTransfer(msg.sender, quoteAmount);
        emit Withdrawn(msg.sender, baseAmount, quoteAmount);
    }

    // ----- sealing -----

    /// @notice Seals a commit-reveal order into this block's batch, reserving funds for it and posting the bond.
    function commit(bytes32 commitment, uint112 baseReserved, uint112 quoteReserved) external {
        _register(commitment, SEALED_BY_COMMITMENT, baseReserved, quoteReserved);
    }

    /// @notice Seals an order encrypted to the batch key into this block's batch, reserving funds for it. The
    ///         commitment is keccak256(abi.encode(digest, keccak256(ciphertext))); the ciphertext is published in
    ///         the EncryptedOrder event for the keypers' batch key to open.
    function commitEncrypted(bytes32 commitment, uint112 baseReserved, uint112 quoteReserved, bytes calldata ciphertext) external {
        if (ciphertext.length > maxCiphertextBytes) revert CiphertextTooLarge();
        _register(commitment, SEALED_BY_ENCRYPTION, baseReserved, quoteReserved);
        emit EncryptedOrder(uint64(block.number), msg.sender, commitment, ciphertext);
    }

    /// @notice Reveals a committed order on-chain within the reveal window, so that the operator cannot declare it
    ///         forfeited or invalid. Anyone may send it; the signature and the commitment prove it. Only orders the
    ///         market accepts (within its bounds, nonce below 2^128) can be revealed this way.
    function reveal(uint64 batchId, Order calldata order, bytes32 secret, bytes calldata signature) external {
        if (block.number <= batchId || block.number > batchId + revealWindow) revert RevealWindowClosed();
        if (!_isValid(order) || order.nonce > type(uint128).max) revert InvalidOrder();
        bytes32 digest = _digest(order, batchId);
        bytes32 commitment = keccak256(abi.encode(digest, secret));
        Entry storage entry = entries[batchId][order.trader][commitment];
        if (entry.kind == 0) revert UnknownCommitment(order.trader, commitment);
        if (ECDSA.recoverCalldata(digest, signature) != order.trader) revert SignatureNotTraders();
        entry.revealed = true;
        emit Revealed(batchId, order.trader, commitment, order, secret, signature);
    }

    /// @notice After a batch expired unsettled, gives a commitment's reservation and bond back to its trader.
    ///         Anyone may call it.
    function reclaim(uint64 batchId, address trader, bytes32 commitment) external {
        if (block.number <= uint256(batchId) + settleWindow) revert BatchNotExpired();
        Entry memory entry = entries[batchId][trader][commitment];
        if (entry.kind == 0) revert UnknownCommitment(trader, commitment);
        delete entries[batchId][trader][commitment];
        Balance storage balance = balances[trader];
        balance.base = _toUint128(uint256(balance.base) + entry.baseReserved);
        balance.quote = _toUint128(uint256(balance.quote) + entry.quoteReserved + _bondOf(entry.kind));
        emit Reclaimed(batchId, trader, commitment);
    }

    // ----- settlement -----

    /// @notice Settles a batch: every commitment accounted for once, at one market-clearing price. Reverts, moving
    ///         nothing, if any check fails.
    /// @param batchId The block the batch's commitments were registered in; it must have ended and not expired.
    /// @param price The uniform clearing price in ticks; 0 if and only if nothing trades.
    /// @param fills Every opened order, in strictly ascending commitment order, with its lots (0 for one that does not trade).
    /// @param voids Every commitment that did not open, with its reason; only after the reveal window.
    /// @param batchKey The batch's opened secret key (empty if it had no encrypted orders), so anyone can check the voids.
    function settle(uint64 batchId, uint256 price, Fill[] calldata fills, Void[] calldata voids, bytes calldata batchKey) external nonReentrant {
        if (msg.sender != operator) revert OnlyOperator();
        if (block.number <= batchId) revert BatchStillOpen();
        if (block.number > uint256(batchId) + settleWindow) revert BatchExpired();
        Batch storage batch = batches[batchId];
        if (batch.settled) revert BatchAlreadySettled();
        if (batch.commitments == 0) revert UnknownBatch();
        if (fills.length + voids.length != batch.commitments) revert CommitmentsUnaccounted(fills.length + voids.length, batch.commitments);
        if (voids.length != 0 && block.number <= uint256(batchId) + revealWindow) revert RevealWindowOpen();
        if (price > maxPrice) revert PriceOutOfBounds();
        batch.settled = true;

        // First pass: check and move each fill, remember each eligible order's rank for the rationing check.
        Side memory buys = Side(0, 0, MARKET_RANK, false, false, 0);
        Side memory sells = Side(0, 0, MARKET_RANK, false, false, type(uint256).max);
        uint256[] memory ranks = new uint256[](fills.length);
        bytes32 previous;
        for (uint256 i = 0; i < fills.length; ++i) {
            bytes32 commitment;
            (commitment, ranks[i]) = _settleFill(batchId, price, fills[i], buys, sells);
            if (i != 0 && commitment <= previous) revert FillsOutOfOrder();
            previous = commitment;
        }

        for (uint256 i = 0; i < voids.length; ++i) {
            _settleVoid(batchId, voids[i]);
        }

        if (buys.lots != sells.lots) revert NotConserved();
        if (price == 0) {
            // Nothing trades: that is only a clearing if no eligible bid meets an eligible ask.
            if (buys.bestLimit >= sells.bestLimit) revert CrossedBookNotTraded();
        } else {
            if (buys.lots == 0) revert NothingTradedAtPrice();
            if (buys.incomplete && sells.incomplete) revert BothSidesRationed();
            if (buys.incomplete && buys.trades && buys.minTradingRank < buys.maxIncompleteRank) revert PricePriorityBroken();
            if (sells.incomplete && sells.trades && sells.minTradingRank < sells.maxIncompleteRank) revert PricePriorityBroken();
            if (buys.incomplete) _checkRationedSide(fills, ranks, BUY, buys.maxIncompleteRank, buys.lots, sells.bestLimit);
            if (sells.incomplete) _checkRationedSide(fills, ranks, SELL, sells.maxIncompleteRank, sells.lots, buys.bestLimit);
        }

        emit BatchSettled(batchId, price, buys.lots, fills.length, voids.length, batchKey);
    }

    /// @notice The EIP-712 digest a trader signs for an order of this market in batch `batchId`.
    function orderDigest(Order calldata order, uint64 batchId) external view returns (bytes32) {
        return _digest(order, batchId);
    }

    /// @dev Checks one fill, consumes its commitment, moves its trader's funds, and adds it to its side's tally.
    ///      Returns its commitment and its rank if it takes part in the clearing (admits the price), else 0.
    function _settleFill(uint64 batchId, uint256 price, Fill calldata fill, Side memory buys, Side memory sells)
        private
        returns (bytes32 commitment, uint256 rank)
    {
        Order calldata order = fill.order;
        bytes32 digest = _digest(order, batchId);
        commitment = keccak256(abi.encode(digest, fill.secret));
        Entry memory entry = entries[batchId][order.trader][commitment];
        if (entry.kind == 0) revert UnknownCommitment(order.trader, commitment);
        delete entries[batchId][order.trader][commitment];
        if (ECDSA.recoverCalldata(digest, fill.signature) != order.trader) revert SignatureNotTraders();

        uint256 lots = fill.lots;
        if (lots > order.quantity) revert FillExceedsQuantity(commitment);
        bool bought = order.side == BUY;
        // Eligible: the first settlement of this signed order (a second commitment of the same order, later in
        // commitment order, may not fill it again), within the market's bounds, and funded at its worst price by its
        // own reservation.
        bool first = _firstSettlement(digest);
        bool eligible = first && _isValid(order)
            && (bought ? order.quantity * order.limitPrice * tickSize <= entry.quoteReserved : order.quantity * lotSize <= entry.baseReserved);
        if (!eligible) {
            if (lots != 0) revert IneligibleOrderFilled(commitment);
        } else if (price == 0 || (bought ? order.limitPrice < price : order.limitPrice > price)) {
            // It does not trade at this price (price 0 admits no order), but where it would trade bounds the volume.
            if (lots != 0) {
                if (price == 0) revert IneligibleOrderFilled(commitment);
                revert PriceBreaksLimit(commitment);
            }
            if (bought) {
                if (order.limitPrice > buys.bestLimit) buys.bestLimit = order.limitPrice;
            } else if (order.limitPrice < sells.bestLimit) {
                sells.bestLimit = order.limitPrice;
            }
        } else {
            rank = order.orderType == MARKET ? MARKET_RANK : bought ? order.limitPrice : maxPrice + 1 - order.limitPrice;
            _tally(bought ? buys : sells, rank, lots, order.quantity);
        }

        // Only an eligible order that admits the price can have lots here, so both amounts fit 128 bits.
        uint256 baseAtoms = lots * lotSize;
        uint256 quoteAtoms = lots * price * tickSize;

        // The reservation (and a commit-reveal bond) comes back, less what the order pays, plus what it receives.
        Balance storage balance = balances[order.trader];
        uint256 bond = _bondOf(entry.kind);
        if (bought) {
            balance.base = _toUint128(uint256(balance.base) + entry.baseReserved + baseAtoms);
            balance.quote = _toUint128(uint256(balance.quote) + entry.quoteReserved + bond - quoteAtoms);
        } else {
            balance.base = _toUint128(uint256(balance.base) + entry.baseReserved - baseAtoms);
            balance.quote = _toUint128(uint256(balance.quote) + entry.quoteReserved + bond + quoteAtoms);
        }

        if (lots != 0) emit Filled(batchId, order.trader, commitment, order.side, lots, quoteAtoms);
    }

    function _tally(Side memory side, uint256 rank, uint256 lots, uint256 quantity) private pure {
        side.lots += lots;
        if (lots < quantity) {
            side.incomplete = true;
            if (rank > side.maxIncompleteRank) side.maxIncompleteRank = rank;
        }
        if (lots != 0) {
            side.trades = true;
            if (rank < side.minTradingRank) side.minTradingRank = rank;
        }
    }

    /// @dev The long side, rationed at `volume` lots (the short side's whole quantity). Each order at the rationed level
    ///      gets its pro-rata share of what the level got, within one lot: |lots × Q − quantity × V| < Q, with Q the
    ///      level's quantity and V its lots. And no other price trades more. Say buys are rationed: below the price,
    ///      supply is at most `volume`; above it, supply first grows at `nextLimit` (the lowest limit of the eligible
    ///      sells that do not admit the price) to more than `volume`, so the volume there is the demand there, and
    ///      demand only shrinks further up. So `volume` is maximal if and only if the buys that also admit `nextLimit`
    ///      do not exceed it (mirrored for sells; at price 0 the same rule is CrossedBookNotTraded).
    function _checkRationedSide(Fill[] calldata fills, uint256[] memory ranks, uint8 side, uint256 level, uint256 volume, uint256 nextLimit)
        private
        pure
    {
        uint256 levelQuantity;
        uint256 levelLots;
        uint256 quantityAtNextLimit;
        for (uint256 i = 0; i < fills.length; ++i) {
            if (ranks[i] != 0 && fills[i].order.side == side) {
                Order calldata order = fills[i].order;
                if (ranks[i] == level) {
                    levelQuantity += order.quantity;
                    levelLots += fills[i].lots;
                }
                if (side == BUY ? order.limitPrice >= nextLimit : order.limitPrice <= nextLimit) quantityAtNextLimit += order.quantity;
            }
        }
        if (quantityAtNextLimit > volume) revert VolumeNotMaximal(nextLimit);

        for (uint256 i = 0; i < fills.length; ++i) {
            if (ranks[i] == level && fills[i].order.side == side) {
                uint256 scaled = fills[i].lots * levelQuantity;
                uint256 share = fills[i].order.quantity * levelLots;
                uint256 gap = scaled > share ? scaled - share : share - scaled;
                if (gap >= levelQuantity) revert ProRataBroken(i);
            }
        }
    }

    function _settleVoid(uint64 batchId, Void calldata void_) private {
        Entry memory entry = entries[batchId][void_.trader][void_.commitment];
        if (entry.kind == 0) revert UnknownCommitment(void_.trader, void_.commitment);
        if (entry.revealed) revert RevealedOnChain(void_.commitment);
        delete entries[batchId][void_.trader][void_.commitment];
        Balance storage balance = balances[void_.trader];
        balance.base = _toUint128(uint256(balance.base) + entry.baseReserved);
        balance.quote = _toUint128(uint256(balance.quote) + entry.quoteReserved);
        uint256 bond = _bondOf(entry.kind);
        if (bond != 0) {
            Balance storage fund = balances[treasury];
            fund.quote = _toUint128(uint256(fund.quote) + bond);
        }
        emit Voided(batchId, void_.trader, void_.commitment, void_.reason);
    }

    // ----- helpers -----

    function _register(bytes32 commitment, uint8 kind, uint112 baseReserved, uint112 quoteReserved) private {
        uint64 batchId = uint64(block.number);
        Entry storage entry = entries[batchId][msg.sender][commitment];
        if (entry.kind != 0) revert AlreadyCommitted(commitment);
        Batch storage batch = batches[batchId];
        if (batch.commitments >= maxCommitmentsPerBatch) revert BatchFull();
        uint32 placed = commitmentsOf[batchId][msg.sender];
        if (placed >= maxCommitmentsPerTrader) revert TraderLimitReached();

        uint256 quoteHeld = uint256(quoteReserved) + _bondOf(kind);
        Balance storage balance = balances[msg.sender];
        if (balance.base < baseReserved || balance.quote < quoteHeld) revert InsufficientBalance();
        balance.base -= baseReserved;
        balance.quote -= uint128(quoteHeld);

        entries[batchId][msg.sender][commitment] = Entry(kind, false, baseReserved, quoteReserved);
        commitmentsOf[batchId][msg.sender] = placed + 1;
        batch.commitments += 1;
        emit Committed(batchId, msg.sender, commitment, kind, baseReserved, quoteReserved);
    }

    /// @dev An order the engine would accept: a side and type it knows, a quantity and a (worst) price in bounds.
    function _isValid(Order calldata order) private view returns (bool) {
        return (order.side == BUY || order.side == SELL) && (order.orderType == LIMIT || order.orderType == MARKET)
            && order.quantity != 0 && order.quantity <= maxQuantity && order.limitPrice != 0 && order.limitPrice <= maxPrice;
    }

    /// @dev Whether this is the first time in this transaction that the digest settles. Transient storage: a batch
    ///      settles once and its digests name it, so no digest can recur in another settlement.
    function _firstSettlement(bytes32 digest) private returns (bool first) {
        assembly ("memory-safe") {
            first := iszero(tload(digest))
            tstore(digest, 1)
        }
    }

    function _bondOf(uint8 kind) private view returns (uint256) {
        return kind == SEALED_BY_COMMITMENT ? commitBond : 0;
    }

    function _digest(Order calldata order, uint64 batchId) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    ORDER_TYPEHASH,
                    order.trader,
                    address(this),
                    batchId,
                    order.side,
                    order.orderType,
                    order.limitPrice,
                    order.quantity,
                    order.nonce
                )
            )
        );
    }

    function _pull(IERC20 token, uint256 amount) private returns (uint256 received) {
        if (amount == 0) return 0;
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        received = token.balanceOf(address(this)) - before;
    }

    function _toUint128(uint256 amount) private pure returns (uint128) {
        if (amount > type(uint128).max) revert AmountExceeds128Bits();
        return uint128(amount);
    }
}
