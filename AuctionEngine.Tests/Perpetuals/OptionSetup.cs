using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>An engine with one perpetual market and option series on it, and helpers shared by the option series tests.</summary>
internal static class OptionSetup
{
    public const long Oracle = 10_000;
    public const long Timestamp = 1_700_000_000;
    public const long ThirtyDays = 30L * 86_400;

    public static Market PerpMarket() => Build.MarketWith(lotSize: 1, tickSize: 10, maxPrice: 1_000_000_000, maxOrderQuantity: 1_000_000);

    public static Market PremiumMarket(UInt128? tickSize = null) => Build.MarketWith(lotSize: 1, tickSize: tickSize ?? 1, maxPrice: 1_000_000_000, maxOrderQuantity: 1_000_000);

    public static PerpetualEngine Engine() => new([PerpetualSetup.Perpetual(market: PerpMarket(), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000)]);

    public static OptionSeries Series(OptionType type, long strike, long expiryBlock = 100, long contractSize = 1, UInt128? tickSize = null, int feePpm = 0) =>
        new(PremiumMarket(tickSize), 0, type, strike, expiryBlock, Timestamp + ThirtyDays, contractSize, maxPosition: 100_000, feePpm);

    /// <summary>Sets the oracle and every series' volatility for <paramref name="block"/>.</summary>
    public static void Block(PerpetualEngine engine, long block, long oracle, double volatility)
    {
        engine.UpdateOracle([oracle]);
        engine.UpdateVolatilities(block, Timestamp + block, Enumerable.Repeat(volatility, engine.SeriesCount).ToArray());
    }

    /// <summary>Applies one market's fills in which <paramref name="account"/> buys <paramref name="lots"/> (sells if negative) from <paramref name="other"/> at <paramref name="price"/>.</summary>
    public static void Trade(PerpetualEngine engine, int market, UInt128 tickSize, long price, Address account, Address other, long lots)
    {
        long size = Math.Abs(lots);
        UInt128 quote = (UInt128)size * (ulong)price * tickSize;
        Order[] orders =
        [
            Order.Limit(1, account, lots > 0 ? Side.Buy : Side.Sell, price, size, 0),
            Order.Limit(2, other, lots > 0 ? Side.Sell : Side.Buy, price, size, 0),
        ];
        Fill[] fills = [new(size, quote, RejectReason.None), new(size, quote, RejectReason.None)];
        engine.ApplyFills(market, price, orders, fills);
        engine.EndBlock();
    }

    public static OrderAdmission AdmitOne(PerpetualEngine engine, int market, Order order, bool reduceOnly = false)
    {
        var results = new OrderAdmission[1];
        engine.Admit([new PerpetualOrder(market, order, reduceOnly)], results);
        return results[0];
    }
}
