using System.Diagnostics;

namespace AuctionEngine.Clearing;

/// <summary>
/// The book reduced to what the price rules need: the distinct limit prices in ascending order, with demand D and
/// supply S at each, and the market-order totals. D and S are constant between consecutive limit prices, so this is
/// the whole demand and supply curve.
/// </summary>
/// <remarks>
/// A ladder may also be a window onto the book: the exact levels of every limit price from <see cref="Low"/> to
/// <see cref="High"/>, with what lies outside summed into <see cref="DemandAbove"/> and <see cref="SupplyBelow"/>.
/// It is the whole book when it reaches from 1 to <see cref="long.MaxValue"/>. Whoever reads a window must notice
/// when the answer depends on what lies beyond it (see <see cref="IsBottom"/> and <see cref="IsTop"/>).
/// </remarks>
internal readonly ref struct PriceLadder
{
    /// <summary>The whole book.</summary>
    public PriceLadder(ReadOnlySpan<long> prices, ReadOnlySpan<UInt128> demand, ReadOnlySpan<UInt128> supply, UInt128 marketBuy, UInt128 marketSell, long? bestBid, long? bestAsk)
        : this(prices, demand, supply, marketBuy, marketSell, marketBuy, marketSell, 1, long.MaxValue, bestBid, bestAsk)
    {
    }

    /// <summary>The book's levels from <paramref name="low"/> to <paramref name="high"/>.</summary>
    public PriceLadder(
        ReadOnlySpan<long> prices,
        ReadOnlySpan<UInt128> demand,
        ReadOnlySpan<UInt128> supply,
        UInt128 marketBuy,
        UInt128 marketSell,
        UInt128 demandAbove,
        UInt128 supplyBelow,
        long low,
        long high,
        long? bestBid,
        long? bestAsk)
    {
        Debug.Assert(prices.Length == demand.Length && prices.Length == supply.Length);
        Debug.Assert(low >= 1 && low <= high && (prices.IsEmpty || (prices[0] >= low && prices[^1] <= high)));
        Prices = prices;
        Demand = demand;
        Supply = supply;
        MarketBuy = marketBuy;
        MarketSell = marketSell;
        DemandAbove = demandAbove;
        SupplyBelow = supplyBelow;
        Low = low;
        High = high;
        BestBid = bestBid;
        BestAsk = bestAsk;
    }

    /// <summary>Distinct limit prices, ascending.</summary>
    public ReadOnlySpan<long> Prices { get; }

    /// <summary>D at <c>Prices[j]</c>: market buys plus limit buys with limit ≥ <c>Prices[j]</c>.</summary>
    public ReadOnlySpan<UInt128> Demand { get; }

    /// <summary>S at <c>Prices[j]</c>: market sells plus limit sells with limit ≤ <c>Prices[j]</c>.</summary>
    public ReadOnlySpan<UInt128> Supply { get; }

    /// <summary>Total lots of market buys.</summary>
    public UInt128 MarketBuy { get; }

    /// <summary>Total lots of market sells.</summary>
    public UInt128 MarketSell { get; }

    /// <summary>D above the ladder's last level: market buys plus limit buys above <see cref="High"/>.</summary>
    public UInt128 DemandAbove { get; }

    /// <summary>S below the ladder's first level: market sells plus limit sells below <see cref="Low"/>.</summary>
    public UInt128 SupplyBelow { get; }

    /// <summary>The lowest tick the ladder covers: every limit price from here to <see cref="High"/> is one of <see cref="Prices"/>.</summary>
    public long Low { get; }

    /// <summary>The highest tick the ladder covers.</summary>
    public long High { get; }

    /// <summary>Whether no limit price lies below the ladder.</summary>
    public bool IsBottom => Low == 1;

    /// <summary>Whether no limit price lies above the ladder.</summary>
    public bool IsTop => High == long.MaxValue;

    /// <summary>The book's highest buy limit, if any (wherever it lies).</summary>
    public long? BestBid { get; }

    /// <summary>The book's lowest sell limit, if any (wherever it lies).</summary>
    public long? BestAsk { get; }

    public int Count => Prices.Length;

    /// <summary>D(p) at any price from <see cref="Low"/> to <see cref="High"/>.</summary>
    public UInt128 DemandAt(long price)
    {
        Debug.Assert(price >= Low && price <= High);
        int j = FirstAtOrAbove(price);
        return j < Count ? Demand[j] : DemandAbove;
    }

    /// <summary>S(p) at any price from <see cref="Low"/> to <see cref="High"/>.</summary>
    public UInt128 SupplyAt(long price)
    {
        Debug.Assert(price >= Low && price <= High);
        int j = FirstAtOrAbove(price);
        if (j < Count && Prices[j] == price)
        {
            return Supply[j];
        }

        return j > 0 ? Supply[j - 1] : SupplyBelow;
    }

    /// <summary>Lots of limit buys at exactly <c>Prices[j]</c>.</summary>
    public UInt128 BuysAt(int j) => Demand[j] - (j + 1 < Count ? Demand[j + 1] : DemandAbove);

    /// <summary>Lots of limit sells at exactly <c>Prices[j]</c>.</summary>
    public UInt128 SellsAt(int j) => Supply[j] - (j > 0 ? Supply[j - 1] : SupplyBelow);

    /// <summary>The index of the first limit price ≥ <paramref name="price"/>, or <see cref="Count"/>.</summary>
    public int FirstAtOrAbove(long price)
    {
        int index = Prices.BinarySearch(price);
        return index >= 0 ? index : ~index;
    }
}
