using AuctionEngine.Markets;
using AuctionEngine.Options;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// A cash-settled European option series on one of a <see cref="PerpetualEngine"/>'s perpetual markets: a market of
/// the same engine whose orders are sealed and cleared like any other, at a premium in ticks.
/// </summary>
/// <remarks>
/// <para>
/// Units. The strike is in the underlying market's ticks. One lot of the series is an option on
/// <see cref="ContractSize"/> lots of the underlying, so at expiry against a settlement price <c>S</c> ticks one lot
/// of a call is worth exactly <c>max(S − K, 0) × ContractSize × underlying TickSize</c> quote atoms (a put
/// <c>max(K − S, 0) × …</c>): an integer, so cash settlement needs no rounding. The premium is in the series' own
/// ticks: a fill of <c>q</c> lots at <c>p</c> ticks moves <c>q × p × Market.TickSize</c> quote atoms, exactly as
/// the clearing engine computes it.
/// </para>
/// <para>
/// Time. The series trades while the engine's current block (given to
/// <see cref="PerpetualEngine.UpdateVolatilities(long, long, ReadOnlySpan{double})"/>) is before <see cref="ExpiryBlock"/>; from that block on its
/// orders are refused as <see cref="AdmissionStatus.SeriesExpired"/>, and the host settles it with
/// <see cref="PerpetualEngine.SettleSeries"/>. The option models value it with the years from the block's timestamp
/// to <see cref="ExpiryTimestamp"/> (see <see cref="OptionTime"/>).
/// </para>
/// </remarks>
public sealed class OptionSeries
{
    /// <summary>Creates an option series.</summary>
    /// <param name="market">The series' own lots, premium ticks and price and quantity bounds.</param>
    /// <param name="underlyingMarketIndex">The perpetual market of the engine the option is on.</param>
    /// <param name="type">Call or put.</param>
    /// <param name="strike">The strike in the underlying's ticks, positive.</param>
    /// <param name="expiryBlock">The first block at which the series no longer trades and may be settled; zero or more.</param>
    /// <param name="expiryTimestamp">The expiry's time in seconds since the Unix epoch, which the models measure time to.</param>
    /// <param name="contractSize">Underlying lots per lot of the series; positive.</param>
    /// <param name="maxPosition">The largest absolute position in lots; 1 to the market's maximum order quantity.</param>
    /// <param name="feePpm">The trading fee both sides of every fill pay, in ppm of the premium moved (rounded up); 0 to 1,000,000.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range given for it, or <paramref name="type"/> is not defined.</exception>
    public OptionSeries(
        Market market,
        int underlyingMarketIndex,
        OptionType type,
        long strike,
        long expiryBlock,
        long expiryTimestamp,
        long contractSize,
        long maxPosition,
        int feePpm)
    {
        ArgumentNullException.ThrowIfNull(market);
        CheckRange(underlyingMarketIndex, 0, int.MaxValue, nameof(underlyingMarketIndex));
        CheckRange((long)type, (long)OptionType.Call, (long)OptionType.Put, nameof(type));
        CheckRange(strike, 1, long.MaxValue, nameof(strike));
        CheckRange(expiryBlock, 0, long.MaxValue, nameof(expiryBlock));
        CheckRange(contractSize, 1, long.MaxValue, nameof(contractSize));
        CheckRange(maxPosition, 1, market.MaxOrderQuantity, nameof(maxPosition));
        CheckRange(feePpm, 0, PerpetualMarket.OneMillion, nameof(feePpm));
        Market = market;
        UnderlyingMarketIndex = underlyingMarketIndex;
        Type = type;
        Strike = strike;
        ExpiryBlock = expiryBlock;
        ExpiryTimestamp = expiryTimestamp;
        ContractSize = contractSize;
        MaxPosition = maxPosition;
        FeePpm = feePpm;
    }

    /// <summary>The series' own lots, premium ticks and price and quantity bounds.</summary>
    public Market Market { get; }

    /// <summary>The index of the underlying perpetual market in the engine.</summary>
    public int UnderlyingMarketIndex { get; }

    /// <summary>Call or put.</summary>
    public OptionType Type { get; }

    /// <summary>The strike, in the underlying's ticks.</summary>
    public long Strike { get; }

    /// <summary>The first block at which the series no longer trades and may be settled.</summary>
    public long ExpiryBlock { get; }

    /// <summary>The expiry's time in seconds since the Unix epoch.</summary>
    public long ExpiryTimestamp { get; }

    /// <summary>Underlying lots per lot of the series.</summary>
    public long ContractSize { get; }

    /// <summary>The largest absolute position, in lots.</summary>
    public long MaxPosition { get; }

    /// <summary>The trading fee on both sides of every fill, in ppm of the premium moved (rounded up).</summary>
    public int FeePpm { get; }

    private static void CheckRange(long value, long min, long max, string name)
    {
        if (value < min || value > max)
        {
            ThrowHelper.ThrowArgumentOutOfRange_PerpetualParameter(name, value, min, max);
        }
    }
}
