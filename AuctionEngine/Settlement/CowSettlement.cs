using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Settlement;

/// <summary>How a CoW Protocol order was signed (bits 5–6 of a trade's flags).</summary>
public enum CowSigningScheme
{
    /// <summary>EIP-712 over the GPv2 order struct.</summary>
    Eip712 = 0,

    /// <summary><c>eth_sign</c> of the order's EIP-712 digest.</summary>
    EthSign = 1,

    /// <summary>A smart-contract owner's signature, checked with EIP-1271: the owner's address, then the bytes its <c>isValidSignature</c> accepts.</summary>
    Eip1271 = 2,

    /// <summary>Signed beforehand on-chain with <c>setPreSignature</c>; the signature is the owner's address.</summary>
    PreSign = 3,
}

/// <summary>
/// What a CoW Protocol order carries beyond the engine's order: the user's own signature over the GPv2 order and
/// the fields it signed that the engine has no view on.
/// </summary>
/// <param name="Receiver">Who receives the bought tokens; <see cref="Address.Zero"/> means the owner.</param>
/// <param name="ValidTo">The order's expiry, a Unix time.</param>
/// <param name="AppData">The order's app data hash.</param>
/// <param name="Scheme">How the order was signed.</param>
/// <param name="Signature">The signature, encoded as the scheme requires.</param>
public sealed record CowOrderTerms(Address Receiver, uint ValidTo, Hash32 AppData, CowSigningScheme Scheme, byte[] Signature);

/// <summary>One trade of a CoW settlement: the order's terms and the amount executed, as <c>GPv2Trade.Data</c> holds them.</summary>
/// <param name="SellTokenIndex">The sold token's index in the settlement's token list.</param>
/// <param name="BuyTokenIndex">The bought token's index.</param>
/// <param name="SellAmount">The order's sell amount in atoms (its limit, with <paramref name="BuyAmount"/>).</param>
/// <param name="BuyAmount">The order's buy amount in atoms.</param>
/// <param name="Flags">Kind, partial fillability, balance kinds and signing scheme, bit-packed as GPv2 does.</param>
/// <param name="ExecutedAmount">Sell atoms for a sell order, buy atoms for a buy order.</param>
/// <param name="Terms">The order's signature and the fields the engine does not model.</param>
public sealed record CowTrade(int SellTokenIndex, int BuyTokenIndex, BigInteger SellAmount, BigInteger BuyAmount, uint Flags, BigInteger ExecutedAmount, CowOrderTerms Terms);

/// <summary>
/// CoW Protocol (GPv2) settlement of a cleared batch, so a CoW solver can embed the engine: the GPv2 order of each
/// sealed order (<see cref="Order"/>: what its trader signs, and the trade the solver submits), and
/// <c>GPv2Settlement.settle</c> calldata with one uniform clearing-price vector for the market's two tokens and one
/// partially fillable trade per order that trades.
/// </summary>
/// <remarks>
/// <para>
/// Prices are chosen so that GPv2's formulas reproduce the engine's amounts exactly: the base token's price is
/// <c>price × tickSize</c> and the quote token's is <c>lotSize</c>, so <c>lots × lotSize</c> base atoms exchange
/// for exactly <c>lots × price × tickSize</c> quote atoms whichever way GPv2 rounds.
/// </para>
/// <para>
/// A sell of the engine's (selling base) becomes a GPv2 sell order of <c>quantity × lotSize</c> base atoms for at
/// least <c>quantity × limit × tickSize</c> quote atoms; a buy becomes a GPv2 buy order of <c>quantity × lotSize</c>
/// base atoms for at most <c>quantity × limit × tickSize</c> quote atoms. A market order's limit is its signed worst
/// price. Fees are zero; interactions are empty. The contract executes the calldata only when it is sent by a solver
/// on its allow-list and each trade's owner signed (or pre-signed) its order: see <see cref="CowOrder"/>.
/// </para>
/// </remarks>
public static class CowSettlement
{
    /// <summary>The name of GPv2's EIP-712 domain.</summary>
    public const string DomainName = "Gnosis Protocol";

    /// <summary>The version of GPv2's EIP-712 domain.</summary>
    public const string DomainVersion = "v2";

