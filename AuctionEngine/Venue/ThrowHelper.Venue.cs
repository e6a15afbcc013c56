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
    public static void ThrowArgumentException_PerpetualVenueMarket(string paramName) =>
        throw new ArgumentException("The perpetual engine must have exactly one market, with the venue's lot and tick size.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PerpetualVenueNoOracle(long block, string paramName) =>
        throw new ArgumentException($"Block {block} brings no usable oracle observation and none came before: a perpetual market needs an index price before its first batch.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_LiquidationIdTaken(ulong id, string paramName) =>
        throw new ArgumentException($"Order id {id} has the top bit set, which liquidation orders own (PerpetualEngine.LiquidationIdFlag).", paramName);
}
