using System.Runtime.CompilerServices;

namespace AuctionEngine.Options.Internal;

/// <summary>
/// An option's value, and the model-free factors its Greeks are made of, in the form both models reduce to: with
/// A = D·F the discounted forward and B = D·K the discounted strike, a call is worth A·N(d1) − B·N(d2) and a put
/// B·N(−d2) − A·N(−d1), d1,2 = ln(F/K)/s ± s/2, s = σ√T. Each model turns the factors into Greeks with respect to its
/// own underlying; working with A and B rather than F and D keeps a spot model from overflowing on a forward that
/// only it would have to form.
/// </summary>
/// <param name="Price">The value.</param>
/// <param name="DeltaFactor">N(d1) for a call, −N(−d1) for a put: ∂V/∂F = D·this, ∂V/∂S = e^(−qT)·this.</param>
/// <param name="GammaFactor">φ(d1)/s: ∂²V/∂F² = D·this/F (+∞ exactly at the money with no total volatility).</param>
/// <param name="Vega">∂V/∂σ = A·φ(d1)·√T.</param>
/// <param name="VannaFactor">−φ(d1)·d2/σ: ∂²V/∂F∂σ = D·this.</param>
/// <param name="Volga">∂²V/∂σ² = vega·d1·d2/σ.</param>
/// <param name="Decay">
/// A·φ(d1)·σ/(2√T): the part of −∂V/∂T that comes from volatility alone, with F and D held fixed. Each model adds
/// what its own carry contributes (the discounting, and for spot models the drift of the forward).
/// </param>
internal readonly record struct BlackFactors(double Price, double DeltaFactor, double GammaFactor, double Vega, double VannaFactor, double Volga, double Decay);

/// <summary>The shared Black kernel: the analytic formulas, and the exact limit wherever they would divide by zero.</summary>
internal static class BlackKernel
{
    /// <summary>
    /// The total volatility σ√T from which a price is its limit as volatility grows without bound (a call is worth the
    /// discounted forward, a put the discounted strike), as Derive's Black76 caps it. For |ln(F/K)| up to 88 the formula
    /// there differs from the limit by less than an ulp, so the cap changes nothing a market can quote; beyond it the
    /// cap keeps the formula's cancellation from producing noise.
    /// </summary>
    public const double MaxTotalVolatility = 24.0;