    /// <summary>The GPv2 settlement function; its selector is <c>0x13d79a0b</c>.</summary>
    public static AbiFunction Settle { get; } = AbiFunction.Parse(
        "settle(address[],uint256[],(uint256,uint256,address,uint256,uint256,uint32,bytes32,uint256,uint256,uint256,bytes)[],(address,uint256,bytes)[][3])");

    private const uint KindBuy = 1;

    /// <summary>The uniform clearing prices of <c>[base, quote]</c> for a batch cleared at <paramref name="price"/> ticks.</summary>
    /// <param name="market">The market.</param>
    /// <param name="price">The clearing price in ticks.</param>
    /// <returns>Two prices whose ratio is the quote atoms one base atom is worth.</returns>
    public static (BigInteger Base, BigInteger Quote) ClearingPrices(Market market, long price)
    {
        ArgumentNullException.ThrowIfNull(market);
        return ((BigInteger)price * (BigInteger)market.TickSize, (BigInteger)market.LotSize);
    }

    /// <summary>The EIP-712 domain GPv2 orders are signed under: <c>"Gnosis Protocol"</c>, <c>"v2"</c>, the chain, the settlement contract.</summary>
    /// <param name="chainId">The chain id (Solidity's <c>block.chainid</c> where the settlement contract runs).</param>
    /// <param name="settlement">The <c>GPv2Settlement</c> contract's address.</param>
    /// <returns>The domain; its separator is what the contract's <c>domainSeparator()</c> returns.</returns>
    public static Eip712Domain Domain(ulong chainId, Address settlement) => new(DomainName, DomainVersion, chainId, settlement);

    /// <summary>
    /// The CoW Protocol order of one sealed order: the GPv2 terms its trader signs before the batch and, from the same
    /// object, the trade the solver submits after it (<see cref="CowOrder.Trade"/>).
    /// </summary>
    /// <remarks>
    /// A sell of <c>quantity</c> lots at limit (or signed worst price) <c>p</c> sells exactly <c>quantity × lotSize</c>
    /// base atoms for at least <c>quantity × p × tickSize</c> quote atoms; a buy buys exactly <c>quantity × lotSize</c>
    /// base atoms for at most <c>quantity × p × tickSize</c> quote atoms. A market order's <c>p</c> is its signed worst
    /// price, so its trader never signs away more than it did for the batch. The order is partially fillable, has no
    /// fee, pays its owner, uses ERC-20 balances, expires at <paramref name="validTo"/>, and its <c>appData</c> is the
    /// sealed order's digest under <paramref name="orderDomain"/>, which makes its UID its own.
    /// </remarks>
    /// <param name="market">The market; its base and quote tokens are the order's tokens.</param>
    /// <param name="order">The sealed order as its trader signed it for the batch.</param>
    /// <param name="orderDomain">The EIP-712 domain the sealed order was signed under.</param>
    /// <param name="cowDomain">The settlement contract's domain, from <see cref="Domain"/>.</param>
    /// <param name="validTo">The last Unix time the order may be settled: the end of its batch's settlement.</param>
    /// <returns>The CoW order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="market"/>, <paramref name="orderDomain"/> or <paramref name="cowDomain"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="cowDomain"/> is not a <c>"Gnosis Protocol"</c> v2 domain.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The order's side is neither buy nor sell, or its quantity is not positive.</exception>
    public static CowOrder Order(Market market, in SealedOrder order, Eip712Domain orderDomain, Eip712Domain cowDomain, uint validTo)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(orderDomain);
        ArgumentNullException.ThrowIfNull(cowDomain);
        if (cowDomain.Name != DomainName || cowDomain.Version != DomainVersion)
        {
            ThrowHelper.ThrowArgumentException_CowDomain(nameof(cowDomain));
        }

