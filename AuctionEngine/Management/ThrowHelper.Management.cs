using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_BlockAlreadyEvaluated(long block, long lastEvaluated) =>
        throw new ArgumentOutOfRangeException(nameof(block), block, $"Block {lastEvaluated} has been evaluated; the manager only moves forward.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_OraclePrice(long price, long maxPrice, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, price, $"An oracle price must be between 1 and the market's maximum price {maxPrice} ticks.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_FillsForBatch(int fills, int orders, long batch, string paramName) =>
        throw new ArgumentException($"Batch {batch} holds {orders} released orders but {fills} fills were given; give one per order, in ReleasedOrders order.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_Snapshot(string why) =>
        throw new InvalidDataException($"Not an order manager snapshot this version can read: {why}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_FillExceedsOrder(long filled, long quantity, string paramName) =>
        throw new ArgumentException($"A fill of {filled} lots does not fit its released order of {quantity}.", paramName);
}
