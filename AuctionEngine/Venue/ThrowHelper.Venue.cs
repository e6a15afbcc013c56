using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_VenueSnapshot(string why) =>
        throw new InvalidDataException($"Not a batch venue snapshot this version can read: {why}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_PerpetualVenueSnapshot(string why) =>
        throw new InvalidDataException($"Not a perpetual venue snapshot this version can read: {why}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueNotRestoring(int index, string paramName) =>
        throw new ArgumentException($"Batch venue {index} was not restored with PerpetualVenue.RestoringSource as its last source: the liquidation orders it holds name that source's index.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_RestoringSource() =>
        throw new InvalidOperationException("PerpetualVenue.RestoringSource only holds a restored batch venue's place for PerpetualVenue.Restore; restore the perpetual venue before running a block.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueMarketCount(int venues, int markets, int series, string paramName) =>
        throw new ArgumentException($"{venues} batch venues for an engine of {markets} perpetual markets and {series} option series: there must be one venue per market, perpetual markets first, then the series in listing order.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueMarket(int index, string paramName) =>
        throw new ArgumentException($"Batch venue {index} is null, or its market's lot or tick size differs from engine market {index}'s.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueAddress(int index, string paramName) =>
        throw new ArgumentException($"Batch venue {index}'s manager has the market address of an earlier venue: instructions are routed by market address, so each market needs its own.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueSources(int index, string paramName) =>
        throw new ArgumentException($"Batch venue {index} has another number of order sources than venue 0: liquidation orders must have one source index in every market.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_PerpetualVenueMarketsChanged(int venues, int markets) =>
        throw new InvalidOperationException($"The venue runs {venues} markets but its engine now has {markets}: a series listed after the venue was built has no batch venue. Build a new venue over every market.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_PerpetualVenueNotSingle(int markets) =>
        throw new InvalidOperationException($"This overload runs a venue of one market; this one has {markets}: use ProcessBlock(PerpetualVenueBlock).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueNoOracle(long block, int marketIndex, string paramName) =>
        throw new ArgumentException($"Block {block} brings no usable oracle observation for perpetual market {marketIndex} and none came before: a perpetual market needs an index price before its first batch.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Observations(int given, int markets, string paramName) =>
        throw new ArgumentException($"{given} oracle observations given for {markets} perpetual markets: give one per market, null where there is none.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_VolatilitiesAndSurfaces(string paramName) =>
        throw new ArgumentException("Give the series' volatilities or their surfaces, not both.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_LiquidationIdTaken(ulong id, string paramName) =>
        throw new ArgumentException($"Order id {id} has the top bit set, which liquidation orders own (PerpetualEngine.LiquidationIdFlag).", paramName);
}
