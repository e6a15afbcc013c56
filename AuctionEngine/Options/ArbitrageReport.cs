namespace AuctionEngine.Options;

/// <summary>What <see cref="VolatilitySurface.CheckArbitrage(ReadOnlySpan{double})"/> found: every grid point of every smile that breaks a static no-arbitrage condition.</summary>
public sealed class ArbitrageReport
{
    internal ArbitrageReport(IReadOnlyList<ButterflyArbitrage> butterflies, IReadOnlyList<CalendarArbitrage> calendars)
    {
        Butterflies = butterflies;
        Calendars = calendars;
    }

    /// <summary>Points where a smile's density g(k) is negative, by expiry then log-moneyness.</summary>
    public IReadOnlyList<ButterflyArbitrage> Butterflies { get; }

    /// <summary>Points where total variance falls from one expiry to the next, by expiry then log-moneyness.</summary>
    public IReadOnlyList<CalendarArbitrage> Calendars { get; }

    /// <summary>Whether no point broke either condition.</summary>
    public bool IsArbitrageFree => Butterflies.Count == 0 && Calendars.Count == 0;
}
