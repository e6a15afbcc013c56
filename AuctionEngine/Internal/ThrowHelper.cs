using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine.Internal;

/// <summary>
/// Throws on behalf of hot methods: keeping the throw (and its message formatting) out of line keeps the callers
/// small enough to inline.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_AddressLength(int length, string paramName) =>
        throw new ArgumentException($"An address is exactly 20 bytes; got {length}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DestinationTooShort(string paramName) =>
        throw new ArgumentException("The destination is too short.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFormatException_Address() =>
        throw new FormatException("An address is 40 hexadecimal digits, optionally prefixed with 0x.");

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
    public static void ThrowArgumentOutOfRange_Rule(Clearing.PriceRule rule, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, rule, "Unknown price rule.");
}
