using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

/// <summary>
/// Throws on behalf of hot methods: keeping the throw (and its message formatting) out of line keeps the callers
/// small enough to inline. Each concern keeps its own throws in a partial file beside its code; the ones here are shared.
/// </summary>
internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DestinationTooShort(string paramName) =>
        throw new ArgumentException("The destination is too short.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Length(string what, int expected, int length, string paramName) =>
        throw new ArgumentException($"{what} is exactly {expected} bytes; got {length}.", paramName);
}
