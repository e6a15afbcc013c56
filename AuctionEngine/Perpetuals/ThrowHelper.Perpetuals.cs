using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_EngineSnapshot(string why) =>
        throw new InvalidDataException($"Not a perpetual engine snapshot this version can read: {why}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_SnapshotInsideBlock() =>
        throw new InvalidOperationException("The engine is inside a block (fills applied or liquidations scanned since the last EndBlock); take its snapshot after EndBlock.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_PerpetualParameter(string paramName, long value, long min, long max) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be from {min} to {max}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_MarketIndex(int marketIndex, int marketCount, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, marketIndex, $"The engine has {marketCount} markets, indexed from 0.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_UnknownAccount(string paramName) =>
        throw new ArgumentException("The account has never made a deposit in this engine.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_OraclePrices(int given, int markets, string paramName) =>
        throw new ArgumentException($"Expected one oracle price per market ({markets}); got {given}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_OraclePrice(int marketIndex, long price, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, price, $"The oracle price of market {marketIndex} must be between 1 and the market's maximum price.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_NoOracle() =>
        throw new InvalidOperationException("Call UpdateOracle with every market's price before admitting orders, scanning or applying fills.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_FillsTwice(int marketIndex) =>
        throw new InvalidOperationException($"Fills of market {marketIndex} were already applied in this block; call EndBlock first.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ResultsTooShort(int results, int orders, string paramName) =>
        throw new ArgumentException($"The results span holds {results} entries but there are {orders} orders; it needs one entry per order.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Volatilities(int given, int series, string paramName) =>
        throw new ArgumentException($"Expected one volatility per listed series ({series}); got {given}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Surfaces(int given, int markets, string paramName) =>
        throw new ArgumentException($"Expected one volatility surface (or null) per perpetual market ({markets}); got {given}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_MissingSurface(int marketIndex, string paramName) =>
        throw new ArgumentException($"Market {marketIndex} has open option series but no volatility surface.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_SeriesIndex(int marketIndex, int marketCount, int seriesCount, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, marketIndex, $"Option series have the market indexes {marketCount} to {marketCount + seriesCount - 1}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_CannotSettle(int marketIndex, long expiryBlock, long currentBlock) =>
        throw new InvalidOperationException($"Series {marketIndex} is already settled, or its expiry block {expiryBlock} has not been reached (current block {currentBlock}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_NoVolatilities() =>
        throw new InvalidOperationException("Call UpdateVolatilities with every listed series' volatility before admitting series orders.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Markets(string paramName) =>
        throw new ArgumentException("An engine holds from 1 to 64 markets, none of them null.", paramName);
}
