using System.Buffers.Binary;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Sealing;

/// <summary>
/// The plaintext inside an encrypted order: the signed <see cref="SealedOrder"/> as
/// <c>abi.encode(trader, market, batchId, side, orderType, limitPrice, quantity, nonce)</c> (eight 32-byte words, the
/// struct's members in their EIP-712 order), followed by the trader's 65-byte signature <c>r ‖ s ‖ v</c>: 321 bytes.
/// </summary>
/// <remarks>
/// The market and the batch id travel inside the plaintext and under the signature, so a ciphertext copied into
/// another batch or market decrypts to an order that names the wrong one and is refused.
/// </remarks>
public static class SealedOrderCodec
{
    private const int Word = 32;
    private const int WordCount = 8;

    /// <summary>The length of an encoded order.</summary>
    public const int EncodedLength = (WordCount * Word) + Secp256k1.SignatureSize;

    /// <summary>Writes <paramref name="order"/> and its <paramref name="signature"/> as the encrypted-order plaintext.</summary>
    /// <param name="order">The signed order.</param>
    /// <param name="signature">The trader's 65-byte signature of the order's EIP-712 digest.</param>
    /// <param name="destination">At least <see cref="EncodedLength"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not 65 bytes, or <paramref name="destination"/> is too short.</exception>
    public static void Encode(in SealedOrder order, ReadOnlySpan<byte> signature, Span<byte> destination)
    {
        if (signature.Length != Secp256k1.SignatureSize)
        {
            throw new ArgumentException($"A signature is {Secp256k1.SignatureSize} bytes.", nameof(signature));
        }

        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"An encoded order needs {EncodedLength} bytes.", nameof(destination));
        }

        Eip712.EncodeAddress(order.Trader, destination[..Word]);
        Eip712.EncodeAddress(order.Market, destination.Slice(Word, Word));
        Eip712.EncodeUInt(order.BatchId, destination.Slice(2 * Word, Word));
        Eip712.EncodeUInt((ulong)order.Side, destination.Slice(3 * Word, Word));
        Eip712.EncodeUInt((ulong)order.Type, destination.Slice(4 * Word, Word));
        Eip712.EncodeUInt((ulong)order.LimitPrice, destination.Slice(5 * Word, Word));
        Eip712.EncodeUInt((ulong)order.Quantity, destination.Slice(6 * Word, Word));
        Eip712.EncodeUInt(order.Nonce, destination.Slice(7 * Word, Word));
        signature.CopyTo(destination.Slice(WordCount * Word));
    }

    /// <summary>Encodes into a new array; see <see cref="Encode(in SealedOrder, ReadOnlySpan{byte}, Span{byte})"/>.</summary>
    /// <param name="order">The signed order.</param>
    /// <param name="signature">The trader's 65-byte signature.</param>
    /// <returns>The <see cref="EncodedLength"/>-byte plaintext.</returns>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not 65 bytes.</exception>
    public static byte[] Encode(in SealedOrder order, ReadOnlySpan<byte> signature)
    {
        var bytes = new byte[EncodedLength];
        Encode(order, signature, bytes);
        return bytes;
    }

    /// <summary>Reads an encrypted-order plaintext, refusing anything that is not exactly a canonical encoding.</summary>
    /// <param name="plaintext">The decrypted bytes.</param>
    /// <param name="order">The order, when the encoding is well formed.</param>
    /// <param name="signature">Receives the 65-byte signature; at least 65 bytes.</param>
    /// <returns>
    /// <see langword="false"/> if the length is wrong, an address or number has non-zero padding, the side or type does
    /// not fit a byte, or the limit price or quantity exceeds a signed 64-bit integer.
    /// </returns>
    public static bool TryDecode(ReadOnlySpan<byte> plaintext, out SealedOrder order, Span<byte> signature)
    {
        order = default;
        if (plaintext.Length != EncodedLength || signature.Length < Secp256k1.SignatureSize)
        {
            return false;
        }

        if (!TryReadAddress(plaintext[..Word], out Address trader)
            || !TryReadAddress(plaintext.Slice(Word, Word), out Address market)
            || !TryReadUInt64(plaintext.Slice(2 * Word, Word), out ulong batchId)
            || !TryReadUInt64(plaintext.Slice(3 * Word, Word), out ulong side) || side > byte.MaxValue
            || !TryReadUInt64(plaintext.Slice(4 * Word, Word), out ulong type) || type > byte.MaxValue
            || !TryReadUInt64(plaintext.Slice(5 * Word, Word), out ulong limitPrice) || limitPrice > long.MaxValue
            || !TryReadUInt64(plaintext.Slice(6 * Word, Word), out ulong quantity) || quantity > long.MaxValue
            || !TryReadUInt128(plaintext.Slice(7 * Word, Word), out UInt128 nonce))
        {
            return false;
        }

        order = new SealedOrder(trader, market, batchId, (Side)side, (OrderType)type, (long)limitPrice, (long)quantity, nonce);
        plaintext.Slice(WordCount * Word).CopyTo(signature);
        return true;
    }

    private static bool TryReadAddress(ReadOnlySpan<byte> word, out Address value)
    {
        value = default;
        if (word[..(Word - Address.Length)].ContainsAnyExcept((byte)0))
        {
            return false;
        }

        value = new Address(word[(Word - Address.Length)..]);
        return true;
    }

    private static bool TryReadUInt64(ReadOnlySpan<byte> word, out ulong value)
    {
        value = BinaryPrimitives.ReadUInt64BigEndian(word[(Word - sizeof(ulong))..]);
        return !word[..(Word - sizeof(ulong))].ContainsAnyExcept((byte)0);
    }

    private static bool TryReadUInt128(ReadOnlySpan<byte> word, out UInt128 value)
    {
        value = new UInt128(BinaryPrimitives.ReadUInt64BigEndian(word[16..24]), BinaryPrimitives.ReadUInt64BigEndian(word[24..]));
        return !word[..16].ContainsAnyExcept((byte)0);
    }
}