        if (order.Side is not (Side.Buy or Side.Sell))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(order), "A CoW order buys or sells.");
        }

        if (order.Quantity <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(order), "A CoW order's quantity is positive: GPv2 divides by its amounts.");
        }

        BigInteger baseAtoms = (BigInteger)order.Quantity * (BigInteger)market.LotSize;
        BigInteger quoteLimit = (BigInteger)order.Quantity * order.LimitPrice * (BigInteger)market.TickSize;
        bool buy = order.Side == Side.Buy;
        var terms = new GPv2Order(
            sellToken: buy ? market.QuoteToken : market.BaseToken,
            buyToken: buy ? market.BaseToken : market.QuoteToken,
            receiver: Address.Zero,
            sellAmount: buy ? quoteLimit : baseAtoms,
            buyAmount: buy ? baseAtoms : quoteLimit,
            validTo: validTo,
            appData: order.ComputeDigest(orderDomain),
            feeAmount: BigInteger.Zero,
            kind: buy ? GPv2OrderKind.Buy : GPv2OrderKind.Sell,
            partiallyFillable: true,
            sellTokenBalance: GPv2TokenBalance.Erc20,
            buyTokenBalance: GPv2TokenBalance.Erc20);
        return new CowOrder(terms, order.Trader, order.Quantity, market.LotSize, cowDomain);
    }

    /// <summary>The calldata of <c>settle(tokens, clearingPrices, trades, interactions)</c>.</summary>
    /// <param name="market">The market; its base and quote tokens are the settlement's two tokens.</param>
    /// <param name="price">The clearing price in ticks.</param>
    /// <param name="trades">The trades, from <see cref="CowOrder.Trade"/>.</param>
    /// <returns>The calldata, selector first.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static byte[] Encode(Market market, long price, IReadOnlyList<CowTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(trades);
        (BigInteger basePrice, BigInteger quotePrice) = ClearingPrices(market, price);
        AbiValue noInteractions = AbiValue.Array();
        return Settle.EncodeCall(
            AbiValue.Array(AbiValue.FromAddress(market.BaseToken), AbiValue.FromAddress(market.QuoteToken)),
            AbiValue.Array(AbiValue.FromInteger(basePrice), AbiValue.FromInteger(quotePrice)),
            AbiValue.Array([.. trades.Select(TradeValue)]),
            AbiValue.Array(noInteractions, noInteractions, noInteractions));
    }

    /// <summary>
    /// What GPv2's <c>computeTradeExecution</c> makes of a trade at these prices: it refuses a broken limit
    /// (<c>sellAmount × sellPrice ≥ buyAmount × buyPrice</c>), rounds a sell order's bought amount up and a buy
    /// order's sold amount down.
    /// </summary>
    /// <param name="trade">The trade.</param>
    /// <param name="prices">The clearing prices, indexed like the token list.</param>
    /// <returns>The executed sell and buy amounts, or null where GPv2 would revert on the limit.</returns>
    public static (BigInteger Sell, BigInteger Buy)? Execute(CowTrade trade, IReadOnlyList<BigInteger> prices)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(prices);
        BigInteger sellPrice = prices[trade.SellTokenIndex];
        BigInteger buyPrice = prices[trade.BuyTokenIndex];
        if (trade.SellAmount * sellPrice < trade.BuyAmount * buyPrice)
        {
            return null;
        }

        if ((trade.Flags & KindBuy) == 0)
        {
            BigInteger sold = trade.ExecutedAmount;
            return (sold, BigInteger.Divide((sold * sellPrice) + buyPrice - 1, buyPrice));
        }

        BigInteger bought = trade.ExecutedAmount;
        return (BigInteger.Divide(bought * buyPrice, sellPrice), bought);
    }

    private static AbiValue TradeValue(CowTrade trade) => AbiValue.Tuple(
        AbiValue.FromInteger(trade.SellTokenIndex),
        AbiValue.FromInteger(trade.BuyTokenIndex),
        AbiValue.FromAddress(trade.Terms.Receiver),
        AbiValue.FromInteger(trade.SellAmount),
        AbiValue.FromInteger(trade.BuyAmount),
        AbiValue.FromInteger(trade.Terms.ValidTo),
        AbiValue.FromBytes(trade.Terms.AppData.ToArray()),
        AbiValue.FromInteger(BigInteger.Zero),
        AbiValue.FromInteger(trade.Flags),
        AbiValue.FromInteger(trade.ExecutedAmount),
        AbiValue.FromBytes(trade.Terms.Signature));
}
