namespace AuctionEngine.Options;

/// <summary>
/// A volatility surface: one SVI smile per expiry, interpolated linearly in total variance across expiries at fixed
/// log-moneyness k = ln(K/F), with checks for butterfly and calendar arbitrage.
/// </summary>
/// <remarks>
/// Between two expiries, w(k, T) moves linearly in T from one smile's total variance to the next; before the first
/// it falls linearly to zero at T = 0, and after the last it grows in proportion to T (the last smile's implied
/// volatilities, held). Linear interpolation of total variance keeps a surface free of calendar arbitrage when its
/// smiles are. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class VolatilitySurface
{
    private readonly SviSmile[] _smiles;

    /// <summary>Creates a surface from one smile per expiry, in any order.</summary>
    /// <param name="smiles">The smiles; at least one, no two with the same expiry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="smiles"/> or one of its smiles is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="smiles"/> is empty, or two smiles share an expiry.</exception>
    public VolatilitySurface(IEnumerable<SviSmile> smiles)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        _smiles = [.. smiles];
        foreach (SviSmile smile in _smiles)
        {
            ArgumentNullException.ThrowIfNull(smile, nameof(smiles));
        }

        if (_smiles.Length == 0)
        {
            ThrowHelper.ThrowArgumentException_NoSmiles(nameof(smiles));
        }

        Array.Sort(_smiles, static (x, y) => x.Years.CompareTo(y.Years));
        for (int i = 1; i < _smiles.Length; i++)
        {
            if (_smiles[i].Years == _smiles[i - 1].Years)
            {
                ThrowHelper.ThrowArgumentException_RepeatedExpiry(_smiles[i].Years, nameof(smiles));
            }
        }
    }

    /// <summary>The smiles, by expiry.</summary>
    public IReadOnlyList<SviSmile> Smiles => _smiles;

    /// <summary>Total implied variance σ²·T at log-moneyness <paramref name="logMoneyness"/> and <paramref name="years"/> to expiry.</summary>
    /// <param name="logMoneyness">ln(strike / forward to that expiry).</param>
    /// <param name="years">Time to expiry in years, zero or more.</param>
    /// <returns>The interpolated total variance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="years"/> is negative or not finite.</exception>
    public double TotalVariance(double logMoneyness, double years)
    {
        if (!(years >= 0 && years < double.PositiveInfinity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(years), "Time to expiry must be a finite number of years, zero or more.");
        }

        SviSmile first = _smiles[0];
        if (years <= first.Years)
        {
            return first.TotalVariance(logMoneyness) * (years / first.Years);
        }

        SviSmile last = _smiles[^1];
        if (years >= last.Years)
        {
            return last.TotalVariance(logMoneyness) * (years / last.Years);
        }

        int after = 1;
        while (_smiles[after].Years < years)
        {
            after++;
        }

        SviSmile earlier = _smiles[after - 1], later = _smiles[after];
        double weight = (years - earlier.Years) / (later.Years - earlier.Years);
        double from = earlier.TotalVariance(logMoneyness);
        return from + weight * (later.TotalVariance(logMoneyness) - from);
    }

    /// <summary>Implied volatility per √year at <paramref name="logMoneyness"/> and <paramref name="years"/> to expiry.</summary>
    /// <param name="logMoneyness">ln(strike / forward to that expiry).</param>
    /// <param name="years">Time to expiry in years, zero or more; at zero, the limit of the first smile's.</param>
    /// <returns>√(w/T), zero where the total variance is not positive.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="years"/> is negative or not finite.</exception>
    public double ImpliedVolatility(double logMoneyness, double years)
    {
        if (years == 0)
        {
            return _smiles[0].ImpliedVolatility(logMoneyness);
        }

        return Math.Sqrt(Math.Max(TotalVariance(logMoneyness, years), 0.0) / years);
    }

    /// <summary>
    /// Checks every smile and every pair of consecutive expiries at each point of <paramref name="logMoneynessGrid"/>:
    /// butterfly arbitrage where Gatheral's density g(k) is negative (or total variance is not positive), calendar
    /// arbitrage where total variance falls from one expiry to the next.
    /// </summary>
    /// <param name="logMoneynessGrid">The log-moneyness points to check, e.g. the quoted strikes and a margin beyond them.</param>
    /// <returns>Every violation found.</returns>
    public ArbitrageReport CheckArbitrage(ReadOnlySpan<double> logMoneynessGrid)
    {
        var butterflies = new List<ButterflyArbitrage>();
        var calendars = new List<CalendarArbitrage>();
        for (int s = 0; s < _smiles.Length; s++)
        {
            SviSmile smile = _smiles[s];
            foreach (double k in logMoneynessGrid)
            {
                double density = smile.Parameters.ButterflyDensity(k);
                if (!(density >= 0))
                {
                    butterflies.Add(new ButterflyArbitrage(smile.Years, k, density));
                }
            }

            if (s + 1 < _smiles.Length)
            {
                SviSmile later = _smiles[s + 1];
                foreach (double k in logMoneynessGrid)
                {
                    double before = smile.TotalVariance(k), after = later.TotalVariance(k);
                    if (after < before)
                    {
                        calendars.Add(new CalendarArbitrage(smile.Years, later.Years, k, before, after));
                    }
                }
            }
        }

        return new ArbitrageReport(butterflies, calendars);
    }

    /// <summary>
    /// <see cref="CheckArbitrage(ReadOnlySpan{double})"/> on 401 points of log-moneyness from −2 to 2 (strikes from 14%
    /// to 740% of the forward), step 0.01.
    /// </summary>
    /// <returns>Every violation found.</returns>
    public ArbitrageReport CheckArbitrage()
    {
        Span<double> grid = stackalloc double[401];
        for (int i = 0; i < grid.Length; i++)
        {
            grid[i] = -2 + i * 0.01;
        }

        return CheckArbitrage(grid);
    }
}
