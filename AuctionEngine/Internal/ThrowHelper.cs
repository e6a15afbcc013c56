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
    public static void ThrowArgumentOutOfRange_KeyperIndex(int index, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, index, "Keyper indexes start at 1: the sharing polynomial at 0 is the secret itself.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_KeyperCount(int keyperCount, int threshold, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, keyperCount, $"There must be at least as many keypers as the threshold {threshold}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentOutOfRange_Threshold(int threshold, int keyperCount, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, threshold, $"The threshold must be between 1 and the number of keypers {keyperCount}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ScalarLength(int length, string paramName) =>
        throw new ArgumentException($"A scalar is exactly 32 big-endian bytes; got {length}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NotASecretKey(string paramName) =>
        throw new ArgumentException("A secret key is 32 big-endian bytes holding a value from 1 to the secp256k1 group order − 1.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NotAPublicKey(string paramName) =>
        throw new ArgumentException("A public key is a SEC 1 encoded secp256k1 point (33 or 65 bytes) other than the identity.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NotACoefficient(int position, string paramName) =>
        throw new ArgumentException($"Coefficient {position} is not 32 big-endian bytes holding a value from 1 to the secp256k1 group order − 1.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NotACommitment(int position, string paramName) =>
        throw new ArgumentException($"Commitment {position} is not a SEC 1 encoded secp256k1 point other than the identity.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NoCommitments(string paramName) =>
        throw new ArgumentException("There must be at least one commitment: the threshold is their number.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ShareCount(int shares, int keyperCount, string paramName) =>
        throw new ArgumentException($"There are {keyperCount} keypers but {shares} shares; each keyper needs exactly one.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DealtShare(int position, string paramName) =>
        throw new ArgumentException($"Entry {position} must be keyper {position + 1}'s share, and it must match the commitments.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NoShares(string paramName) =>
        throw new ArgumentException("Reconstruction needs at least one share.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DuplicateShareIndex(int index, string paramName) =>
        throw new ArgumentException($"Two shares have index {index}; interpolation needs distinct indexes.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ShareNotAScalar(int index, string paramName) =>
        throw new ArgumentException($"The share of keyper {index} is not below the secp256k1 group order.", paramName);

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

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_AbiWriter(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_AbiWriterLayout(int written, int declared) =>
        throw new InvalidOperationException($"{written} bytes were written since BeginTuple, but its head and declared tails take {declared}: an offset written before is wrong.");
}
