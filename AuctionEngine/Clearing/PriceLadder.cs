using System.Diagnostics;

namespace AuctionEngine.Clearing;

/// <summary>
/// The book reduced to what the price rules need: the distinct limit prices in ascending order, with demand D and
/// supply S at each, and the market-order totals. D and S are constant between consecutive limit prices, so this is
/// the whole demand and supply curve.
/// </summary>
internal readonly ref struct PriceLadder
{
    public PriceLadder(ReadOnlySpan<long> prices, ReadOnlySpan<UInt128> demand, ReadOnlySpan<UInt128> supply, UInt128 marketBuy, UInt128 marketSell, long? bestBid, long? bestAsk)
    {
        Debug.Assert(prices.Length == demand.Length && prices.Length == supply.Length);
        Prices = prices;
        Demand = demand;
        Supply = supply;
        MarketBuy = marketBuy;
        MarketSell = marketSell;
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

    /// <summary>The highest buy limit, if any.</summary>
    public long? BestBid { get; }

    /// <summary>The lowest sell limit, if any.</summary>
    public long? BestAsk { get; }

    public int Count => Prices.Length;

    /// <summary>D(p) at any price.</summary>
    public UInt128 DemandAt(long price)
    {
        int j = FirstAtOrAbove(price);
        return j < Count ? Demand[j] : MarketBuy;
    }

    /// <summary>S(p) at any price.</summary>
    public UInt128 SupplyAt(long price)
    {
        int j = FirstAtOrAbove(price);
        if (j < Count && Prices[j] == price)
        {
            return Supply[j];
        }

        return j > 0 ? Supply[j - 1] : MarketSell;
    }

    /// <summary>Lots of limit buys at exactly <c>Prices[j]</c>.</summary>
    public UInt128 BuysAt(int j) => Demand[j] - (j + 1 < Count ? Demand[j + 1] : MarketBuy);

    /// <summary>Lots of limit sells at exactly <c>Prices[j]</c>.</summary>
    public UInt128 SellsAt(int j) => Supply[j] - (j > 0 ? Supply[j - 1] : MarketSell);

    /// <summary>The index of the first limit price ≥ <paramref name="price"/>, or <see cref="Count"/>.</summary>
    public int FirstAtOrAbove(long price)
    {
        int index = Prices.BinarySearch(price);
        return index >= 0 ? index : ~index;
    }
}
