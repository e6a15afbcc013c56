using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_AddressLength(int length, string paramName) =>
        throw new ArgumentException($"An address is exactly 20 bytes; got {length}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFormatException_Address(bool wrongChecksum) =>
        throw new FormatException(wrongChecksum
            ? "The address is in mixed case but its EIP-55 checksum is wrong: a digit or its case was probably mistyped. Copy it again, or write it in one case to skip the check."
            : "An address is 40 hexadecimal digits, optionally prefixed with 0x.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFormatException_AddressFormat() =>
        throw new FormatException("An address's format is empty (EIP-55 checksummed) or \"x\" (lower case).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_Hash32Length(int length, string paramName) =>
        throw new ArgumentException($"A 32-byte value is exactly 32 bytes; got {length}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFormatException_Hash32() =>
        throw new FormatException("A 32-byte value is 64 hexadecimal digits, optionally prefixed with 0x.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFormatException_Hash32Format() =>
        throw new FormatException("A 32-byte value's format is empty or \"x\" (lower case).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidData_SnapshotOf(string kind, string why) =>
        throw new InvalidDataException($"Not {kind} snapshot this version can read: {why}");
}
