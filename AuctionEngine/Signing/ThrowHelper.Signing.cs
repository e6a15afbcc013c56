using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_StructBufferFull(string paramName) =>
        throw new ArgumentException("The buffer has no room for another 32-byte word.", paramName);
}
