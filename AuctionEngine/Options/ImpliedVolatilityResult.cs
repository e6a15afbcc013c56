namespace AuctionEngine.Options;

/// <summary>The outcome of solving for an implied volatility: the volatility, or why there is none. Never NaN.</summary>
/// <param name="Status">Whether a volatility was found, and if not, why.</param>
/// <param name="Volatility">
/// The implied volatility per √year as a fraction (0.2 for 20%) when <paramref name="Status"/> is
/// <see cref="ImpliedVolatilityStatus.Solved"/>; zero otherwise.
/// </param>
public readonly record struct ImpliedVolatilityResult(ImpliedVolatilityStatus Status, double Volatility)
{
    /// <summary>Whether <see cref="Volatility"/> holds a volatility that reproduces the price.</summary>
    public bool IsSolved => Status == ImpliedVolatilityStatus.Solved;
}
