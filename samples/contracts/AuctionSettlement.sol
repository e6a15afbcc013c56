// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The ERC-20 calls the settlement makes.
interface IERC20Minimal {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// @title Reference settlement for one AuctionEngine market
/// @notice Registers sealed order commitments per block, holds traders' base and quote deposits, and settles a
///         cleared batch from the engine's calldata after checking everything it can on-chain: every order was
///         committed in that batch by its trader and signed by it (EIP-712), every fill uses the batch's one price,
///         no fill exceeds its order's quantity or breaks its limit, and base and quote are conserved exactly.
/// @dev The encodings match AuctionEngine's: `SealedOrder` EIP-712 digest, commitment = keccak256(abi.encode(digest, salt)),
///      or keccak256(ciphertext) for an encrypted order, quote atoms = lots × price × tickSize, base atoms = lots ×
///      lotSize. A batch is the set of commitments registered in one block; its id is that block's number.
contract AuctionSettlement {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant ORDER_TYPEHASH = keccak256(
        "SealedOrder(address trader,address market,uint64 batchId,uint8 side,uint8 orderType,uint256 limitPrice,uint256 quantity,uint256 nonce)"
    );
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    uint8 private constant BUY = 1;
    uint8 private constant SELL = 2;
    uint8 private constant LIMIT = 0;
    uint8 private constant MARKET = 1;

    /// @notice An order exactly as its trader signed it (the market and batch id come from the contract and the call).
    struct Order {
        address trader;
        uint8 side;
        uint8 orderType;
        uint256 limitPrice;
        uint256 quantity;
        uint256 nonce;
    }

    /// @notice One order of the batch and the lots it trades. A commit-reveal order carries its salt and an empty
    ///         ciphertext; an encrypted order carries the ciphertext its trader committed to (and a zero salt).
    struct Fill {
        Order order;
        bytes32 salt;
        bytes signature;
        uint256 lots;
        bytes ciphertext;
    }

    /// @notice A trader's deposits, packed into one storage slot.
    struct Balance {
        uint128 base;
        uint128 quote;
    }

    IERC20Minimal public immutable baseToken;
    IERC20Minimal public immutable quoteToken;
    uint256 public immutable lotSize;
    uint256 public immutable tickSize;
    address public immutable operator;
    bytes32 public immutable domainSeparator;

    mapping(address => Balance) public balances;
    mapping(uint64 => mapping(bytes32 => address)) public committerOf;
    mapping(uint64 => bool) public settled;

    event Committed(uint64 indexed batchId, bytes32 indexed commitment, address indexed trader);
    event Filled(uint64 indexed batchId, address indexed trader, bytes32 commitment, uint8 side, uint256 lots, uint256 quoteAmount);
    event BatchSettled(uint64 indexed batchId, uint256 price, uint256 volume, uint256 fills);

    constructor(
        IERC20Minimal base,
        IERC20Minimal quote,
        uint256 lotSize_,
        uint256 tickSize_,
        address operator_,
        string memory name,
        string memory version
    ) {
        baseToken = base;
        quoteToken = quote;
        lotSize = lotSize_;
        tickSize = tickSize_;
        operator = operator_;
        domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), block.chainid, address(this))
        );
    }

    /// @notice Seals an order into this block's batch. Only the trader who will reveal it should commit it.
    function commit(bytes32 commitment) external {
        _commit(commitment);
    }

    /// @notice Seals several orders into this block's batch in one transaction.
    function commitMany(bytes32[] calldata commitments) external {
        for (uint256 i = 0; i < commitments.length; ++i) {
            _commit(commitments[i]);
        }
    }

    /// @notice Moves tokens in; the contract must be approved for both amounts.
    function deposit(uint128 baseAmount, uint128 quoteAmount) external {
        Balance storage balance = balances[msg.sender];
        balance.base += baseAmount;
        balance.quote += quoteAmount;
        if (baseAmount != 0) require(baseToken.transferFrom(msg.sender, address(this), baseAmount), "base transfer failed");
        if (quoteAmount != 0) require(quoteToken.transferFrom(msg.sender, address(this), quoteAmount), "quote transfer failed");
    }

    /// @notice Moves tokens out of the trader's own deposits.
    function withdraw(uint128 baseAmount, uint128 quoteAmount) external {
        Balance storage balance = balances[msg.sender];
        require(balance.base >= baseAmount && balance.quote >= quoteAmount, "insufficient balance");
        balance.base -= baseAmount;
        balance.quote -= quoteAmount;
        if (baseAmount != 0) require(baseToken.transfer(msg.sender, baseAmount), "base transfer failed");
        if (quoteAmount != 0) require(quoteToken.transfer(msg.sender, quoteAmount), "quote transfer failed");
    }

    /// @notice Settles a cleared batch at one price. Reverts, moving nothing, if any check fails.
    /// @param batchId The block the batch's commitments were registered in; it must have ended.
    /// @param price The uniform clearing price in ticks.
    /// @param fills Every order that trades, with its lots.
    function settle(uint64 batchId, uint256 price, Fill[] calldata fills) external {
        require(msg.sender == operator, "only the operator settles");
        require(batchId < block.number, "batch still open");
        require(!settled[batchId], "batch already settled");
        settled[batchId] = true;

        uint256 boughtLots;
        uint256 soldLots;
        uint256 quotePaid;
        uint256 quoteReceived;
        for (uint256 i = 0; i < fills.length; ++i) {
            (bool bought, uint256 lots, uint256 quoteAmount) = _settleFill(batchId, price, fills[i]);
            if (bought) {
                boughtLots += lots;
                quotePaid += quoteAmount;
            } else {
                soldLots += lots;
                quoteReceived += quoteAmount;
            }
        }

        require(boughtLots == soldLots, "base not conserved");
        require(quotePaid == quoteReceived, "quote not conserved");
        emit BatchSettled(batchId, price, boughtLots, fills.length);
    }

    /// @notice The EIP-712 digest a trader signs for an order of this market in batch `batchId`.
    function orderDigest(Order calldata order, uint64 batchId) external view returns (bytes32) {
        return _digest(order, batchId);
    }

    /// @dev Checks one fill and moves its trader's balances; returns its side, lots and quote atoms.
    function _settleFill(uint64 batchId, uint256 price, Fill calldata fill) private returns (bool bought, uint256 lots, uint256 quoteAmount) {
        Order calldata order = fill.order;
        bytes32 digest = _digest(order, batchId);
        // The link from a ciphertext to the order inside it cannot be checked without decrypting; what is checked is
        // that the trader committed that ciphertext in this batch and signed this order for this batch.
        bytes32 commitment = fill.ciphertext.length == 0 ? keccak256(abi.encode(digest, fill.salt)) : keccak256(fill.ciphertext);
        require(committerOf[batchId][commitment] == order.trader, "commitment not registered by trader");
        // Each commitment settles once, so one order cannot be listed twice.
        delete committerOf[batchId][commitment];
        require(_recover(digest, fill.signature) == order.trader, "signature is not the trader's");
        require(fill.lots <= order.quantity, "fill exceeds quantity");
        require(order.orderType == LIMIT || order.orderType == MARKET, "unknown order type");

        lots = fill.lots;
        quoteAmount = lots * price * tickSize;
        uint256 baseAmount = lots * lotSize;
        Balance storage balance = balances[order.trader];
        bought = order.side == BUY;
        if (bought) {
            require(order.orderType == MARKET || price <= order.limitPrice, "price breaks a buy limit");
            require(balance.quote >= quoteAmount, "insufficient quote deposit");
            balance.quote -= _toUint128(quoteAmount);
            balance.base += _toUint128(baseAmount);
        } else {
            require(order.side == SELL, "unknown side");
            require(order.orderType == MARKET || price >= order.limitPrice, "price breaks a sell limit");
            require(balance.base >= baseAmount, "insufficient base deposit");
            balance.base -= _toUint128(baseAmount);
            balance.quote += _toUint128(quoteAmount);
        }

        emit Filled(batchId, order.trader, commitment, order.side, lots, quoteAmount);
    }

    /// @dev Deposits are 128-bit; a larger amount must revert rather than wrap.
    function _toUint128(uint256 amount) private pure returns (uint128) {
        require(amount <= type(uint128).max, "amount exceeds 128 bits");
        return uint128(amount);
    }

    function _commit(bytes32 commitment) private {
        uint64 batchId = uint64(block.number);
        require(committerOf[batchId][commitment] == address(0), "commitment already registered");
        committerOf[batchId][commitment] = msg.sender;
        emit Committed(batchId, commitment, msg.sender);
    }

    function _digest(Order calldata order, uint64 batchId) private view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                ORDER_TYPEHASH,
                order.trader,
                address(this),
                batchId,
                order.side,
                order.orderType,
                order.orderType == MARKET ? 0 : order.limitPrice,
                order.quantity,
                order.nonce
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev Like OpenZeppelin's ECDSA.recover: 65-byte r ‖ s ‖ v, v 27 or 28, low s only; 0 on anything else.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
