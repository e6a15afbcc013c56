using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Settlement;

/// <summary>How a CoW Protocol order was signed (bits 5–6 of a trade's flags).</summary>
public enum CowSigningScheme
{
    /// <summary>EIP-712 over the GPv2 order struct.</summary>
    Eip712 = 0,

    /// <summary><c>eth_sign</c> of the order's EIP-712 digest.</summary>
    EthSign = 1,

    /// <summary>A smart-contract signature checked with EIP-1271.</summary>
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
/// Encodes a cleared batch as CoW Protocol's <c>GPv2Settlement.settle</c>, so a CoW solver can embed the engine: one
/// uniform clearing-price vector for the market's two tokens, and one partially fillable trade per order that trades.
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
/// base atoms for at most <c>quantity × limit × tickSize</c> quote atoms. A market order's limit is the market's
/// <see cref="Market.MaxPrice"/> for a buy and 0 for a sell. Fees are zero; interactions are empty.
/// </para>
/// </remarks>
public static class CowSettlement
{
    /// <summary>The GPv2 settlement function; its selector is <c>0x13d79a0b</c>.</summary>
    public static AbiFunction Settle { get; } = AbiFunction.Parse(
        "settle(address[],uint256[],(uint256,uint256,address,uint256,uint256,uint32,bytes32,uint256,uint256,uint256,bytes)[],(address,uint256,bytes)[][3])");

    private const uint KindBuy = 1;
    private const uint PartiallyFillable = 1 << 1;
    private const int SigningSchemeShift = 5;
    private const int BaseIndex = 0;
    private const int QuoteIndex = 1;

    /// <summary>The uniform clearing prices of <c>[base, quote]</c> for a batch cleared at <paramref name="price"/> ticks.</summary>
    /// <param name="market">The market.</param>
    /// <param name="price">The clearing price in ticks.</param>
    /// <returns>Two prices whose ratio is the quote atoms one base atom is worth.</returns>
    public static (BigInteger Base, BigInteger Quote) ClearingPrices(Market market, long price)
    {
        ArgumentNullException.ThrowIfNull(market);
        return ((BigInteger)price * (BigInteger)market.TickSize, (BigInteger)market.LotSize);
    }

    /// <summary>The GPv2 trade of one order of the batch.</summary>
    /// <param name="market">The market.</param>
    /// <param name="order">The order as the engine cleared it.</param>
    /// <param name="fill">What it traded.</param>
    /// <param name="terms">The CoW order's signature and other fields.</param>
    /// <returns>The trade, with the limit GPv2 will check and the executed amount.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> or <paramref name="terms"/> is null.</exception>
    public static CowTrade Trade(Market market, in Order order, in Fill fill, CowOrderTerms terms)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(terms);
        BigInteger baseAtoms = (BigInteger)order.Quantity * (BigInteger)market.LotSize;
        long limit = order.IsMarket ? (order.Side == Side.Buy ? market.MaxPrice : 0) : order.LimitPrice;
        BigInteger quoteLimit = (BigInteger)order.Quantity * limit * (BigInteger)market.TickSize;
        BigInteger executedBase = (BigInteger)fill.FilledQuantity * (BigInteger)market.LotSize;
        uint scheme = (uint)terms.Scheme << SigningSchemeShift;
        return order.Side == Side.Buy
            ? new CowTrade(QuoteIndex, BaseIndex, quoteLimit, baseAtoms, KindBuy | PartiallyFillable | scheme, executedBase, terms)
            : new CowTrade(BaseIndex, QuoteIndex, baseAtoms, quoteLimit, PartiallyFillable | scheme, executedBase, terms);
    }

    /// <summary>The calldata of <c>settle(tokens, clearingPrices, trades, interactions)</c>.</summary>
    /// <param name="market">The market; its base and quote tokens are the settlement's two tokens.</param>
    /// <param name="price">The clearing price in ticks.</param>
    /// <param name="trades">The trades, from <see cref="Trade"/>.</param>
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
