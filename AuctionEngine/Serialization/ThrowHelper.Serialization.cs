using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AuctionEngine;

internal static partial class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Expected(string field, string expected, JsonTokenType found) =>
        throw new JsonException($"{field} must be {expected}; found {found}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_DuplicateProperty(string type, string property) =>
        throw new JsonException($"{type} has \"{property}\" more than once.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_MissingProperty(string type, string property) =>
        throw new JsonException($"{type} needs \"{property}\".");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_TooLong(string field) =>
        throw new JsonException($"{field} is too long.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Address(string field, bool wrongChecksum) =>
        throw new JsonException(wrongChecksum
            ? $"{field} is in mixed case but its EIP-55 checksum is wrong: a digit or its case was probably mistyped."
            : $"{field} must be an address: 40 hexadecimal digits, optionally prefixed with 0x.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Hash32(string field) =>
        throw new JsonException($"{field} must be 64 hexadecimal digits, optionally prefixed with 0x.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_HexBytes(string field, int length) =>
        throw new JsonException($"{field} must be {length} bytes as {2 * length} hexadecimal digits, optionally prefixed with 0x.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Integer(string field, string min, string max) =>
        throw new JsonException($"{field} must be an integer from {min} to {max}, as a decimal string or a JSON integer.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Int32(string field) =>
        throw new JsonException($"{field} must be a JSON integer from {int.MinValue} to {int.MaxValue}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_EnumName(string field, ReadOnlySpan<JsonEncodedText> names)
    {
        var known = new List<string>(names.Length);
        foreach (JsonEncodedText name in names)
        {
            if (!name.EncodedUtf8Bytes.IsEmpty)
            {
                known.Add($"\"{name}\"");
            }
        }

        throw new JsonException($"{field} must be one of {string.Join(", ", known)}.");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowJsonException_Invalid(string type, string problem) =>
        throw new JsonException($"{type}: {problem}");
}
