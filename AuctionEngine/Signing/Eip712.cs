using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// EIP-712 typed-data hashing: the digest a wallet signs for a struct under a domain, and the 32-byte words that make
/// up a struct's encoding.
/// </summary>
/// <remarks>
/// <para>
/// <c>digest = keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))</c>, where
/// <c>hashStruct(s) = keccak256(typeHash ‖ encodeData(s))</c>, <c>typeHash = keccak256(encodeType)</c> and
/// <c>encodeData</c> is one 32-byte word per member in declaration order: atomic values (address, uintN, bool,
/// bytes32) left-padded with zeros as <c>abi.encode</c> does (an <c>intN</c> sign-extended), <c>string</c> and <c>bytes</c> replaced by the
/// Keccak-256 of their contents, and nested structs by their <c>hashStruct</c>.
/// See <see cref="Eip712StructEncoder"/> for building <c>hashStruct</c> one member at a time.
/// </para>
/// <para>The word encoders write into the first 32 bytes of a destination and throw if it is shorter.</para>
/// </remarks>
public static class Eip712
{
    /// <summary>The number of bytes in one encoded member.</summary>
    public const int WordSize = 32;

    /// <summary>The number of bytes hashed for a digest: 0x19, 0x01, domain separator, struct hash.</summary>
    public const int DigestInputSize = 2 + (2 * WordSize);

    // Strings this short are encoded on the stack; longer ones borrow a pooled buffer.
    private const int StackUtf8Limit = 256;

    /// <summary>The type hash of a struct: the Keccak-256 of its UTF-8 <c>encodeType</c> string.</summary>
    /// <param name="encodedType">
    /// The canonical type string, e.g. <c>Mail(Person from,Person to,string contents)Person(string name,address wallet)</c>:
    /// no spaces except between a member's type and name, referenced struct types appended in alphabetical order.
    /// </param>
    /// <returns>The type hash.</returns>
    public static Hash32 TypeHash(ReadOnlySpan<char> encodedType) => HashString(encodedType);

    /// <summary>The encoding of a <c>string</c> member: the Keccak-256 of its UTF-8 bytes.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The hash.</returns>
    public static Hash32 HashString(ReadOnlySpan<char> value)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = maxBytes > StackUtf8Limit ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackUtf8Limit];
        try
        {
            int length = Encoding.UTF8.GetBytes(value, buffer);
            return Keccak256.Hash(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The encoding of a dynamic <c>bytes</c> member: the Keccak-256 of its contents.</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The hash.</returns>
    public static Hash32 HashBytes(ReadOnlySpan<byte> value) => Keccak256.Hash(value);

    /// <summary>Encodes an <c>address</c>: 12 zero bytes, then the 20 address bytes.</summary>
    /// <param name="value">The address.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeAddress(Address value, Span<byte> destination)
    {
        RequireWord(destination);
        destination[..(WordSize - Address.Length)].Clear();
        value.WriteTo(destination[(WordSize - Address.Length)..]);
    }

    /// <summary>Encodes any <c>uintN</c> with N ≤ 64 (or a larger N holding a value below 2^64): big-endian, zero-padded.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeUInt(ulong value, Span<byte> destination)
    {
        RequireWord(destination);
        destination[..(WordSize - sizeof(ulong))].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[(WordSize - sizeof(ulong))..], value);
    }

    /// <summary>Encodes any <c>uintN</c> with N ≤ 128 (or a larger N holding a value below 2^128): big-endian, zero-padded.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeUInt(UInt128 value, Span<byte> destination)
    {
        RequireWord(destination);
        destination[..16].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], (ulong)(value >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], (ulong)value);
    }

    /// <summary>Encodes a <c>uint256</c> (or any narrower <c>uintN</c> holding the value): big-endian, zero-padded.</summary>
    /// <param name="value">The value, from 0 to 2^256 − 1.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or above 2^256 − 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeUInt(BigInteger value, Span<byte> destination)
    {
        ThrowIfNotUInt256(value, nameof(value));
        RequireWord(destination);
        Span<byte> word = destination[..WordSize];
        word.Clear();
        int length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(word[(WordSize - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>
    /// Encodes any <c>intN</c> with N ≥ 64 (or a narrower N holding the value): big-endian two's complement, sign-extended
    /// to 32 bytes, as <c>abi.encode</c> writes an <c>int256</c>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeInt(long value, Span<byte> destination)
    {
        RequireWord(destination);
        destination[..(WordSize - sizeof(long))].Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(destination[(WordSize - sizeof(long))..], value);
    }

    /// <summary>Encodes a <c>bool</c>: the number 1 for true, 0 for false.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeBool(bool value, Span<byte> destination) => EncodeUInt(value ? 1UL : 0UL, destination);

    /// <summary>Encodes a <c>bytes32</c>, or a string, bytes or nested struct member already hashed: the 32 bytes as they are.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void EncodeBytes32(Hash32 value, Span<byte> destination) => value.WriteTo(destination);

    /// <summary>The digest to sign: <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c>.</summary>
    /// <param name="domainSeparator">The domain's <c>hashStruct(eip712Domain)</c>; see <see cref="Eip712Domain.Separator"/>.</param>
    /// <param name="structHash">The message's <c>hashStruct</c>.</param>
    /// <returns>The digest.</returns>
    public static Hash32 Digest(Hash32 domainSeparator, Hash32 structHash)
    {
        Span<byte> digest = stackalloc byte[WordSize];
        Digest(Keccak256.PerThread, domainSeparator, structHash, digest);
        return new Hash32(digest);
    }

    /// <summary>Writes the digest to sign, <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)</c>, without allocating.</summary>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="domainSeparator">The domain's <c>hashStruct(eip712Domain)</c>.</param>
    /// <param name="structHash">The message's <c>hashStruct</c>.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void Digest(Keccak256 keccak, Hash32 domainSeparator, Hash32 structHash, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(keccak);
        Span<byte> input = stackalloc byte[DigestInputSize];
        input[0] = 0x19;
        input[1] = 0x01;
        domainSeparator.WriteTo(input[2..]);
        structHash.WriteTo(input[(2 + WordSize)..]);
        keccak.ComputeHash(input, destination);
    }

    internal static void ThrowIfNotUInt256(BigInteger value, string paramName)
    {
        if (value.Sign < 0 || value.GetBitLength() > WordSize * 8)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, "A uint256 is from 0 to 2^256 - 1.");
        }
    }

    private static void RequireWord(Span<byte> destination)
    {
        if (destination.Length < WordSize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(destination));
        }
    }
}
