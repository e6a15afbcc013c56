namespace AuctionEngine.Venue;

/// <summary>
/// A volatility interruption for one market's batches, after Xetra's: a dynamic band around the last clearing price,
/// a static band around the oracle, and how many blocks an interrupted batch waits.
/// </summary>
/// <remarks>
/// A price p is inside a band of <c>b</c> basis points around a reference r when
/// <c>r × (10000 − b) ≤ p × 10000 ≤ r × (10000 + b)</c>, compared exactly in integers: both edges are inside.
/// </remarks>
public sealed class CircuitBreakerSettings
{
    /// <summary>The widest band: ±100 %.</summary>
    public const int MaxBandBps = 10_000;

    /// <summary>Creates the settings.</summary>
    /// <param name="dynamicBandBps">The band around the last clearing price, in basis points; 0 turns it off.</param>
    /// <param name="staticBandBps">The band around the block's usable oracle price, in basis points; 0 turns it off.</param>
    /// <param name="extensionBlocks">How many blocks an interrupted batch waits before it clears: batch N clears at N + k.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A band is outside 0 to <see cref="MaxBandBps"/>, or <paramref name="extensionBlocks"/> is below 1.
    /// </exception>
    public CircuitBreakerSettings(int dynamicBandBps, int staticBandBps, int extensionBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dynamicBandBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dynamicBandBps, MaxBandBps);
        ArgumentOutOfRangeException.ThrowIfNegative(staticBandBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(staticBandBps, MaxBandBps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(extensionBlocks);
        DynamicBandBps = dynamicBandBps;
        StaticBandBps = staticBandBps;
        ExtensionBlocks = extensionBlocks;
    }

    /// <summary>No interruption ever: both bands off.</summary>
    public static CircuitBreakerSettings Off { get; } = new(0, 0, 1);

    /// <summary>The band around the last clearing price, in basis points; 0 when off.</summary>
    public int DynamicBandBps { get; }

    /// <summary>The band around the block's usable oracle price, in basis points; 0 when off.</summary>
    public int StaticBandBps { get; }

    /// <summary>How many blocks an interrupted batch waits: batch N interrupted clears at N + <see cref="ExtensionBlocks"/>.</summary>
    public int ExtensionBlocks { get; }

    /// <summary>Whether <paramref name="price"/> lies within <paramref name="bandBps"/> of <paramref name="reference"/>, edges included.</summary>
    /// <param name="price">The would-be clearing price in ticks.</param>
    /// <param name="reference">The band's centre in ticks.</param>
    /// <param name="bandBps">The band's half-width in basis points.</param>
    /// <returns><see langword="true"/> when <c>reference × (10000 − bandBps) ≤ price × 10000 ≤ reference × (10000 + bandBps)</c>.</returns>
    public static bool IsInside(long price, long reference, int bandBps)
    {
        Int128 scaled = (Int128)price * 10_000;
        return scaled >= (Int128)reference * (10_000 - bandBps) && scaled <= (Int128)reference * (10_000 + bandBps);
    }
}
