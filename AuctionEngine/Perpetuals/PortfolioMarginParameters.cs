namespace AuctionEngine.Perpetuals;

/// <summary>
/// The scenario grid of the risk-based (portfolio) margin of accounts that hold options, SPAN and Derive style, and
/// how such an account's option positions are liquidated.
/// </summary>
/// <remarks>
/// <para>
/// Per underlying, the grid moves the oracle price <c>O</c> to <c>O × (1 + x × (2i / (n − 1) − 1))</c> for
/// <c>i = 0 … n − 1</c> (just <c>O</c> when <c>n = 1</c>) and every series' volatility <c>σ</c> to
/// <c>σ × (1 + y × (2j / (m − 1) − 1))</c> for <c>j = 0 … m − 1</c>, with <c>x = </c><see cref="PriceMovePpm"/>
/// and <c>y = </c><see cref="VolatilityMovePpm"/> in ppm. The default is 21 × 5 points, ±15% and ±30%.
/// </para>
/// <para>
/// Per underlying, the risk charge is the worst loss over the grid (zero at least) or, where it is larger, the short
/// option minimum (<see cref="ShortOptionMinimumPpm"/>); the maintenance requirement is the sum of the charges, the
/// initial requirement that sum × <see cref="InitialMultiplierPpm"/> / 10^6. Both are rounded up to whole quote atoms.
/// </para>
/// </remarks>
/// <param name="PriceMovePpm">x: the largest relative move of the underlying, in ppm; 0 to 999,999.</param>
/// <param name="PriceSteps">n: the number of price points, 1 to 201.</param>
/// <param name="VolatilityMovePpm">y: the largest relative move of each series' volatility, in ppm; 0 to 999,999.</param>
/// <param name="VolatilitySteps">m: the number of volatility points, 1 to 51.</param>
/// <param name="InitialMultiplierPpm">The initial requirement as a multiple of the maintenance one, in ppm; at least 1,000,000.</param>
/// <param name="LiquidationPenaltyPpm">How far a liquidation order for an option position is priced from the mark premium, against the account, in ppm of the underlying notional the lot covers at the oracle.</param>
/// <param name="LiquidationPortionPpm">The share of an option position one liquidation order closes (rounded up, at least one lot), in ppm; 1 to 1,000,000.</param>
/// <param name="ShortOptionMinimumPpm">
/// The short option minimum, in ppm of the underlying notional one short lot covers at the oracle; 0 to 1,000,000 (0
/// turns it off). One short lot of a series costs at least <c>⌈ShortOptionMinimumPpm × contract size × O × underlying
/// tick size / 10^6⌉</c> quote atoms, and per underlying the risk charge is the larger of the grid's worst loss and
/// Σ short lots × that minimum. Without it, a short option far out of the money loses almost nothing anywhere on the
/// grid, so an account could sell any number of them against almost no collateral, and a move past the grid's edge
/// (or a gap) would leave a loss nobody margined. SPAN has the same floor: per combined commodity the risk
/// requirement is the larger of the scan risk (with its spread charges) and the short option minimum, a charge per
/// short option contract (CME's SPAN publishes its "Short Option Minimum" rates per combined commodity); Derive's
/// portfolio margin adds a contingency per short option of a share of spot (<c>optionPercent</c>, 2% in
/// derivexyz/v2-core's mainnet configuration). The default, 10,000 (1%), is a floor in SPAN's sense, not an
/// addition: it binds only where the grid sees almost no risk (every short option near enough to the money that the
/// ±15% default grid loses more than 1% of its notional keeps the grid's charge), and there it bounds a seller's short
/// lots by its collateral (at most 80 × its collateral in underlying notional at the default 1.25 initial multiplier)
/// and covers the payoff of the underlying ending 1% of the oracle price past a far strike, a loss no option's value
/// (delta at most 1) grows faster than.
/// </param>
public sealed record PortfolioMarginParameters(
    int PriceMovePpm = 150_000,
    int PriceSteps = 21,
    int VolatilityMovePpm = 300_000,
    int VolatilitySteps = 5,
    int InitialMultiplierPpm = 1_250_000,
    int LiquidationPenaltyPpm = 10_000,
    int LiquidationPortionPpm = 1_000_000,
    int ShortOptionMinimumPpm = 10_000)
{
    /// <summary>The number of scenarios: <see cref="PriceSteps"/> × <see cref="VolatilitySteps"/>.</summary>
    public int ScenarioCount => PriceSteps * VolatilitySteps;

    /// <summary>Checks every parameter's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    internal void Validate()
    {
        Check(PriceMovePpm, 0, PerpetualMarket.OneMillion - 1, nameof(PriceMovePpm));
        Check(PriceSteps, 1, 201, nameof(PriceSteps));
        Check(VolatilityMovePpm, 0, PerpetualMarket.OneMillion - 1, nameof(VolatilityMovePpm));
        Check(VolatilitySteps, 1, 51, nameof(VolatilitySteps));
        Check(InitialMultiplierPpm, PerpetualMarket.OneMillion, int.MaxValue, nameof(InitialMultiplierPpm));
        Check(LiquidationPenaltyPpm, 0, PerpetualMarket.OneMillion, nameof(LiquidationPenaltyPpm));
        Check(LiquidationPortionPpm, 1, PerpetualMarket.OneMillion, nameof(LiquidationPortionPpm));
        Check(ShortOptionMinimumPpm, 0, PerpetualMarket.OneMillion, nameof(ShortOptionMinimumPpm));
    }

    private static void Check(long value, long min, long max, string name)
    {
        if (value < min || value > max)
        {
            ThrowHelper.ThrowArgumentOutOfRange_PerpetualParameter(name, value, min, max);
        }
    }
}
