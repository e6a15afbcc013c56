namespace AuctionEngine.Management.Internal;

/// <summary>
/// A quote's half-spread in ticks, exactly and rounded up (never narrower than signed):
/// <c>h = max(minHalfSpread, ⌈F × halfSpreadBps / 10⁴⌉) + ⌈F × (vegaSpreadBps × |vega| × deltaUnit + deltaSpreadBps × |delta| × vegaUnit) / (10⁴ × vegaUnit × deltaUnit)⌉</c>,
/// capped at <c>cap</c> (the market's maximum price: at that half-spread neither side fits, exactly as with any wider one).
/// </summary>
/// <remarks>
/// The widening is one exact fraction, but its numerator needs up to 2^49 × 2^16 × 2^63 × 2^63 = 2^191. It is computed
/// as <c>F·a / vegaUnit + F·b / deltaUnit</c> with <c>a = vegaSpreadBps × |vega|</c> and <c>b = deltaSpreadBps × |delta|</c>:
/// each of <c>F·a</c>, <c>F·b</c> is below 2^128 because <c>F ≤ </c><see cref="OrderManagerSettings.MaxSupportedPrice"/> &lt; 2^49
/// and <c>a, b &lt; 2^79</c>; the two remainders add up as <c>(ra × deltaUnit + rb × vegaUnit) / (vegaUnit × deltaUnit)</c>,
/// whose terms are below 2^126. So 128-bit integers give the exact ceiling with no overflow for every input, and no
/// big-integer allocation.
/// </remarks>
internal static class QuoteSpread
{
    private const uint BasisPoints = 10_000;

    /// <summary>The half-spread for fair value <paramref name="fairValue"/> (1 to <paramref name="cap"/>), capped at <paramref name="cap"/>.</summary>
    public static long HalfSpread(long fairValue, in ExposureTerms terms, long vega, long delta, long cap)
    {
        ulong f = (ulong)fairValue;
        ulong limit = (ulong)cap;
        ulong scaled = (ulong)CeilDiv((UInt128)f * (uint)terms.HalfSpreadBps, BasisPoints); // below 2^65 / 10^4
        ulong spread = Math.Max((ulong)terms.MinHalfSpread, scaled);
        if (spread >= limit)
        {
            return cap;
        }

        UInt128 vegaTerm = (UInt128)Magnitude(vega) * (uint)terms.VegaSpreadBps * f;
        UInt128 deltaTerm = (UInt128)Magnitude(delta) * (uint)terms.DeltaSpreadBps * f;
        UInt128 vegaUnit = (ulong)terms.VegaUnit;
        UInt128 deltaUnit = (ulong)terms.DeltaUnit;
        UInt128 vegaWhole = UInt128.DivRem(vegaTerm, vegaUnit).Quotient;
        UInt128 deltaWhole = UInt128.DivRem(deltaTerm, deltaUnit).Quotient;
        UInt128 enough = (UInt128)limit * BasisPoints; // a whole part this large already widens by the cap
        if (vegaWhole >= enough || deltaWhole >= enough)
        {
            return cap;
        }

        UInt128 fraction = ((vegaTerm - (vegaWhole * vegaUnit)) * deltaUnit) + ((deltaTerm - (deltaWhole * deltaUnit)) * vegaUnit);
        UInt128 denominator = vegaUnit * deltaUnit;
        UInt128 whole = vegaWhole + deltaWhole;
        if (fraction >= denominator)
        {
            whole++;
            fraction -= denominator;
        }

        (UInt128 widening, UInt128 rest) = UInt128.DivRem(whole, BasisPoints);
        if (rest != 0 || fraction != 0)
        {
            widening++;
        }

        return (long)Math.Min(spread + (ulong)UInt128.Min(widening, limit), limit);
    }

    /// <summary>|value| as an unsigned number, exact for <see cref="long.MinValue"/>.</summary>
    private static ulong Magnitude(long value) => value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;

    private static UInt128 CeilDiv(UInt128 numerator, uint denominator) => (numerator + denominator - 1) / denominator;
}
