using System.Security.Cryptography;

namespace AuctionEngine.Crypto.Internal;

/// <summary>
/// Deterministic ECDSA nonces for secp256k1 by RFC 6979, section 3.2, with HMAC-SHA-256: the sequence ethers,
/// libsecp256k1, BouncyCastle's <c>HMacDsaKCalculator</c> and every other RFC 6979 signer draw, so that signatures
/// agree byte for byte.
/// </summary>
/// <remarks>
/// <para>
/// The group order and the hash are both 256 bits long, so bits2int is the plain big-endian value of one HMAC block,
/// int2octets(x) is the private key's own 32 bytes and bits2octets(h1) is the digest reduced modulo n.
/// </para>
/// <para>
/// The key and the nonces are secret: HMAC-SHA-256 is .NET's (the platform's native implementation), a candidate is
/// checked against [1, n − 1] with <see cref="Scalar.ReadSecret"/>'s masks, and the only branch is on the verdict,
/// which says no with probability about 2^-128. <see cref="Next"/> after a signature had to be refused (r or s
/// zero, probability about 2^-256) first moves K and V on as step h.3 says.
/// </para>
/// </remarks>
internal ref struct Rfc6979Nonces
{
    /// <summary>The bytes of caller-provided state: K then V.</summary>
    public const int StateSize = 2 * BlockSize;

    private const int BlockSize = 32;

    private readonly Span<byte> _key;
    private readonly Span<byte> _value;
    private bool _drawn;

    /// <summary>Steps a to g: seeds K and V from the private key and the digest.</summary>
    /// <param name="privateKey">int2octets(x): the 32-byte big-endian private key, in [1, n − 1].</param>
    /// <param name="digest">The digest modulo n, written as bits2octets(h1).</param>
    /// <param name="state"><see cref="StateSize"/> bytes that hold K and V; the caller clears them when done.</param>
    public Rfc6979Nonces(ReadOnlySpan<byte> privateKey, in Scalar digest, Span<byte> state)
    {
        System.Diagnostics.Debug.Assert(privateKey.Length == BlockSize && state.Length == StateSize);
        _key = state[..BlockSize];
        _value = state[BlockSize..];
        _drawn = false;
        _value.Fill(0x01);
        _key.Clear();

        // V ‖ marker ‖ int2octets(x) ‖ bits2octets(h1), with the marker 0x00 for step d and 0x01 for step f.
        Span<byte> seed = stackalloc byte[(3 * BlockSize) + 1];
        privateKey.CopyTo(seed[(BlockSize + 1)..]);
        digest.Write(seed[((2 * BlockSize) + 1)..]);
        for (byte marker = 0; marker <= 1; marker++)
        {
            _value.CopyTo(seed);
            seed[BlockSize] = marker;
            Hmac(_key, seed, _key);
            Hmac(_key, _value, _value);
        }

        CryptographicOperations.ZeroMemory(seed);
    }

    /// <summary>Step h: the next candidate k in [1, n − 1].</summary>
    public Scalar Next()
    {
        Span<byte> retry = stackalloc byte[BlockSize + 1];
        while (true)
        {
            if (_drawn)
            {
                // K = HMAC_K(V ‖ 0x00), V = HMAC_K(V): after a candidate out of range, or a nonce the signer refused.
                _value.CopyTo(retry);
                retry[BlockSize] = 0x00;
                Hmac(_key, retry, _key);
                Hmac(_key, _value, _value);
            }

            // One HMAC block is all of T: qlen = hlen = 256.
            Hmac(_key, _value, _value);
            _drawn = true;
            if (Scalar.ReadSecret(_value, out Scalar k) != 0)
            {
                CryptographicOperations.ZeroMemory(retry);
                return k;
            }
        }
    }

    /// <summary>HMAC-SHA-256 into a destination that may be the key or the data itself.</summary>
    private static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[BlockSize];
        HMACSHA256.HashData(key, data, mac);
        mac.CopyTo(destination);
        CryptographicOperations.ZeroMemory(mac);
    }
}
