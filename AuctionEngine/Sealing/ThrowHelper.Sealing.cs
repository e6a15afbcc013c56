using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ReleasedForAnotherBatch(long batch, long block, string paramName) =>
        throw new ArgumentException($"The order was released for batch {batch}, not this batch of block {block}.", paramName);
}
