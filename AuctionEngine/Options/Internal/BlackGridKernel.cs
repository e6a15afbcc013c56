using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AuctionEngine.Options.Internal;

/// <summary>
/// <see cref="BlackKernel.Price"/> four lanes at a time, for revaluing a series over a portfolio-margin scenario grid.
/// </summary>
/// <remarks>
/// <para>
/// Every step is the scalar kernel's, in the same order, with two exceptions: e^x is this file's own (Cody–Waite
/// reduction by ln 2 and a degree-13 Taylor polynomial, within 2 ulp of <see cref="Math.Exp"/>, floored at e^−708,
/// below which an option's tail is worth less than 10^−300 of its notional), and the rounding error of d² that
/// <see cref="StandardNormal.Gaussian"/> recovers with a fused multiply-add is recovered with Dekker's exact product
/// instead (the same value). A price therefore differs from the scalar kernel's by a few ulp of the forward or the
/// strike, whichever is larger; the tests bound it by 2 × 10^−15 of that over random series and grids (the largest seen is about one ulp, 2 × 10^−16).
/// </para>
/// <para>
/// The result does not depend on the machine: only additions, multiplications, divisions, comparisons and bit
/// operations are used, each rounded by IEEE 754 lane by lane, with no fused multiply-add and no hardware estimate.
/// Where <see cref="Vector256"/> is not accelerated (no AVX, or Arm) the runtime performs the same operations per
/// element, so the grid, and every requirement built on it, is bit-identical, only slower. Lanes in the scalar kernel's
/// degenerate cases (no or capped total volatility, a zero forward or strike, d1 not finite) take the scalar kernel.
/// </para>
/// </remarks>
internal static class BlackGridKernel
{
    /// <summary>Lanes per step: callers pad their inputs to a multiple of this.</summary>
    public const int Lanes = 4;

    /// <summary>ln 2 split so that n × <see cref="Ln2High"/> is exact for |n| &lt; 2^11 (Cody–Waite).</summary>
    private const double Ln2High = 6.93147180369123816490e-01;

    private const double Ln2Low = 1.90821492927058770002e-10;

    private const double Log2E = 1.44269504088896338700e+00;

    /// <summary>2^52 + 2^51: adding it rounds to an integer in round-to-nearest-even, and leaves it in the low bits.</summary>
    private const double RoundingShift = 6755399441055744.0;

    /// <summary>Below this, e^x would be subnormal; the exponential is floored here (see remarks).</summary>
    private const double ExpFloor = -708.0;

