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
    public static void ThrowArgumentException_Length(string what, int expected, int length, string paramName) =>
        throw new ArgumentException($"{what} is exactly {expected} bytes; got {length}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PrivateKey(string paramName) =>
        throw new ArgumentException("A secp256k1 private key is a 32-byte big-endian number between 1 and n - 1.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PublicKey(string paramName) =>
        throw new ArgumentException("A public key is 64 bytes (x || y) or 65 bytes (0x04 || x || y).", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_StructBufferFull(string paramName) =>
        throw new ArgumentException("The buffer has no room for another 32-byte word.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_NoRecoveryId() =>
        throw new InvalidOperationException("The signature's nonce point has x ≥ n, so no Ethereum recovery id (v = 27 or 28) describes it.");
}
