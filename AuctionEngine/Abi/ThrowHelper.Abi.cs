using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_AbiWriter(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_AbiWriterLayout(int written, int declared) =>
        throw new InvalidOperationException($"{written} bytes were written since BeginTuple, but its head and declared tails take {declared}: an offset written before is wrong.");
}