    /// <summary>Value and Greek factors.</summary>
    /// <param name="isCall">A call, or a put.</param>
    /// <param name="discountedForward">A = D·F ≥ 0.</param>
    /// <param name="discountedStrike">B = D·K ≥ 0.</param>
    /// <param name="logMoneyness">ln(F/K), computed by the caller as accurately as its inputs allow; unused unless A, B &gt; 0.</param>
    /// <param name="years">T ≥ 0.</param>
    /// <param name="sqrtYears">√T.</param>
    /// <param name="volatility">σ ≥ 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BlackFactors Evaluate(bool isCall, double discountedForward, double discountedStrike, double logMoneyness, double years, double sqrtYears, double volatility)
    {
        double totalVolatility = volatility * sqrtYears;
        if (!(totalVolatility > 0) || totalVolatility >= MaxTotalVolatility || discountedStrike == 0 || discountedForward == 0)
        {
            return Degenerate(isCall, discountedForward, discountedStrike, years, sqrtYears, volatility, totalVolatility);
        }

        double d1 = logMoneyness / totalVolatility + 0.5 * totalVolatility;
        if (!double.IsFinite(d1))
        {
            return Degenerate(isCall, discountedForward, discountedStrike, years, sqrtYears, volatility, totalVolatility); // s is subnormal: a step
        }

        double d2 = d1 - totalVolatility;

        // One exponential serves the density and both tails: e^(−d2²/2) = e^(−d1²/2)·e^(ln(F/K)) = e^(−d1²/2)·A/B.
        // Where e^(−d1²/2) has underflowed, the product would lose d2's factor, so it is computed afresh.
        double gaussian1 = StandardNormal.Gaussian(d1);
        double gaussian2 = gaussian1 > 1e-280 ? Math.Min(gaussian1 * (discountedForward / discountedStrike), 1.0) : StandardNormal.Gaussian(d2);
        double price;
        double deltaFactor;
        if (Math.Abs(d1) <= StandardNormal.CentralLimit && Math.Abs(d2) <= StandardNormal.CentralLimit)
        {
            // Near the money with little total volatility, N(d1) and N(d2) are both close to 1/2 and their weighted
            // difference is all the value: keep the halves apart, A·N(d1) − B·N(d2) = (A − B)/2 + A·C(d1) − B·C(d2).
            double central1 = StandardNormal.Central(d1);
            double centralValue = discountedForward * central1 - discountedStrike * StandardNormal.Central(d2);
            double half = 0.5 * (discountedForward - discountedStrike);
            price = isCall ? half + centralValue : centralValue - half;
            deltaFactor = isCall ? 0.5 + central1 : central1 - 0.5;
        }
        else if (isCall)
        {
            deltaFactor = StandardNormal.Cdf(d1, gaussian1);
            price = discountedForward * deltaFactor - discountedStrike * StandardNormal.Cdf(d2, gaussian2);
        }
        else
        {
            double nMinusD1 = StandardNormal.Cdf(-d1, gaussian1);
            price = discountedStrike * StandardNormal.Cdf(-d2, gaussian2) - discountedForward * nMinusD1;
            deltaFactor = -nMinusD1;
        }

        double density = StandardNormal.InverseSqrtTwoPi * gaussian1;
        double vega = discountedForward * density * sqrtYears;
        return new BlackFactors(
            Price: Math.Max(price, IntrinsicValue(isCall, discountedForward, discountedStrike)), // rounding never takes it below its bound
            DeltaFactor: deltaFactor,
            GammaFactor: density / totalVolatility,
            Vega: vega,
            VannaFactor: -density * d2 / volatility,
            Volga: vega * d1 * d2 / volatility,
            Decay: 0.5 * vega * volatility / years);
    }

    /// <summary>
    /// The value alone, as <see cref="Evaluate"/> computes it, for callers that revalue many options over a scenario
    /// grid and need none of the Greeks (portfolio margin): it skips the density's and the Greeks' divisions.
    /// </summary>
    /// <param name="isCall">A call, or a put.</param>
    /// <param name="discountedForward">A = D·F ≥ 0.</param>
    /// <param name="discountedStrike">B = D·K ≥ 0.</param>
    /// <param name="logMoneyness">ln(F/K); unused unless A, B &gt; 0.</param>
    /// <param name="totalVolatility">s = σ√T ≥ 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Price(bool isCall, double discountedForward, double discountedStrike, double logMoneyness, double totalVolatility)
    {
        double d1 = logMoneyness / totalVolatility + 0.5 * totalVolatility;
        if (!(totalVolatility > 0) || totalVolatility >= MaxTotalVolatility || discountedStrike == 0 || discountedForward == 0 || !double.IsFinite(d1))
        {
            return Degenerate(isCall, discountedForward, discountedStrike, 1.0, 1.0, totalVolatility, totalVolatility).Price;
        }

        double d2 = d1 - totalVolatility;
        double price;
        if (Math.Abs(d1) <= StandardNormal.CentralLimit && Math.Abs(d2) <= StandardNormal.CentralLimit)
        {
            double centralValue = discountedForward * StandardNormal.Central(d1) - discountedStrike * StandardNormal.Central(d2);
            double half = 0.5 * (discountedForward - discountedStrike);
            price = isCall ? half + centralValue : centralValue - half;
        }
        else
        {
            double gaussian1 = StandardNormal.Gaussian(d1);
            double gaussian2 = gaussian1 > 1e-280 ? Math.Min(gaussian1 * (discountedForward / discountedStrike), 1.0) : StandardNormal.Gaussian(d2);
            price = isCall
                ? discountedForward * StandardNormal.Cdf(d1, gaussian1) - discountedStrike * StandardNormal.Cdf(d2, gaussian2)
                : discountedStrike * StandardNormal.Cdf(-d2, gaussian2) - discountedForward * StandardNormal.Cdf(-d1, gaussian1);
        }

        return Math.Max(price, IntrinsicValue(isCall, discountedForward, discountedStrike));
    }

