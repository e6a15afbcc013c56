using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
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
    public static void ThrowArgumentOutOfRange_UnknownKeyper(int index, int keyperCount, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, index, $"Keyper indexes run from 1 to the number of keypers {keyperCount}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_NoKeypers(string paramName) =>
        throw new ArgumentException("A keyper set needs at least one keyper.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ZeroKeyperAddress(int index, string paramName) =>
        throw new ArgumentException($"Keyper {index} has the zero address, which no signature recovers to.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DuplicateKeyperAddress(int first, int second, string paramName) =>
        throw new ArgumentException($"Keypers {first} and {second} have the same address; one key cannot speak for two indexes.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_KeyperSetSize(int registered, int keyperCount, string paramName) =>
        throw new ArgumentException($"The key was shared among {keyperCount} keypers but {registered} are registered.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_ContextForAnotherSharing(string paramName) =>
        throw new ArgumentException("The context is for another sharing: its commitments are not this key's.", paramName);
}
