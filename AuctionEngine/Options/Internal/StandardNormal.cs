using System.Runtime.CompilerServices;

namespace AuctionEngine.Options.Internal;

/// <summary>
/// The standard normal density and distribution function to full double precision, tails included.
/// </summary>
/// <remarks>
/// The distribution function is W. J. Cody's rational Chebyshev approximation ("Rational Chebyshev approximations for
/// the error function", Math. Comp. 1969; ACM TOMS algorithm 715), whose relative error is below 1e-16 on both tails.
/// A tail is what an out-of-the-money option's value is made of, so an approximation that is only absolutely
/// accurate (Abramowitz–Stegun 26.2.17, 7.5e-8) would misprice exactly the options an implied-volatility solver
/// and a deep out-of-the-money quote care about.
/// </remarks>
internal static class StandardNormal
{
    /// <summary>1 / √(2π).</summary>
    public const double InverseSqrtTwoPi = 0.398942280401432677939946059934;

    /// <summary>Below this, Φ(x) is smaller than the smallest subnormal double.</summary>
    public const double LowerLimit = -38.4674;

    /// <summary>Above this, 1 − Φ(x) is below half an ulp of 1, so Φ(x) rounds to 1.</summary>
    public const double UpperLimit = 8.2924;

    /// <summary>|x| at which Φ(x) = 0.75: inside it the central approximation holds.</summary>
    public const double CentralLimit = 0.66291;

    /// <summary>√32: between <see cref="CentralLimit"/> and this the middle approximation holds, beyond it the asymptotic one.</summary>
    public const double MiddleLimit = 5.65685424949238019520;

    /// <summary>The standard normal density φ(x) = e^(−x²/2) / √(2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Density(double x) => InverseSqrtTwoPi * Gaussian(x);

    /// <summary>
    /// e^(−x²/2) to within an ulp or two for every x. A plain <c>Math.Exp(-0.5 * x * x)</c> would round x² first and
    /// have the exponential magnify that rounding by x², a relative error of x²·2^−53 in exactly the tails options
    /// live in; the fused multiply-add recovers x²'s rounding error e exactly, and e^(−(x² + e)/2) = e^(−x²/2)·(1 − e/2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Gaussian(double x)
    {
        double square = x * x;
        double roundingError = Math.FusedMultiplyAdd(x, x, -square);
        return Math.Exp(-0.5 * square) * (1.0 - 0.5 * roundingError);
    }

    /// <summary>The standard normal distribution function Φ(x), with relative error below 1e-16 on both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cdf(double x) => Math.Abs(x) <= CentralLimit ? 0.5 + Central(x) : Tail(x, Gaussian(x));

    /// <summary>
    /// Φ(x) given <paramref name="gaussian"/> = e^(−x²/2) (see <see cref="Gaussian"/>), which a caller that also needs
    /// the density, or can derive one tail's factor from another's, has at hand: the exponential is most of the cost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cdf(double x, double gaussian) => Math.Abs(x) <= CentralLimit ? 0.5 + Central(x) : Tail(x, gaussian);

    private static double Tail(double x, double gaussian)
    {
        if (x < LowerLimit)
        {
            return 0.0;
        }

        if (x > UpperLimit)
        {
            return 1.0;
        }

        double y = Math.Abs(x);
        double tail = gaussian * (y <= MiddleLimit ? Middle(y) : Asymptotic(y));
        return x > 0 ? 1.0 - tail : tail;
    }

    /// <summary>
    /// Φ(x) − 1/2 for |x| ≤ 0.66291, to full relative precision: a difference of two Φ near the middle, as an
    /// at-the-money option's value is, keeps its digits when taken between these rather than between 1/2 + these.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Central(double x)
    {
        double xx = x * x;
        double numerator = 0.065682337918207449113 * xx;
        double denominator = xx;
        numerator = (numerator + 2.2352520354606839287) * xx;
        denominator = (denominator + 47.20258190468824187) * xx;
        numerator = (numerator + 161.02823106855587881) * xx;
        denominator = (denominator + 976.09855173777669322) * xx;
        numerator = (numerator + 1067.6894854603709582) * xx;
        denominator = (denominator + 10260.932208618978205) * xx;
        return x * (numerator + 18154.981253343561249) / (denominator + 45507.789335026729956);
    }

    /// <summary>Φ(−y) / e^(−y²/2) for 0.66291 &lt; y ≤ √32.</summary>
    private static double Middle(double y)
    {
        double numerator = 1.0765576773720192317e-8 * y;
        double denominator = y;
        numerator = (numerator + 0.39894151208813466764) * y;
        denominator = (denominator + 22.266688044328115691) * y;
        numerator = (numerator + 8.8831497943883759412) * y;
        denominator = (denominator + 235.38790178262499861) * y;
        numerator = (numerator + 93.506656132177855979) * y;
        denominator = (denominator + 1519.377599407554805) * y;
        numerator = (numerator + 597.27027639480026226) * y;
        denominator = (denominator + 6485.558298266760755) * y;
        numerator = (numerator + 2494.5375852903726711) * y;
        denominator = (denominator + 18615.571640885098091) * y;
        numerator = (numerator + 6848.1904505362823326) * y;
        denominator = (denominator + 34900.952721145977266) * y;
        numerator = (numerator + 11602.651437647350124) * y;
        denominator = (denominator + 38912.003286093271411) * y;
        return (numerator + 9842.7148383839780218) / (denominator + 19685.429676859990727);
    }

    /// <summary>Φ(−y) / e^(−y²/2) for y &gt; √32, from the asymptotic series of the Mills ratio.</summary>
    private static double Asymptotic(double y)
    {
        double inverseSquare = 1.0 / (y * y);
        double numerator = 0.02307344176494017303 * inverseSquare;
        double denominator = inverseSquare;
        numerator = (numerator + 0.21589853405795699) * inverseSquare;
        denominator = (denominator + 1.28426009614491121) * inverseSquare;
        numerator = (numerator + 0.1274011611602473639) * inverseSquare;
        denominator = (denominator + 0.468238212480865118) * inverseSquare;
        numerator = (numerator + 0.022235277870649807) * inverseSquare;
        denominator = (denominator + 0.0659881378689285515) * inverseSquare;
        numerator = (numerator + 0.001421619193227893466) * inverseSquare;
        denominator = (denominator + 0.00378239633202758244) * inverseSquare;
        double correction = inverseSquare * (numerator + 2.9112874951168792e-5) / (denominator + 7.29751555083966205e-5);
        return (InverseSqrtTwoPi - correction) / y;
    }
}
