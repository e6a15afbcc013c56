using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Markets;

/// <summary>
/// A spot or derivatives market traded in integer lots at integer price ticks.
/// </summary>
/// <remarks>
/// <para>
/// A fill of <c>q</c> lots at <c>p</c> ticks moves <c>q × LotSize</c> base atoms and <c>q × p × TickSize</c> quote
/// atoms. Atoms are the tokens' smallest units (wei for an 18-decimal token), held in <see cref="UInt128"/>.
/// </para>
/// <para>
/// Overflow is ruled out by construction rather than detected mid-batch: a market carries a maximum price and a
/// maximum order quantity such that <c>MaxOrderQuantity × MaxPrice × TickSize</c> and
/// <c>MaxOrderQuantity × LotSize</c> both fit in <see cref="UInt128"/>. Orders beyond those bounds are rejected one by
/// one at intake, so no accepted order can make a batch's arithmetic overflow and no attacker can sink a batch with
/// an absurd order.
/// </para>
/// </remarks>
public sealed class Market
{
    /// <summary>
    /// Creates a market whose prices may be anywhere in the positive 63-bit range; the maximum order quantity is the
    /// largest that keeps every notional within <see cref="UInt128"/> (capped at <see cref="long.MaxValue"/> lots).
    /// </summary>
    /// <param name="baseToken">The token traded, counted in lots.</param>
    /// <param name="quoteToken">The token prices are paid in.</param>
    /// <param name="lotSize">Base atoms per lot; positive.</param>
    /// <param name="tickSize">Quote atoms per lot per price tick; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lotSize"/> or <paramref name="tickSize"/> is zero, or they are so large that not even one lot at the maximum price fits in <see cref="UInt128"/>.</exception>
    public Market(Address baseToken, Address quoteToken, UInt128 lotSize, UInt128 tickSize)
        : this(baseToken, quoteToken, lotSize, tickSize, long.MaxValue, LargestSafeQuantity(lotSize, tickSize, long.MaxValue))
    {
    }

    /// <summary>Creates a market with explicit price and order-size bounds.</summary>
    /// <param name="baseToken">The token traded, counted in lots.</param>
    /// <param name="quoteToken">The token prices are paid in.</param>
    /// <param name="lotSize">Base atoms per lot; positive.</param>
    /// <param name="tickSize">Quote atoms per lot per price tick; positive.</param>
    /// <param name="maxPrice">The highest limit or reference price accepted, in ticks; positive.</param>
    /// <param name="maxOrderQuantity">The largest order accepted, in lots; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or bound is not positive, or <c>maxOrderQuantity × maxPrice × tickSize</c> or <c>maxOrderQuantity × lotSize</c> does not fit in <see cref="UInt128"/>.</exception>
    public Market(Address baseToken, Address quoteToken, UInt128 lotSize, UInt128 tickSize, long maxPrice, long maxOrderQuantity)
    {
        if (lotSize == UInt128.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(lotSize), "The lot size must be at least one base atom.");
        }

        if (tickSize == UInt128.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(tickSize), "The tick size must be at least one quote atom.");
        }

        if (maxPrice <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxPrice), "The maximum price must be positive.");
        }

        if (maxOrderQuantity <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxOrderQuantity), "The maximum order quantity must be positive (and the lot and tick sizes small enough that one lot at the maximum price fits in UInt128).");
        }

        if (maxOrderQuantity > LargestSafeQuantity(lotSize, tickSize, maxPrice))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxOrderQuantity), "maxOrderQuantity × maxPrice × tickSize or maxOrderQuantity × lotSize does not fit in UInt128.");
        }

        BaseToken = baseToken;
        QuoteToken = quoteToken;
        LotSize = lotSize;
        TickSize = tickSize;
        MaxPrice = maxPrice;
        MaxOrderQuantity = maxOrderQuantity;
    }

    /// <summary>The token traded, counted in lots.</summary>
    public Address BaseToken { get; }

    /// <summary>The token prices are paid in.</summary>
    public Address QuoteToken { get; }

    /// <summary>Base atoms per lot.</summary>
    public UInt128 LotSize { get; }

    /// <summary>Quote atoms per lot per price tick.</summary>
    public UInt128 TickSize { get; }

    /// <summary>The highest limit or reference price accepted, in ticks.</summary>
    public long MaxPrice { get; }

    /// <summary>The largest order accepted, in lots.</summary>
    public long MaxOrderQuantity { get; }

    /// <summary>
    /// Whether the market accepts an order with these terms, by the rules the clearing engine validates with: a side
    /// and type it knows, a quantity from 1 to <see cref="MaxOrderQuantity"/>, and a price from 1 to
    /// <see cref="MaxPrice"/> (for a limit order its limit; for a sealed market order its signed worst price).
    /// </summary>
    /// <param name="side">The order's side.</param>
    /// <param name="type">The order's type.</param>
    /// <param name="price">The limit or worst price in ticks.</param>
    /// <param name="quantity">The quantity in lots.</param>
    /// <returns>Whether every term is within bounds; then every amount the order can move fits in <see cref="UInt128"/>.</returns>
    public bool Accepts(Side side, OrderType type, long price, long quantity) =>
        side is Side.Buy or Side.Sell && type is OrderType.Limit or OrderType.Market &&
        quantity > 0 && quantity <= MaxOrderQuantity && price > 0 && price <= MaxPrice;

    /// <summary>The base atoms moved by a fill of <paramref name="lots"/> lots.</summary>
    /// <param name="lots">A non-negative number of lots.</param>
    /// <returns><c>lots × LotSize</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lots"/> is negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in <see cref="UInt128"/> (only possible beyond <see cref="MaxOrderQuantity"/>).</exception>
    public UInt128 BaseAtoms(long lots)
    {
        if (lots < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(lots), "A lot count cannot be negative.");
        }

        return checked((ulong)lots * LotSize);
    }

    /// <summary>The quote atoms moved by a fill of <paramref name="lots"/> lots at <paramref name="price"/> ticks.</summary>
    /// <param name="lots">A non-negative number of lots.</param>
    /// <param name="price">A non-negative price in ticks.</param>
    /// <returns><c>lots × price × TickSize</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lots"/> or <paramref name="price"/> is negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in <see cref="UInt128"/> (only possible beyond the market's bounds).</exception>
    public UInt128 QuoteAtoms(long lots, long price)
    {
        if (lots < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(lots), "A lot count cannot be negative.");
        }

        if (price < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(price), "A price cannot be negative.");
        }

        return checked(WideMath.Multiply((ulong)lots, (ulong)price) * TickSize);
    }

    /// <summary>The largest quantity q with q × maxPrice × tickSize and q × lotSize both within UInt128, capped at long.MaxValue.</summary>
    private static long LargestSafeQuantity(UInt128 lotSize, UInt128 tickSize, long maxPrice)
    {
        if (lotSize == UInt128.Zero || tickSize == UInt128.Zero || maxPrice <= 0)
        {
            return long.MaxValue; // The constructor reports the real problem.
        }

        UInt128 byNotional = UInt128.MaxValue / (ulong)maxPrice / tickSize;
        UInt128 byBase = UInt128.MaxValue / lotSize;
        UInt128 bound = UInt128.Min(UInt128.Min(byNotional, byBase), (UInt128)long.MaxValue);
        return (long)bound;
    }
}
