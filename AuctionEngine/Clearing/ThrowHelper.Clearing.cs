using AuctionEngine.Clearing;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_FillsTooShort(int fills, int orders, string paramName) =>
        throw new ArgumentException($"The fills span holds {fills} entries but there are {orders} orders; it needs one entry per order.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_ReferencePrice(long referencePrice, long maxPrice, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, referencePrice, $"The reference price must be between 1 and the market's maximum price {maxPrice} ticks.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_Price(long price, long maxPrice, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, price, $"The price must be between 1 and the market's maximum price {maxPrice} ticks.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_Rule(PriceRule rule, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, rule, "Unknown price rule.");
}
