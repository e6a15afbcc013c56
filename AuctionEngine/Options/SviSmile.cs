using AuctionEngine.Options.Internal;

namespace AuctionEngine.Options;

/// <summary>One expiry's volatility smile as raw SVI parameters: fitted to market quotes, or given.</summary>
public sealed class SviSmile
{
    /// <summary>The fewest quotes <see cref="Fit"/> takes: raw SVI has five parameters.</summary>
    public const int MinimumQuotes = 5;

    /// <summary>Creates a smile from known parameters.</summary>
    /// <param name="years">Time to the expiry in years, greater than zero.</param>
    /// <param name="parameters">The smile's raw SVI parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="years"/> is not a finite number greater than zero.</exception>
    public SviSmile(double years, SviParameters parameters)
        : this(years, parameters, 0.0)
    {
    }

    private SviSmile(double years, SviParameters parameters, double rootMeanSquareError)
    {
        if (!(years > 0 && years < double.PositiveInfinity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(years), "A smile's time to expiry must be a finite number of years greater than zero.");
        }

        Years = years;
        Parameters = parameters;
        RootMeanSquareError = rootMeanSquareError;
    }

    /// <summary>Time to the expiry in years.</summary>
    public double Years { get; }

    /// <summary>The smile's raw SVI parameters.</summary>
    public SviParameters Parameters { get; }

    /// <summary>
    /// For a fitted smile, the root mean square of the fit's residuals in total variance (σ²·T) at the quotes it was
    /// fitted to; zero for a smile created from known parameters.
    /// </summary>
    public double RootMeanSquareError { get; }

    /// <summary>
    /// Fits raw SVI to one expiry's quotes by least squares in total variance: a search over the smile's vertex, where
    /// the rest of the problem is linear, then Levenberg–Marquardt on all five parameters.
    /// </summary>
    /// <param name="years">Time to the expiry in years, greater than zero.</param>
    /// <param name="logMoneyness">Each quote's ln(strike / forward).</param>
    /// <param name="volatilities">Each quote's implied volatility per √year, as a fraction, zero or more.</param>
    /// <returns>The fitted smile, with its residual error.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, or hold fewer than <see cref="MinimumQuotes"/> quotes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="years"/> is not finite and greater than zero, or a quote is not finite (or its volatility is negative).</exception>
    public static SviSmile Fit(double years, ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> volatilities)
    {
        if (logMoneyness.Length != volatilities.Length)
        {
            ThrowHelper.ThrowArgumentException_OptionColumnLengths(nameof(volatilities));
        }

        if (logMoneyness.Length < MinimumQuotes)
        {
            ThrowHelper.ThrowArgumentException_TooFewQuotes(logMoneyness.Length, nameof(logMoneyness));
        }

        if (!(years > 0 && years < double.PositiveInfinity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(years), "A smile's time to expiry must be a finite number of years greater than zero.");
        }

        var totalVariances = new double[volatilities.Length];
        for (int i = 0; i < volatilities.Length; i++)
        {
            double volatility = volatilities[i];
            if (!double.IsFinite(logMoneyness[i]) || !(volatility >= 0 && volatility < double.PositiveInfinity))
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(volatilities), $"Quote {i} must have a finite log-moneyness and a finite volatility, zero or more.");
            }

            totalVariances[i] = volatility * volatility * years;
        }

        SviParameters parameters = SviFitter.Fit(logMoneyness, totalVariances, out double rootMeanSquareError);
        return new SviSmile(years, parameters, rootMeanSquareError);
    }

    /// <summary>Total implied variance σ²·T at <paramref name="logMoneyness"/>.</summary>
    /// <param name="logMoneyness">ln(strike / forward).</param>
    /// <returns>The smile's total variance there.</returns>
    public double TotalVariance(double logMoneyness) => Parameters.TotalVariance(logMoneyness);

    /// <summary>Implied volatility per √year at <paramref name="logMoneyness"/>: √(w(k)/T), zero where w(k) is not positive.</summary>
    /// <param name="logMoneyness">ln(strike / forward).</param>
    /// <returns>The smile's implied volatility there.</returns>
    public double ImpliedVolatility(double logMoneyness) => Math.Sqrt(Math.Max(Parameters.TotalVariance(logMoneyness), 0.0) / Years);
}
