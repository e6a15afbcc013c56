using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AuctionEngine.Primitives;

/// <summary>
/// A 20-byte account or contract address, as used by Ethereum and EVM chains.
/// </summary>
/// <remarks>
/// Stored as three integers rather than a byte array so that <see cref="Address"/> is a blittable value that can sit
/// inside an <see cref="Orders.Order"/> without a heap reference. Equality is byte-wise.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>, ISpanFormattable
{
    /// <summary>The number of bytes in an address.</summary>
    public const int Length = 20;

    private readonly ulong _bytes0To7;
    private readonly ulong _bytes8To15;
    private readonly uint _bytes16To19;

    /// <summary>Creates an address from exactly 20 big-endian bytes.</summary>
    /// <param name="bytes">The address bytes, most significant first.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 20 bytes long.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            ThrowHelper.ThrowArgumentException_AddressLength(bytes.Length, nameof(bytes));
        }

        _bytes0To7 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _bytes8To15 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _bytes16To19 = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>The zero address, <c>0x0000000000000000000000000000000000000000</c>.</summary>
    public static Address Zero => default;

    /// <summary>Whether this is the zero address.</summary>
    public bool IsZero => _bytes0To7 == 0 && _bytes8To15 == 0 && _bytes16To19 == 0;

    /// <summary>Writes the 20 address bytes, most significant first.</summary>
    /// <param name="destination">At least 20 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 20 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _bytes0To7);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _bytes8To15);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _bytes16To19);
    }

    /// <summary>Parses 40 hexadecimal digits, with or without a <c>0x</c> prefix, in any letter case.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="address">The parsed address, or <see cref="Zero"/> when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a well-formed address.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Address address)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bool parsed = Hex.TryDecodeOptionallyPrefixed(text, bytes);
        address = parsed ? new Address(bytes) : default;
        return parsed;
    }

    /// <summary>Parses 40 hexadecimal digits, with or without a <c>0x</c> prefix.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a 20-byte hexadecimal address.</exception>
    public static Address Parse(ReadOnlySpan<char> text)
    {
        if (!TryParse(text, out Address address))
        {
            ThrowHelper.ThrowFormatException_Address();
        }

        return address;
    }

    /// <inheritdoc/>
    public bool Equals(Address other) =>
        _bytes0To7 == other._bytes0To7 && _bytes8To15 == other._bytes8To15 && _bytes16To19 == other._bytes16To19;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_bytes0To7, _bytes8To15, _bytes16To19);

    /// <summary>Orders addresses as 160-bit big-endian unsigned integers.</summary>
    /// <param name="other">The address to compare with.</param>
    /// <returns>Negative, zero or positive as this address is below, equal to or above <paramref name="other"/>.</returns>
    public int CompareTo(Address other)
    {
        int c = _bytes0To7.CompareTo(other._bytes0To7);
        if (c == 0)
        {
            c = _bytes8To15.CompareTo(other._bytes8To15);
        }

        return c != 0 ? c : _bytes16To19.CompareTo(other._bytes16To19);
    }

    /// <summary>Byte-wise equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Byte-wise inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is below <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is at most <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is above <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is at least <paramref name="right"/> as a 160-bit integer.</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    /// <summary>Formats the address as <c>0x</c> followed by 40 lower-case hexadecimal digits.</summary>
    public override string ToString() => string.Create(2 + 2 * Length, this, static (chars, address) => address.TryFormat(chars, out _, default, null));

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 2 + 2 * Length)
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