    /// <summary>
    /// Prices of options on one series: lane g has forward <c>forwards[g]</c>, ln(F/K) <c>logMoneyness[g]</c> and total
    /// volatility <c>totalVolatilities[g]</c>; all spans have the same length, a multiple of <see cref="Lanes"/>.
    /// </summary>
    public static void Price(bool isCall, double strike, ReadOnlySpan<double> forwards, ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVolatilities, Span<double> prices)
    {
        Vector256<double> strikes = Vector256.Create(strike);
        for (int g = 0; g < prices.Length; g += Lanes)
        {
            Vector256<double> forward = Vector256.Create(forwards.Slice(g, Lanes));
            Vector256<double> totalVolatility = Vector256.Create(totalVolatilities.Slice(g, Lanes));
            Vector256<double> d1 = (Vector256.Create(logMoneyness.Slice(g, Lanes)) / totalVolatility) + (Vector256.Create(0.5) * totalVolatility);

            // The scalar kernel's degenerate cases, lane by lane; NaN fails every comparison, so it lands here too.
            Vector256<double> regular = Vector256.GreaterThan(totalVolatility, Vector256<double>.Zero)
                & Vector256.LessThan(totalVolatility, Vector256.Create(BlackKernel.MaxTotalVolatility))
                & Vector256.LessThan(Vector256.Abs(d1), Vector256.Create(double.PositiveInfinity))
                & ~Vector256.Equals(forward, Vector256<double>.Zero)
                & ~Vector256.Equals(strikes, Vector256<double>.Zero);
            Vector256<double> price = Regular(isCall, forward, strikes, d1, d1 - totalVolatility);
            price.CopyTo(prices.Slice(g, Lanes));
            if (Vector256.ExtractMostSignificantBits(regular) != 0b1111)
            {
                ScalarLanes(isCall, strike, forwards, logMoneyness, totalVolatilities, prices, g, regular);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarLanes(bool isCall, double strike, ReadOnlySpan<double> forwards, ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVolatilities, Span<double> prices, int g, Vector256<double> regular)
    {
        uint bits = Vector256.ExtractMostSignificantBits(regular);
        for (int lane = 0; lane < Lanes; lane++)
        {
            if (((bits >> lane) & 1) == 0)
            {
                prices[g + lane] = BlackKernel.Price(isCall, forwards[g + lane], strike, logMoneyness[g + lane], totalVolatilities[g + lane]);
            }
        }
    }

    /// <summary>The scalar kernel's price where its inputs are regular (other lanes hold garbage the caller replaces).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Regular(bool isCall, Vector256<double> forward, Vector256<double> strike, Vector256<double> d1, Vector256<double> d2)
    {
        Vector256<double> centralLimit = Vector256.Create(StandardNormal.CentralLimit);
        Vector256<double> central1 = Vector256.LessThanOrEqual(Vector256.Abs(d1), centralLimit);
        Vector256<double> central2 = Vector256.LessThanOrEqual(Vector256.Abs(d2), centralLimit);
        Vector256<double> c1 = Central(d1);
        Vector256<double> c2 = Central(d2);
        Vector256<double> half = Vector256.Create(0.5);
        Vector256<double> price;
        Vector256<double> bothCentral = central1 & central2;
        if (Vector256.ExtractMostSignificantBits(bothCentral) == 0b1111)
        {
            price = CentralPrice(isCall, forward, strike, c1, c2);
        }
        else
        {
            Vector256<double> gaussian1 = Gaussian(d1);
            Vector256<double> gaussian2 = Vector256.Min(gaussian1 * (forward / strike), Vector256<double>.One);
            Vector256<double> underflowed = Vector256.LessThanOrEqual(gaussian1, Vector256.Create(1e-280));
            if (Vector256.ExtractMostSignificantBits(underflowed) != 0)
            {
                gaussian2 = Vector256.ConditionalSelect(underflowed, Gaussian(d2), gaussian2);
            }

            Vector256<double> x1 = isCall ? d1 : -d1;
            Vector256<double> x2 = isCall ? d2 : -d2;
            Vector256<double> n1 = Vector256.ConditionalSelect(central1, half + (isCall ? c1 : -c1), Tail(x1, gaussian1));
            Vector256<double> n2 = Vector256.ConditionalSelect(central2, half + (isCall ? c2 : -c2), Tail(x2, gaussian2));
            Vector256<double> tailPrice = isCall ? (forward * n1) - (strike * n2) : (strike * n2) - (forward * n1);
            price = Vector256.ConditionalSelect(bothCentral, CentralPrice(isCall, forward, strike, c1, c2), tailPrice);
        }

        Vector256<double> intrinsic = Vector256.Max(isCall ? forward - strike : strike - forward, Vector256<double>.Zero);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(intrinsic, price), intrinsic, price);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CentralPrice(bool isCall, Vector256<double> forward, Vector256<double> strike, Vector256<double> c1, Vector256<double> c2)
    {
        Vector256<double> centralValue = (forward * c1) - (strike * c2);
        Vector256<double> half = Vector256.Create(0.5) * (forward - strike);
        return isCall ? half + centralValue : centralValue - half;
    }

    /// <summary><see cref="StandardNormal.Central"/>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Central(Vector256<double> x)
    {
        Vector256<double> xx = x * x;
        Vector256<double> numerator = Vector256.Create(0.065682337918207449113) * xx;
        Vector256<double> denominator = xx;
        numerator = (numerator + Vector256.Create(2.2352520354606839287)) * xx;
        denominator = (denominator + Vector256.Create(47.20258190468824187)) * xx;
        numerator = (numerator + Vector256.Create(161.02823106855587881)) * xx;
        denominator = (denominator + Vector256.Create(976.09855173777669322)) * xx;
        numerator = (numerator + Vector256.Create(1067.6894854603709582)) * xx;
        denominator = (denominator + Vector256.Create(10260.932208618978205)) * xx;
        return x * (numerator + Vector256.Create(18154.981253343561249)) / (denominator + Vector256.Create(45507.789335026729956));
    }

    /// <summary>The tail branch of <see cref="StandardNormal.Cdf(double, double)"/>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Tail(Vector256<double> x, Vector256<double> gaussian)
    {
        Vector256<double> y = Vector256.Abs(x);
        Vector256<double> middle = Vector256.LessThanOrEqual(y, Vector256.Create(StandardNormal.MiddleLimit));
        uint middleBits = Vector256.ExtractMostSignificantBits(middle);
        Vector256<double> ratio = middleBits == 0b1111 ? Middle(y)
            : middleBits == 0 ? Asymptotic(y)
            : Vector256.ConditionalSelect(middle, Middle(y), Asymptotic(y));
        Vector256<double> tail = gaussian * ratio;
        Vector256<double> value = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), Vector256<double>.One - tail, tail);
        value = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(StandardNormal.LowerLimit)), Vector256<double>.Zero, value);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(StandardNormal.UpperLimit)), Vector256<double>.One, value);
    }

    /// <summary>StandardNormal's middle approximation, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Middle(Vector256<double> y)
    {
        Vector256<double> numerator = Vector256.Create(1.0765576773720192317e-8) * y;
        Vector256<double> denominator = y;
        numerator = (numerator + Vector256.Create(0.39894151208813466764)) * y;
        denominator = (denominator + Vector256.Create(22.266688044328115691)) * y;
        numerator = (numerator + Vector256.Create(8.8831497943883759412)) * y;
        denominator = (denominator + Vector256.Create(235.38790178262499861)) * y;
        numerator = (numerator + Vector256.Create(93.506656132177855979)) * y;
        denominator = (denominator + Vector256.Create(1519.377599407554805)) * y;
        numerator = (numerator + Vector256.Create(597.27027639480026226)) * y;
        denominator = (denominator + Vector256.Create(6485.558298266760755)) * y;
        numerator = (numerator + Vector256.Create(2494.5375852903726711)) * y;
        denominator = (denominator + Vector256.Create(18615.571640885098091)) * y;
        numerator = (numerator + Vector256.Create(6848.1904505362823326)) * y;
        denominator = (denominator + Vector256.Create(34900.952721145977266)) * y;
        numerator = (numerator + Vector256.Create(11602.651437647350124)) * y;
        denominator = (denominator + Vector256.Create(38912.003286093271411)) * y;
        return (numerator + Vector256.Create(9842.7148383839780218)) / (denominator + Vector256.Create(19685.429676859990727));
    }

    /// <summary>StandardNormal's asymptotic approximation, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Asymptotic(Vector256<double> y)
    {
        Vector256<double> inverseSquare = Vector256<double>.One / (y * y);
        Vector256<double> numerator = Vector256.Create(0.02307344176494017303) * inverseSquare;
        Vector256<double> denominator = inverseSquare;
        numerator = (numerator + Vector256.Create(0.21589853405795699)) * inverseSquare;
        denominator = (denominator + Vector256.Create(1.28426009614491121)) * inverseSquare;
        numerator = (numerator + Vector256.Create(0.1274011611602473639)) * inverseSquare;
        denominator = (denominator + Vector256.Create(0.468238212480865118)) * inverseSquare;
        numerator = (numerator + Vector256.Create(0.022235277870649807)) * inverseSquare;
        denominator = (denominator + Vector256.Create(0.0659881378689285515)) * inverseSquare;
        numerator = (numerator + Vector256.Create(0.001421619193227893466)) * inverseSquare;
        denominator = (denominator + Vector256.Create(0.00378239633202758244)) * inverseSquare;
        Vector256<double> correction = inverseSquare * (numerator + Vector256.Create(2.9112874951168792e-5)) / (denominator + Vector256.Create(7.29751555083966205e-5));
        return (Vector256.Create(StandardNormal.InverseSqrtTwoPi) - correction) / y;
    }

    /// <summary>
    /// e^(−x²/2) as <see cref="StandardNormal.Gaussian"/> computes it: x²'s rounding error comes from Dekker's exact
    /// product (split x into 26-bit halves) rather than a fused multiply-add, which gives the same value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Gaussian(Vector256<double> x)
    {
        Vector256<double> square = x * x;
        Vector256<double> split = Vector256.Create(134217729.0) * x;
        Vector256<double> high = split - (split - x);
        Vector256<double> low = x - high;
        Vector256<double> roundingError = (((high * high) - square) + (Vector256.Create(2.0) * high * low)) + (low * low);
        return Exp(Vector256.Create(-0.5) * square) * (Vector256<double>.One - (Vector256.Create(0.5) * roundingError));
    }

    /// <summary>e^x for x ≤ 0, floored at e^−708 (see remarks): x = n ln 2 + r, |r| ≤ ln 2 / 2, e^x = 2^n · e^r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exp(Vector256<double> x)
    {
        x = Vector256.Max(x, Vector256.Create(ExpFloor));
        Vector256<double> shifted = (x * Vector256.Create(Log2E)) + Vector256.Create(RoundingShift);
        Vector256<double> n = shifted - Vector256.Create(RoundingShift);
        Vector256<double> r = (x - (n * Vector256.Create(Ln2High))) - (n * Vector256.Create(Ln2Low));

        // Taylor to r^13 / 13!: the first omitted term is below 2^−60 of e^r for |r| ≤ 0.347. Horner, high to low.
        Vector256<double> p = Vector256.Create(1.0 / 6227020800.0);
        p = (p * r) + Vector256.Create(1.0 / 479001600.0);
        p = (p * r) + Vector256.Create(1.0 / 39916800.0);
        p = (p * r) + Vector256.Create(1.0 / 3628800.0);
        p = (p * r) + Vector256.Create(1.0 / 362880.0);
        p = (p * r) + Vector256.Create(1.0 / 40320.0);
        p = (p * r) + Vector256.Create(1.0 / 5040.0);
        p = (p * r) + Vector256.Create(1.0 / 720.0);
        p = (p * r) + Vector256.Create(1.0 / 120.0);
        p = (p * r) + Vector256.Create(1.0 / 24.0);
        p = (p * r) + Vector256.Create(1.0 / 6.0);
        p = (p * r) + Vector256.Create(0.5);
        p = (p * r) + Vector256<double>.One;
        p = (p * r) + Vector256<double>.One;

        // n sits in the low bits of `shifted` (two's complement under the 2^51 bit): 2^n is its exponent field.
        Vector256<long> integer = shifted.AsInt64() - Vector256.Create(RoundingShift).AsInt64();
        Vector256<double> scale = Vector256.ShiftLeft(integer + Vector256.Create(1023L), 52).AsDouble();
        return p * scale;
    }
}
