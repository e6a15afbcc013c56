using System.Numerics;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;

namespace AuctionEngine.Signing;

/// <summary>
/// Builds an EIP-712 <c>hashStruct(s) = keccak256(typeHash ‖ encodeData(s))</c> in a caller's buffer, one member
/// at a time in declaration order.
/// </summary>
/// <remarks>
/// Each <c>Add</c> method appends one 32-byte word as described on <see cref="Eip712"/>; nested structs are added
/// with <see cref="AddBytes32"/> of their own hash. The buffer needs <see cref="BufferSize"/> bytes.
/// </remarks>
public ref struct Eip712StructEncoder
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a struct encoding with its type hash as the first word.</summary>
    /// <param name="buffer">Room for the type hash and every member: see <see cref="BufferSize"/>.</param>
    /// <param name="typeHash">The struct's type hash; see <see cref="Eip712.TypeHash"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is shorter than one word.</exception>
    public Eip712StructEncoder(Span<byte> buffer, Hash32 typeHash)
    {
        _buffer = buffer;
        _length = 0;
        AddBytes32(typeHash);
    }

    /// <summary>The words written so far, type hash first.</summary>
    public readonly ReadOnlySpan<byte> Encoded => _buffer[.._length];

    /// <summary>The buffer size for a struct with <paramref name="memberCount"/> members.</summary>
    /// <param name="memberCount">The number of members.</param>
    /// <returns>32 bytes per member plus 32 for the type hash.</returns>
    public static int BufferSize(int memberCount) => Eip712.WordSize * (memberCount + 1);

    /// <summary>Appends an <c>address</c> member.</summary>
    /// <param name="value">The address.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddAddress(Address value) => Eip712.EncodeAddress(value, NextWord());

    /// <summary>Appends a <c>uintN</c> member whose value is below 2^64.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddUInt(ulong value) => Eip712.EncodeUInt(value, NextWord());

    /// <summary>Appends a <c>uintN</c> member whose value is below 2^128.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddUInt(UInt128 value) => Eip712.EncodeUInt(value, NextWord());

    /// <summary>Appends a <c>uint256</c> member (or a narrower <c>uintN</c> holding the value).</summary>
    /// <param name="value">The value, from 0 to 2^256 − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or above 2^256 − 1.</exception>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddUInt(BigInteger value)
    {
        // Checked before the word is taken, so that a refused value leaves the encoding as it was.
        Eip712.ThrowIfNotUInt256(value, nameof(value));
        Eip712.EncodeUInt(value, NextWord());
    }

    /// <summary>Appends an <c>intN</c> member (<c>int256</c>, or a narrower <c>intN</c> holding the value): two's complement, sign-extended.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddInt(long value) => Eip712.EncodeInt(value, NextWord());

    /// <summary>Appends a <c>bool</c> member.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddBool(bool value) => Eip712.EncodeBool(value, NextWord());

    /// <summary>Appends a <c>bytes32</c> member, or the hash of a nested struct.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddBytes32(Hash32 value) => Eip712.EncodeBytes32(value, NextWord());

    /// <summary>Appends a <c>string</c> member, as the Keccak-256 of its UTF-8 bytes.</summary>
    /// <param name="value">The string.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddString(ReadOnlySpan<char> value) => AddBytes32(Eip712.HashString(value));

    /// <summary>Appends a dynamic <c>bytes</c> member, as the Keccak-256 of its contents.</summary>
    /// <param name="value">The bytes.</param>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void AddBytes(ReadOnlySpan<byte> value) => AddBytes32(Eip712.HashBytes(value));

    /// <summary>The struct hash of the words written so far.</summary>
    /// <returns><c>keccak256(typeHash ‖ encodeData)</c>.</returns>
    public readonly Hash32 Hash() => Keccak256.Hash(Encoded);

    /// <summary>Writes the struct hash of the words written so far, without allocating.</summary>
    /// <param name="keccak">The hasher to use; its state is reset first.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keccak"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public readonly void Hash(Keccak256 keccak, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(keccak);
        keccak.ComputeHash(Encoded, destination);
    }

    private Span<byte> NextWord()
    {
        if (_buffer.Length - _length < Eip712.WordSize)
        {
            ThrowHelper.ThrowArgumentException_StructBufferFull("buffer");
        }

        Span<byte> word = _buffer.Slice(_length, Eip712.WordSize);
        _length += Eip712.WordSize;
        return word;
    }
}
