using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_VenueSnapshot(string why) =>
        throw new InvalidDataException($"Not a batch venue snapshot this version can read: {why}");
}
