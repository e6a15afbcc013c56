using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
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
    public static void ThrowArgumentException_PrivateKey(string paramName) =>
        throw new ArgumentException("A secp256k1 private key is a 32-byte big-endian number between 1 and n - 1.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_PublicKey(string paramName) =>
        throw new ArgumentException("A public key is 64 bytes (x || y) or 65 bytes (0x04 || x || y).", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperation_NoRecoveryId() =>
        throw new InvalidOperationException("The signature's nonce point has x ≥ n, so no Ethereum recovery id (v = 27 or 28) describes it.");
}
