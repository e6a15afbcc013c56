namespace AuctionEngine.Options;

/// <summary>
/// Turns block time into the years option models take. The library never reads a clock: the host passes the block's
/// timestamp, and a year is 365 days of 86,400 seconds, as Lyra and Derive count it.
/// </summary>
public static class OptionTime
{
    /// <summary>Seconds in the 365-day year that <see cref="Years"/> divides by: 31,536,000.</summary>
    public const long SecondsPerYear = 365L * 24 * 60 * 60;

    /// <summary>The years in <paramref name="seconds"/>: <c>seconds / 31,536,000</c>.</summary>
    /// <param name="seconds">A duration in seconds, zero or more.</param>
    /// <returns>The duration in years.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is negative.</exception>
    public static double Years(long seconds)
    {
        if (seconds < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange_NegativeSeconds(seconds, nameof(seconds));
        }

        return seconds / (double)SecondsPerYear;
    }

    /// <summary>
    /// The years from a block to an option's expiry, zero once the block's time has reached the expiry (an expired
    /// option is worth its intrinsic value, which every model here returns at zero time).
    /// </summary>
    /// <param name="blockTimestamp">The block's timestamp, in seconds since the Unix epoch, as the host observed it.</param>
    /// <param name="expiryTimestamp">The expiry's timestamp, in seconds since the Unix epoch.</param>
    /// <returns><c>max(expiryTimestamp − blockTimestamp, 0) / 31,536,000</c>.</returns>
    public static double YearsToExpiry(long blockTimestamp, long expiryTimestamp) =>
        expiryTimestamp <= blockTimestamp ? 0.0 : (double)((ulong)expiryTimestamp - (ulong)blockTimestamp) / SecondsPerYear;
}
