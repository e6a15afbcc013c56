using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using AuctionEngine.Serialization;

namespace AuctionEngine.Primitives;

/// <summary>
/// A 32-byte value: a Keccak-256 hash, an EIP-712 type hash, domain separator or digest, or a Solidity <c>bytes32</c>.
/// </summary>
/// <remarks>
/// Stored as four integers rather than a byte array so that it is a blittable value with no heap reference, like
/// <see cref="Address"/>. Equality is byte-wise. Text and JSON are <c>0x</c> and 64 lower-case hexadecimal digits
/// (<see cref="Hash32JsonConverter"/>); parsing accepts either case. The <see cref="IParsable{TSelf}"/>,
/// <see cref="ISpanParsable{TSelf}"/> and <see cref="IUtf8SpanParsable{TSelf}"/> members, for generic code, are
/// implemented explicitly and ignore their format provider.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
[JsonConverter(typeof(Hash32JsonConverter))]
public readonly struct Hash32 :
    IEquatable<Hash32>, IComparable<Hash32>, ISpanFormattable, IUtf8SpanFormattable, ISpanParsable<Hash32>, IUtf8SpanParsable<Hash32>
{
    /// <summary>The number of bytes in the value.</summary>
    public const int Length = 32;

    /// <summary>The number of characters in the value's text: <c>0x</c> and 64 hexadecimal digits.</summary>
    public const int TextLength = 2 + (2 * Length);

    private readonly ulong _bytes0To7;
    private readonly ulong _bytes8To15;
    private readonly ulong _bytes16To23;
    private readonly ulong _bytes24To31;

    /// <summary>Creates the value from exactly 32 bytes, in order.</summary>
    /// <param name="bytes">The 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            ThrowHelper.ThrowArgumentException_Hash32Length(bytes.Length, nameof(bytes));
        }

        _bytes0To7 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _bytes8To15 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _bytes16To23 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _bytes24To31 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>Bytes 0..7 as a big-endian number: orders hashes as <see cref="CompareTo"/> does, but for ties.</summary>
    internal ulong Prefix => _bytes0To7;

    /// <summary>Bytes 8..15 as a big-endian number.</summary>
    internal ulong Bytes8To15 => _bytes8To15;

    /// <summary>The all-zero value.</summary>
    public static Hash32 Zero => default;

    /// <summary>Whether every byte is zero.</summary>
    public bool IsZero => (_bytes0To7 | _bytes8To15 | _bytes16To23 | _bytes24To31) == 0;

    /// <summary>Writes the 32 bytes, in order.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _bytes0To7);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _bytes8To15);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _bytes16To23);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _bytes24To31);
    }

    /// <summary>Returns the 32 bytes in a new array.</summary>
    /// <returns>A new 32-byte array.</returns>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses 64 hexadecimal digits, with or without a <c>0x</c> prefix, in any letter case.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="value">The parsed value, or <see cref="Zero"/> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was 32 well-formed hexadecimal bytes.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Hash32 value) => TryParseCore(text, out value);

    /// <summary>Parses UTF-8 text as <see cref="TryParse(ReadOnlySpan{char}, out Hash32)"/> parses UTF-16 text.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <param name="value">The parsed value, or <see cref="Zero"/> when parsing fails.</param>
    /// <returns>Whether <paramref name="utf8Text"/> was 32 well-formed hexadecimal bytes.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Hash32 value) => TryParseCore(utf8Text, out value);

    /// <summary>Parses 64 hexadecimal digits, with or without a <c>0x</c> prefix, in any letter case.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not 32 hexadecimal bytes.</exception>
    public static Hash32 Parse(ReadOnlySpan<char> text) => ParseOrThrow(text);

    /// <summary>Parses UTF-8 text as <see cref="Parse(ReadOnlySpan{char})"/> parses UTF-16 text.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not 32 hexadecimal bytes.</exception>
    public static Hash32 Parse(ReadOnlySpan<byte> utf8Text) => ParseOrThrow(utf8Text);

    /// <inheritdoc/>
    static bool IParsable<Hash32>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Hash32 result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <inheritdoc/>
    static bool ISpanParsable<Hash32>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Hash32 result) => TryParse(s, out result);

    /// <inheritdoc/>
    static bool IUtf8SpanParsable<Hash32>.TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Hash32 result) => TryParse(utf8Text, out result);

    /// <inheritdoc/>
    static Hash32 IParsable<Hash32>.Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc/>
    static Hash32 ISpanParsable<Hash32>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc/>
    static Hash32 IUtf8SpanParsable<Hash32>.Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => Parse(utf8Text);

    /// <inheritdoc/>
    public bool Equals(Hash32 other) =>
        _bytes0To7 == other._bytes0To7 && _bytes8To15 == other._bytes8To15 &&
        _bytes16To23 == other._bytes16To23 && _bytes24To31 == other._bytes24To31;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_bytes0To7, _bytes8To15, _bytes16To23, _bytes24To31);

    /// <summary>Byte-wise equality.</summary>
    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    /// <summary>Byte-wise inequality.</summary>
    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    /// <summary>Orders values as 256-bit big-endian unsigned integers, which is also their byte-wise order.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Negative, zero or positive as this value is below, equal to or above <paramref name="other"/>.</returns>
    public int CompareTo(Hash32 other)
    {
        int c = _bytes0To7.CompareTo(other._bytes0To7);
        if (c == 0)
        {
            c = _bytes8To15.CompareTo(other._bytes8To15);
        }

        if (c == 0)
        {
            c = _bytes16To23.CompareTo(other._bytes16To23);
        }

        return c != 0 ? c : _bytes24To31.CompareTo(other._bytes24To31);
    }

    /// <summary>Whether <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator <(Hash32 left, Hash32 right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> orders before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(Hash32 left, Hash32 right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator >(Hash32 left, Hash32 right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> orders after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(Hash32 left, Hash32 right) => left.CompareTo(right) >= 0;

    /// <summary>Formats the value as <c>0x</c> followed by 64 lower-case hexadecimal digits.</summary>
    /// <returns>The formatted value.</returns>
    public override string ToString() => string.Create(TextLength, this, static (chars, value) => value.TryFormatCore(chars, out _));

    /// <summary>Formats the value as <see cref="ToString()"/> does.</summary>
    /// <param name="format"><see langword="null"/>, empty or <c>"x"</c>: <c>0x</c> and 64 lower-case digits.</param>
    /// <param name="formatProvider">Ignored: the value is written the same way in every culture.</param>
    /// <returns>The formatted value.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        CheckFormat(format);
        return ToString();
    }

    /// <summary>Writes <c>0x</c> and 64 lower-case digits, if they fit.</summary>
    /// <param name="destination">Where to write the 66 characters.</param>
    /// <param name="charsWritten">66 when the value was written; 0 otherwise.</param>
    /// <param name="format">Empty or <c>"x"</c>.</param>
    /// <param name="provider">Ignored: the value is written the same way in every culture.</param>
    /// <returns>Whether <paramref name="destination"/> held the 66 characters.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        CheckFormat(format);
        return TryFormatCore(destination, out charsWritten);
    }

    /// <summary>Writes <c>0x</c> and 64 lower-case digits as UTF-8, if they fit.</summary>
    /// <param name="utf8Destination">Where to write the 66 bytes.</param>
    /// <param name="bytesWritten">66 when the value was written; 0 otherwise.</param>
    /// <param name="format">Empty or <c>"x"</c>.</param>
    /// <param name="provider">Ignored: the value is written the same way in every culture.</param>
    /// <returns>Whether <paramref name="utf8Destination"/> held the 66 bytes.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is neither empty nor <c>"x"</c>.</exception>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        CheckFormat(format);
        return TryFormatCore(utf8Destination, out bytesWritten);
    }

    private static void CheckFormat(ReadOnlySpan<char> format)
    {
        if (!format.IsEmpty && format is not "x")
        {
            ThrowHelper.ThrowFormatException_Hash32Format();
        }
    }

    private bool TryFormatCore<TChar>(Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (destination.Length < TextLength)
        {
            written = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        destination[0] = TChar.CreateTruncating('0');
        destination[1] = TChar.CreateTruncating('x');
        Hex.EncodeLower(bytes, destination[2..]);
        written = TextLength;
        return true;
    }

    private static bool TryParseCore<TChar>(ReadOnlySpan<TChar> text, out Hash32 value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        Span<byte> bytes = stackalloc byte[Length];
        bool parsed = Hex.TryDecodeOptionallyPrefixed(text, bytes);
        value = parsed ? new Hash32(bytes) : default;
        return parsed;
    }

    private static Hash32 ParseOrThrow<TChar>(ReadOnlySpan<TChar> text)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (!TryParseCore(text, out Hash32 value))
        {
            ThrowHelper.ThrowFormatException_Hash32();
        }

        return value;
    }
}
