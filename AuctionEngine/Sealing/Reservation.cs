using System.Text.Json.Serialization;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Serialization;
using AuctionEngine.Signing;

namespace AuctionEngine.Sealing;

/// <summary>
/// The funds a commitment set aside when it was registered: base and quote atoms held for that one order until its
/// batch settles or expires (the settlement contract's <c>commit(commitment, baseReserved, quoteReserved)</c>).
/// </summary>
/// <remarks>
/// An opened order trades only if its reservation covers its worst case: <c>quantity × limitPrice × tickSize</c>
/// quote atoms for a buy (a market buy at its signed worst price), <c>quantity × lotSize</c> base atoms for a sell.
/// Otherwise it is refused as <see cref="SealRejectReason.Unfunded"/>, so that a settlement can never fail for lack of
/// funds, and no trader can pull funds out from under a batch after seeing its result. A trader who wants to hide
/// the side of a sealed order reserves both tokens.
/// </remarks>
[JsonConverter(typeof(ReservationJsonConverter))]
public readonly record struct Reservation
{
    /// <summary>The most atoms of either token one commitment can reserve: the contract stores each in 112 bits.</summary>
    public static readonly UInt128 MaxAtoms = (UInt128.One << 112) - 1;

    /// <summary>Creates a reservation.</summary>
    /// <param name="baseAtoms">Base atoms reserved, at most <see cref="MaxAtoms"/>.</param>
    /// <param name="quoteAtoms">Quote atoms reserved, at most <see cref="MaxAtoms"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An amount exceeds <see cref="MaxAtoms"/>.</exception>
    public Reservation(UInt128 baseAtoms, UInt128 quoteAtoms)
    {
        if (baseAtoms > MaxAtoms)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(baseAtoms), "A reservation holds at most 2^112 - 1 atoms of each token.");
        }

        if (quoteAtoms > MaxAtoms)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(quoteAtoms), "A reservation holds at most 2^112 - 1 atoms of each token.");
        }

        BaseAtoms = baseAtoms;
        QuoteAtoms = quoteAtoms;
    }

    /// <summary>Base atoms reserved.</summary>
    public UInt128 BaseAtoms { get; }

    /// <summary>Quote atoms reserved.</summary>
    public UInt128 QuoteAtoms { get; }

    /// <summary>
    /// Whether this reservation pays for <paramref name="order"/> at its worst: a buy's quantity at its limit (or
    /// worst) price in quote atoms, or a sell's quantity in base atoms.
    /// </summary>
    /// <param name="order">The order; it must be within the market's bounds (<see cref="Market.Accepts"/>), which
    /// keeps every product within 128 bits.</param>
    /// <param name="market">The market the order trades in.</param>
    /// <returns>Whether the order is funded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="OverflowException">The order is beyond the market's bounds and its worst case exceeds 128 bits.</exception>
    public bool Covers(in SealedOrder order, Market market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return order.Side == Side.Buy
            ? market.QuoteAtoms(order.Quantity, order.LimitPrice) <= QuoteAtoms
            : market.BaseAtoms(order.Quantity) <= BaseAtoms;
    }
}
