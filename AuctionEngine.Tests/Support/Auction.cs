using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// What one call of <see cref="ClearingEngine.Clear"/> or <see cref="ClearingEngine.ClearAtPrice"/> returned, kept with
/// the orders it was given.
/// </summary>
internal sealed record BatchOutcome(ClearingResult Result, IReadOnlyList<Order> Orders, Fill[] Fills)
{
    /// <summary>Built on first use: looking up every order of a 100,000-order batch must not be quadratic.</summary>
    private ILookup<ulong, int>? _indicesById;

    /// <summary>Lots traded, order by order.</summary>
    public long[] FilledQuantities => [.. Fills.Select(f => f.FilledQuantity)];

    /// <summary>Why each order was rejected (<see cref="RejectReason.None"/> when accepted), order by order.</summary>
    public RejectReason[] Rejections => [.. Fills.Select(f => f.Rejection)];

    /// <summary>Lots bought (<see cref="Side.Buy"/>) or sold (<see cref="Side.Sell"/>) in total.</summary>
    public BigInteger Lots(Side side) => Sum(side, f => f.FilledQuantity);

    /// <summary>Quote atoms paid by buyers (<see cref="Side.Buy"/>) or received by sellers (<see cref="Side.Sell"/>) in total.</summary>
    public BigInteger QuoteAtoms(Side side) => Sum(side, f => (BigInteger)f.QuoteAmount);

    /// <summary>The fill of the only order with this id.</summary>
    public Fill FillOf(ulong id) => Fills[IndexOf(id)];

    /// <summary>The lots traded by the only order with this id.</summary>
    public long Filled(ulong id) => FillOf(id).FilledQuantity;

    private BigInteger Sum(Side side, Func<Fill, BigInteger> amount) =>
        Enumerable.Range(0, Orders.Count).Where(i => Orders[i].Side == side).Aggregate(BigInteger.Zero, (sum, i) => sum + amount(Fills[i]));

    private int IndexOf(ulong id)
    {
        _indicesById ??= Enumerable.Range(0, Orders.Count).ToLookup(i => Orders[i].Id);
        int[] matches = [.. _indicesById[id]];
        if (matches.Length != 1)
        {
            throw new InvalidOperationException($"Expected exactly one order with id {id}, found {matches.Length}.");
        }

        return matches[0];
    }
}

/// <summary>Runs the engine on a list of orders and keeps everything it returned.</summary>
internal static class Auction
{
    /// <summary>Clears <paramref name="orders"/> on <paramref name="engine"/> (a fresh one sized for the batch if none is given).</summary>
    public static BatchOutcome Clear(IReadOnlyList<Order> orders, ClearingOptions options = default, Market? market = null, ClearingEngine? engine = null)
    {
        Order[] batch = [.. orders];
        var fills = new Fill[batch.Length];
        engine ??= new ClearingEngine(Math.Max(1, batch.Length));
        ClearingResult result = engine.Clear(market ?? Build.UnitMarket(), batch, fills, options);
        return new BatchOutcome(result, batch, fills);
    }

    /// <summary>Clears <paramref name="orders"/> at <paramref name="price"/> on <paramref name="engine"/> (a fresh one sized for the batch if none is given).</summary>
    public static BatchOutcome ClearAt(IReadOnlyList<Order> orders, long price, Market? market = null, ClearingEngine? engine = null)
    {
        Order[] batch = [.. orders];
        var fills = new Fill[batch.Length];
        engine ??= new ClearingEngine(Math.Max(1, batch.Length));
        ClearingResult result = engine.ClearAtPrice(market ?? Build.UnitMarket(), batch, fills, price);
        return new BatchOutcome(result, batch, fills);
    }
}