    /// <summary>
    /// No volatility or no time, a zero strike or forward, or total volatility at the cap: N(d1) and N(d2) are steps
    /// (one half each exactly at the money with no total volatility), and every Greek is its limit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BlackFactors Degenerate(bool isCall, double discountedForward, double discountedStrike, double years, double sqrtYears, double volatility, double totalVolatility)
    {
        double nd1;
        double nd2;
        bool atTheMoneyWithoutVolatility = false;
        if (discountedStrike == 0)
        {
            (nd1, nd2) = (1.0, 1.0);
        }
        else if (discountedForward == 0)
        {
            (nd1, nd2) = (0.0, 0.0);
        }
        else if (totalVolatility >= MaxTotalVolatility)
        {
            (nd1, nd2) = (1.0, 0.0);
        }
        else if (discountedForward != discountedStrike)
        {
            nd1 = discountedForward > discountedStrike ? 1.0 : 0.0;
            nd2 = nd1;
        }
        else
        {
            (nd1, nd2) = (0.5, 0.5);
            atTheMoneyWithoutVolatility = true;
        }

        double price = isCall
            ? discountedForward * nd1 - discountedStrike * nd2
            : discountedStrike * (1.0 - nd2) - discountedForward * (1.0 - nd1);
        double deltaFactor = isCall ? nd1 : -(1.0 - nd1);
        if (!atTheMoneyWithoutVolatility)
        {
            return new BlackFactors(Math.Max(price, IntrinsicValue(isCall, discountedForward, discountedStrike)), deltaFactor, 0.0, 0.0, 0.0, 0.0, 0.0);
        }

        // At the money, σ√T → 0: d1 = s/2 and d2 = −s/2 → 0, so φ(d1) → φ(0); delta steps (gamma is a Dirac mass),
        // vega → A·φ(0)·√T and vanna → D·φ(0)·√T/2 stay finite when only σ is zero, and the time decay
        // A·φ(0)·σ/(2√T) has no bound when only T is.
        return new BlackFactors(
            Price: 0.0,
            DeltaFactor: deltaFactor,
            GammaFactor: double.PositiveInfinity,
            Vega: discountedForward * StandardNormal.InverseSqrtTwoPi * sqrtYears,
            VannaFactor: 0.5 * StandardNormal.InverseSqrtTwoPi * sqrtYears,
            Volga: 0.0,
            Decay: years == 0 && volatility > 0 ? double.PositiveInfinity : 0.0);
    }

    /// <summary>
    /// The discounted intrinsic value of the forward, max(A − B, 0) for a call and max(B − A, 0) for a put: the least
    /// a European option is worth. Far from the money the formula's two terms cancel, and rounding could otherwise
    /// leave the price an ulp below it (or below zero), which an implied-volatility solver would rightly refuse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IntrinsicValue(bool isCall, double discountedForward, double discountedStrike) =>
        Math.Max(isCall ? discountedForward - discountedStrike : discountedStrike - discountedForward, 0.0);

    /// <summary>
    /// ln(F/K) from the ratio <paramref name="numerator"/>/<paramref name="denominator"/> (both positive), or from two
    /// logarithms when the ratio overflows or underflows a double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogRatio(double numerator, double denominator)
    {
        double ratio = numerator / denominator;
        return ratio > 0 && ratio < double.PositiveInfinity ? Math.Log(ratio) : LogRatioSlow(numerator, denominator);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double LogRatioSlow(double numerator, double denominator) => Math.Log(numerator) - Math.Log(denominator);
}
