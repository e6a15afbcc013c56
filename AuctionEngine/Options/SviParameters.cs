using System.Runtime.CompilerServices;

namespace AuctionEngine.Options;

/// <summary>
/// Gatheral's raw SVI parameters of one expiry's smile: total implied variance
/// w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F).
/// </summary>
/// <remarks>
/// a sets the overall level, b the angle between the wings, ρ their asymmetry (negative: puts dearer), m shifts the
/// smile along k and σ rounds its vertex. Total variance is σ_implied²·T, so a smile's implied volatility at k is
/// √(w(k)/T). Parameters that give negative variance somewhere are allowed here, so that a fit can be inspected; the
/// surface's arbitrage check reports them.
/// </remarks>
public readonly record struct SviParameters
{
    /// <summary>Creates raw SVI parameters.</summary>
    /// <param name="a">The level a.</param>
    /// <param name="b">The wing slope b, zero or more.</param>
    /// <param name="rho">The asymmetry ρ, strictly between −1 and 1.</param>
    /// <param name="m">The shift m along log-moneyness.</param>
    /// <param name="sigma">The vertex curvature σ, greater than zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite, or is outside its range.</exception>
    public SviParameters(double a, double b, double rho, double m, double sigma)
    {
        if (!double.IsFinite(a) || !double.IsFinite(m))
        {
            ThrowHelper.ThrowArgumentOutOfRange(double.IsFinite(a) ? nameof(m) : nameof(a), "SVI's a and m must be finite numbers.");
        }

        if (!(b >= 0 && b < double.PositiveInfinity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(b), "SVI's b must be a finite number, zero or more.");
        }

        if (!(rho > -1 && rho < 1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(rho), "SVI's ρ must be strictly between −1 and 1.");
        }

        if (!(sigma > 0 && sigma < double.PositiveInfinity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(sigma), "SVI's σ must be a finite number greater than zero.");
        }

        (A, B, Rho, M, Sigma) = (a, b, rho, m, sigma);
    }

    /// <summary>The level a.</summary>
    public double A { get; }

    /// <summary>The wing slope b.</summary>
    public double B { get; }

    /// <summary>The asymmetry ρ.</summary>
    public double Rho { get; }

    /// <summary>The shift m.</summary>
    public double M { get; }

    /// <summary>The vertex curvature σ.</summary>
    public double Sigma { get; }

    /// <summary>The least total variance of the smile, a + b·σ·√(1 − ρ²): negative means the parameters admit arbitrage.</summary>
    public double MinimumTotalVariance => A + B * Sigma * Math.Sqrt(1 - Rho * Rho);

    /// <summary>Total implied variance w(k) at log-moneyness <paramref name="logMoneyness"/> = ln(K/F).</summary>
    /// <param name="logMoneyness">ln(strike / forward).</param>
    /// <returns>w(k), implied variance times years to expiry.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double TotalVariance(double logMoneyness)
    {
        double y = logMoneyness - M;
        return A + B * (Rho * y + Math.Sqrt(y * y + Sigma * Sigma));
    }

    /// <summary>
    /// Gatheral's butterfly density g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2: the risk-neutral density of
    /// the underlying at k, up to a positive factor. Negative g(k) (or non-positive w(k)) means butterfly spreads
    /// around that strike have negative prices: an arbitrage.
    /// </summary>
    /// <param name="logMoneyness">ln(strike / forward).</param>
    /// <returns>g(k); <see cref="double.NegativeInfinity"/> where the total variance is not positive.</returns>
    public double ButterflyDensity(double logMoneyness)
    {
        double y = logMoneyness - M;
        double root = Math.Sqrt(y * y + Sigma * Sigma);
        double w = A + B * (Rho * y + root);
        if (!(w > 0))
        {
            return double.NegativeInfinity;
        }

        double slope = B * (Rho + y / root);
        double curvature = B * Sigma * Sigma / (root * root * root);
        double first = 1 - logMoneyness * slope / (2 * w);
        return first * first - 0.25 * slope * slope * (1 / w + 0.25) + 0.5 * curvature;
    }
}
