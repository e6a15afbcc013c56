using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AuctionEngine.Primitives;

/// <summary>
/// A 32-byte value: a Keccak-256 hash, an EIP-712 type hash, domain separator or digest, or a Solidity <c>bytes32</c>.
/// </summary>
/// <remarks>
/// Stored as four integers rather than a byte array so that it is a blittable value with no heap reference, like
/// <see cref="Address"/>. Equality is byte-wise.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash32 : IEquatable<Hash32>, IComparable<Hash32>, ISpanFormattable
{
    /// <summary>The number of bytes in the value.</summary>
    public const int Length = 32;

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
    public static bool TryParse(ReadOnlySpan<char> text, out Hash32 value)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bool parsed = Hex.TryDecodeOptionallyPrefixed(text, bytes);
        value = parsed ? new Hash32(bytes) : default;
        return parsed;
    }

    /// <summary>Parses 64 hexadecimal digits, with or without a <c>0x</c> prefix.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not 32 hexadecimal bytes.</exception>
    public static Hash32 Parse(ReadOnlySpan<char> text)
    {
        if (!TryParse(text, out Hash32 value))
        {
            ThrowHelper.ThrowFormatException_Hash32();
        }

        return value;
    }

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
    public override string ToString() => string.Create(2 + (2 * Length), this, static (chars, value) => value.TryFormat(chars, out _, default, null));

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 2 + (2 * Length))
        {
            charsWritten = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        destination[0] = '0';
        destination[1] = 'x';
        Hex.EncodeLower(bytes, destination[2..]);
        charsWritten = 2 + (2 * Length);
        return true;
    }
}
