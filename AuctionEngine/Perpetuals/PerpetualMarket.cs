using AuctionEngine.Markets;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// A perpetual futures market: the spot <see cref="Markets.Market"/> whose lots and ticks its orders trade in, with the
/// margin, fee, funding and liquidation parameters of dYdX v4's model.
/// </summary>
/// <remarks>
/// Every rate is in parts per million (ppm) of a notional. A position of <c>n</c> lots at an oracle price of <c>O</c>
/// ticks has the notional <c>n × O × TickSize</c> quote atoms. The constructor checks that the largest notional,
/// <c>MaxPosition × Market.MaxPrice × TickSize</c>, is at most 2^96 quote atoms, so that margin sums scaled by one
/// million stay far inside <see cref="Int128"/> for every market an engine can hold.
/// </remarks>
public sealed class PerpetualMarket
{
    /// <summary>One million: the denominator of every ppm rate.</summary>
    public const int OneMillion = 1_000_000;

    /// <summary>The largest notional a position may reach, in quote atoms: 2^96.</summary>
    public static readonly UInt128 MaxNotionalBound = UInt128.One << 96;

    /// <summary>Creates a perpetual market.</summary>
    /// <param name="market">The lot size, tick size and price and quantity bounds orders trade in.</param>
    /// <param name="initialMarginPpm">The initial margin fraction: the requirement an order must keep after its worst case; 1 to 1,000,000.</param>
    /// <param name="maintenanceMarginPpm">The maintenance margin fraction below which an account is liquidated; 1 to <paramref name="initialMarginPpm"/> − 1.</param>
    /// <param name="maxPosition">The largest absolute position in lots; 1 to the market's maximum order quantity.</param>
    /// <param name="feePpm">The trading fee charged to both sides of every fill; 0 to 1,000,000.</param>
    /// <param name="fundingIntervalBlocks">How many blocks each funding interval lasts; positive.</param>
    /// <param name="fundingCapPpm">The largest absolute funding rate per interval; 0 to 1,000,000.</param>
    /// <param name="bankruptcyAdjustmentPpm">dYdX's BA: scales how far the fillable price moves from the oracle as the account nears bankruptcy; at least 1,000,000.</param>
    /// <param name="spreadToMaintenanceMarginRatioPpm">dYdX's SMMR: the fillable price's largest spread from the oracle as a fraction of the maintenance fraction; 1 to 10,000,000.</param>
    /// <param name="maxLiquidationFeePpm">The largest fee a liquidation pays the insurance fund, per quote atom filled; 0 to 1,000,000.</param>
    /// <param name="minPositionNotionalLiquidated">The notional, in quote atoms, a liquidation order closes at least (or the whole position if smaller).</param>
    /// <param name="maxPositionPortionLiquidatedPpm">The share of a position's notional a liquidation order closes at most, unless the minimum is larger; 1 to 1,000,000.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given for it, or the largest notional exceeds <see cref="MaxNotionalBound"/>.</exception>
    public PerpetualMarket(
        Market market,
        int initialMarginPpm,
        int maintenanceMarginPpm,
        long maxPosition,
        int feePpm,
        int fundingIntervalBlocks,
        int fundingCapPpm,
        long bankruptcyAdjustmentPpm,
        int spreadToMaintenanceMarginRatioPpm,
        int maxLiquidationFeePpm,
        UInt128 minPositionNotionalLiquidated,
        int maxPositionPortionLiquidatedPpm)
    {
        ArgumentNullException.ThrowIfNull(market);
        CheckRange(initialMarginPpm, 1, OneMillion, nameof(initialMarginPpm));
        CheckRange(maintenanceMarginPpm, 1, initialMarginPpm - 1, nameof(maintenanceMarginPpm));
        CheckRange(maxPosition, 1, market.MaxOrderQuantity, nameof(maxPosition));
        CheckRange(feePpm, 0, OneMillion, nameof(feePpm));
        CheckRange(fundingIntervalBlocks, 1, int.MaxValue, nameof(fundingIntervalBlocks));
        CheckRange(fundingCapPpm, 0, OneMillion, nameof(fundingCapPpm));
        CheckRange(bankruptcyAdjustmentPpm, OneMillion, uint.MaxValue, nameof(bankruptcyAdjustmentPpm));
        CheckRange(spreadToMaintenanceMarginRatioPpm, 1, 10 * OneMillion, nameof(spreadToMaintenanceMarginRatioPpm));
        CheckRange(maxLiquidationFeePpm, 0, OneMillion, nameof(maxLiquidationFeePpm));
        CheckRange(maxPositionPortionLiquidatedPpm, 1, OneMillion, nameof(maxPositionPortionLiquidatedPpm));

        // maxPosition ≤ MaxOrderQuantity, so the product fits in UInt128 (the Market checked it).
        UInt128 maxNotional = (UInt128)(ulong)maxPosition * (ulong)market.MaxPrice * market.TickSize;
        if (maxNotional > MaxNotionalBound)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxPosition), "maxPosition × maxPrice × tickSize exceeds 2^96 quote atoms; lower the maximum position or the market's maximum price.");
        }

        Market = market;
        InitialMarginPpm = initialMarginPpm;
        MaintenanceMarginPpm = maintenanceMarginPpm;
        MaxPosition = maxPosition;
        FeePpm = feePpm;
        FundingIntervalBlocks = fundingIntervalBlocks;
        FundingCapPpm = fundingCapPpm;
        BankruptcyAdjustmentPpm = bankruptcyAdjustmentPpm;
        SpreadToMaintenanceMarginRatioPpm = spreadToMaintenanceMarginRatioPpm;
        MaxLiquidationFeePpm = maxLiquidationFeePpm;
        MinPositionNotionalLiquidated = minPositionNotionalLiquidated;
        MaxPositionPortionLiquidatedPpm = maxPositionPortionLiquidatedPpm;
    }

    /// <summary>The lot size, tick size and price and quantity bounds orders trade in.</summary>
    public Market Market { get; }

    /// <summary>Quote atoms per lot per tick (the market's tick size).</summary>
    public UInt128 TickSize => Market.TickSize;

    /// <summary>The initial margin fraction, in ppm.</summary>
    public int InitialMarginPpm { get; }

    /// <summary>The maintenance margin fraction, in ppm; below <see cref="InitialMarginPpm"/>.</summary>
    public int MaintenanceMarginPpm { get; }

    /// <summary>The largest absolute position, in lots.</summary>
    public long MaxPosition { get; }

    /// <summary>The trading fee on both sides of every fill, in ppm of the quote moved (rounded up).</summary>
    public int FeePpm { get; }

    /// <summary>How many blocks each funding interval lasts.</summary>
    public int FundingIntervalBlocks { get; }

    /// <summary>The largest absolute funding rate per interval, in ppm.</summary>
    public int FundingCapPpm { get; }

    /// <summary>dYdX's bankruptcy adjustment (BA), in ppm.</summary>
    public long BankruptcyAdjustmentPpm { get; }

    /// <summary>dYdX's spread to maintenance margin ratio (SMMR), in ppm.</summary>
    public int SpreadToMaintenanceMarginRatioPpm { get; }

    /// <summary>The largest liquidation fee paid to the insurance fund, in ppm of the quote filled.</summary>
    public int MaxLiquidationFeePpm { get; }

    /// <summary>The notional a liquidation order closes at least, in quote atoms (or the whole position if smaller).</summary>
    public UInt128 MinPositionNotionalLiquidated { get; }

    /// <summary>The share of a position's notional one liquidation order closes at most, in ppm, unless the minimum is larger.</summary>
    public int MaxPositionPortionLiquidatedPpm { get; }

    private static void CheckRange(long value, long min, long max, string name)
    {
        if (value < min || value > max)
        {
            ThrowHelper.ThrowArgumentOutOfRange_PerpetualParameter(name, value, min, max);
        }
    }
}
