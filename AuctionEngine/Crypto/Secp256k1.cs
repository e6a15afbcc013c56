using System.Security.Cryptography;
using AuctionEngine.Crypto.Internal;
using AuctionEngine.Primitives;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace AuctionEngine.Crypto;

/// <summary>
/// Ethereum-style ECDSA over secp256k1: signing with deterministic nonces, public-key recovery from a 65-byte
/// <c>r || s || v</c> signature (Solidity's <c>ecrecover</c>, with OpenZeppelin <c>ECDSA.recover</c>'s stricter checks),
/// and addresses of keys.
/// </summary>
/// <remarks>
/// <para>
/// Signatures are 65 bytes: r and s as 32-byte big-endian numbers, then v = 27 + recovery id. Recovery accepts
/// v as 27/28 or 0/1, requires r and s in [1, n − 1] and, as EIP-2 and OpenZeppelin's <c>ECDSA.recover</c> do (the
/// bare <c>ecrecover</c> precompile does not), s ≤ n / 2. Bad signatures are reported through <see cref="SignatureStatus"/>, never by exception: they are
/// untrusted input. A digest of the wrong length is a caller's bug and throws.
/// </para>
/// <para>
/// Constant time, for everything that touches a private key or a nonce: <see cref="Sign"/> (the RFC 6979 nonce,
/// k·G, k⁻¹ by Fermat, s = k⁻¹·(e + r·d), low-s normalisation and the recovery id, all without a branch or a memory
/// index that depends on a secret), <see cref="GetPublicKey"/>, <see cref="AddressFromPrivateKey"/> and
/// <see cref="IsValidPrivateKey"/>. What their timing can show is only what the result shows anyway: whether a key
/// is valid, and (with probability about 2^-128) that a nonce had to be drawn again. Private keys are read into
/// stack values, never into big integers; managed code cannot promise that no copy outlives the call.
/// </para>
/// <para>
/// Variable time, for public data only: <see cref="RecoverAddress"/> and <see cref="TryRecoverAddress"/>, whose
/// inputs (signature, digest) and output (the signer's key) are all public, run on the engine's faster
/// variable-time arithmetic. <see cref="AddressFromPublicKey"/> hashes a public key.
/// </para>
/// <para>
/// The methods are thread-safe. Recovery allocates a few BouncyCastle big integers; signing and key derivation
/// allocate nothing.
/// </para>
/// </remarks>
public static class Secp256k1
{
    /// <summary>The number of bytes in a private key.</summary>
    public const int PrivateKeySize = 32;

    /// <summary>The number of bytes in a signed digest.</summary>
    public const int DigestSize = 32;

    /// <summary>The number of bytes in a signature: r (32), s (32), v (1).</summary>
    public const int SignatureSize = 65;

    /// <summary>The number of bytes in an uncompressed public key: 0x04, x (32), y (32).</summary>
    public const int PublicKeySize = 65;

    private const int ScalarSize = 32;

    private static readonly ECDomainParameters Domain = Secp256k1Curve.Domain;

    private static readonly BigInteger HalfN = Domain.N.ShiftRight(1);

    /// <summary>Recovers the address that signed <paramref name="digest"/>, or says why the signature is unacceptable.</summary>
    /// <param name="digest">The 32-byte message digest that was signed, e.g. an EIP-712 digest.</param>
    /// <param name="signature">The signature, r || s || v; any length is accepted and judged.</param>
    /// <param name="signer">The signer's address when the result is <see cref="SignatureStatus.Valid"/>, otherwise <see cref="Address.Zero"/>.</param>
    /// <returns><see cref="SignatureStatus.Valid"/>, or the first reason the signature was rejected.</returns>
    /// <exception cref="ArgumentException"><paramref name="digest"/> is not 32 bytes.</exception>
    public static SignatureStatus RecoverAddress(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer)
    {
        RequireDigest(digest, nameof(digest));
        signer = default;
        if (signature.Length != SignatureSize)
        {
            return SignatureStatus.WrongLength;
        }

        int recoveryId = signature[64] switch
        {
            0 or 27 => 0,
            1 or 28 => 1,
            _ => -1,
        };
        if (recoveryId < 0)
        {
            return SignatureStatus.InvalidRecoveryId;
        }

        var r = new BigInteger(1, signature[..ScalarSize]);
        var s = new BigInteger(1, signature[ScalarSize..(2 * ScalarSize)]);
        if (r.SignValue == 0 || r.CompareTo(Domain.N) >= 0)
        {
            return SignatureStatus.RNotInRange;
        }

        if (s.SignValue == 0 || s.CompareTo(Domain.N) >= 0)
        {
            return SignatureStatus.SNotInRange;
        }

        if (s.CompareTo(HalfN) > 0)
        {
            return SignatureStatus.HighS;
        }

        SignatureStatus status = Recover(digest, r, s, recoveryId, out AffinePoint publicKey);
        if (status == SignatureStatus.Valid)
        {
            signer = AddressOf(publicKey);
        }

        return status;
    }

    /// <summary>Recovers the address that signed <paramref name="digest"/>.</summary>
    /// <param name="digest">The 32-byte message digest that was signed.</param>
    /// <param name="signature">The signature, r || s || v; any length is accepted and judged.</param>
    /// <param name="signer">The signer's address on success, otherwise <see cref="Address.Zero"/>.</param>
    /// <returns>Whether the signature was acceptable; see <see cref="RecoverAddress"/> for the reason when not.</returns>
    /// <exception cref="ArgumentException"><paramref name="digest"/> is not 32 bytes.</exception>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer) =>
        RecoverAddress(digest, signature, out signer) == SignatureStatus.Valid;

    /// <summary>
    /// Signs a digest with a deterministic nonce (RFC 6979 with HMAC-SHA-256), normalised to low s, so that the same
    /// key and digest always give the same signature, identical to ethers' and other RFC 6979 signers'.
    /// </summary>
    /// <remarks>Constant time in the private key and the nonce; see the remarks on <see cref="Secp256k1"/>.</remarks>
    /// <param name="digest">The 32-byte digest to sign.</param>
    /// <param name="privateKey">The 32-byte big-endian private key, in [1, n − 1].</param>
    /// <param name="signature">At least 65 bytes; receives r || s || v with v = 27 or 28.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="digest"/> is not 32 bytes, <paramref name="privateKey"/> is not a valid private key, or
    /// <paramref name="signature"/> is shorter than 65 bytes.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The nonce point's x-coordinate is at least n, which v cannot express (probability about 2^-127).
    /// </exception>
    public static void Sign(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> privateKey, Span<byte> signature)
    {
        RequireDigest(digest, nameof(digest));
        Scalar d = ReadPrivateKey(privateKey, nameof(privateKey));
        if (signature.Length < SignatureSize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(signature));
        }

        Scalar e = Scalar.Reduce(digest);
        Span<byte> nonceState = stackalloc byte[Rfc6979Nonces.StateSize];
        var nonces = new Rfc6979Nonces(privateKey, e, nonceState);
        Span<byte> x = stackalloc byte[FieldElement.Length];
        Span<byte> rBytes = stackalloc byte[ScalarSize];
        Scalar r;
        Scalar s;
        ulong recoveryId;
        while (true)
        {
            Scalar k = nonces.Next();

            // k is in [1, n − 1], so R = k·G is never the identity.
            ConstantTimeMultiplication.MultiplyBase(k).TryToAffine(out AffinePoint bigR);
            bigR.X.Write(x);
            r = Scalar.Reduce(x);
            s = k.Invert() * (e + (r * d));

            // r is published, and a zero r or s (probability about 2^-256) is refused rather than published.
            if (!r.IsZero && !s.IsZero)
            {
                // n − s signs too, with −R, whose y has the other parity: EIP-2 wants the lower s. The choice and the
                // parity are masks, since R's parity is a bit of the secret k until v publishes it combined with the choice.
                ulong high = s.HighMask();
                s = Scalar.Select(high, -s, s);
                recoveryId = bigR.Y.LowBit ^ (high & 1);
                break;
            }
        }

        CryptographicOperations.ZeroMemory(nonceState);

        // r differs from R.x exactly when R.x ≥ n: recovery ids 2 and 3, which Ethereum's v cannot carry.
        r.Write(rBytes);
        if (!rBytes.SequenceEqual(x))
        {
            ThrowHelper.ThrowInvalidOperation_NoRecoveryId();
        }

        rBytes.CopyTo(signature);
        s.Write(signature[ScalarSize..(2 * ScalarSize)]);
        signature[64] = (byte)(27 + (int)recoveryId);
    }

    /// <summary>Whether 32 bytes are a usable private key: a big-endian number in [1, n − 1].</summary>
    /// <remarks>Constant time in the key's value.</remarks>
    /// <param name="privateKey">The candidate key.</param>
    /// <returns>Whether it is exactly 32 bytes and in range.</returns>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == PrivateKeySize && Scalar.ReadSecret(privateKey, out _) != 0;

    /// <summary>Writes the uncompressed public key of a private key: 0x04, x, y.</summary>
    /// <remarks>Constant time in the private key: d·G by <c>ConstantTimeMultiplication</c>.</remarks>
    /// <param name="privateKey">The 32-byte big-endian private key, in [1, n − 1].</param>
    /// <param name="publicKey">At least 65 bytes.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="privateKey"/> is not a valid private key, or <paramref name="publicKey"/> is shorter than 65 bytes.
    /// </exception>
    public static void GetPublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        Scalar d = ReadPrivateKey(privateKey, nameof(privateKey));
        if (publicKey.Length < PublicKeySize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(publicKey));
        }

        PublicKeyOf(d).WriteUncompressed(publicKey);
    }

    /// <summary>The address of the account a private key controls.</summary>
    /// <remarks>Constant time in the private key: d·G by <c>ConstantTimeMultiplication</c>.</remarks>
    /// <param name="privateKey">The 32-byte big-endian private key, in [1, n − 1].</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid private key.</exception>
    public static Address AddressFromPrivateKey(ReadOnlySpan<byte> privateKey) =>
        AddressOf(PublicKeyOf(ReadPrivateKey(privateKey, nameof(privateKey))));

    /// <summary>
    /// The address of a public key: the last 20 bytes of the Keccak-256 of its 64-byte x || y encoding.
    /// </summary>
    /// <param name="publicKey">The key as 64 bytes (x || y) or 65 bytes (0x04 || x || y).</param>
    /// <returns>The address. The key is not checked to be on the curve: an address is only a hash.</returns>
    /// <exception cref="ArgumentException"><paramref name="publicKey"/> is neither of those forms.</exception>
    public static Address AddressFromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == PublicKeySize && publicKey[0] == 0x04)
        {
            publicKey = publicKey[1..];
        }
        else if (publicKey.Length != PublicKeySize - 1)
        {
            ThrowHelper.ThrowArgumentException_PublicKey(nameof(publicKey));
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashSize];
        Keccak256.HashData(publicKey, hash);
        return new Address(hash[(Keccak256.HashSize - Address.Length)..]);
    }

    /// <summary>Q = r⁻¹ (s R − e G), where R is the curve point with x = r and y parity given by the recovery id.</summary>
    /// <remarks>
    /// The arithmetic is the engine's own variable-time code (<see cref="CurveMultiplication"/>,
    /// <see cref="Scalar.InvertVariableTime"/>), about twice as fast as BouncyCastle's; every input here is public.
    /// </remarks>
    private static SignatureStatus Recover(ReadOnlySpan<byte> digest, BigInteger r, BigInteger s, int recoveryId, out AffinePoint publicKey)
    {
        publicKey = default;

        // r < n < p, so r is always a field element; solving y² = x³ + 7 lets a bad r be reported, not thrown.
        Span<byte> scalar = stackalloc byte[ScalarSize];
        WriteScalar(r, scalar);
        FieldElement.TryRead(scalar, out FieldElement x);
        if (!AffinePoint.TryLift(x, odd: recoveryId == 1, out AffinePoint bigR))
        {
            return SignatureStatus.NoCurvePoint;
        }

        Scalar rInverse = Scalar.Reduce(r).InvertVariableTime();
        BigInteger gFactor = (-(Scalar.Reduce(digest) * rInverse)).ToBigInteger();
        BigInteger rFactor = (Scalar.Reduce(s) * rInverse).ToBigInteger();
        if (!CurveMultiplication.MultiplyAddBase(gFactor, bigR, rFactor).TryToAffine(out publicKey))
        {
            return SignatureStatus.PointAtInfinity;
        }

        return SignatureStatus.Valid;
    }

    private static ReadOnlySpan<byte> Encoded(in AffinePoint point, Span<byte> destination)
    {
        point.WriteUncompressed(destination);
        return destination[..PublicKeySize];
    }

    private static Address AddressOf(in AffinePoint point)
    {
        Span<byte> encoded = stackalloc byte[PublicKeySize];
        return AddressFromPublicKey(Encoded(point, encoded));
    }

    /// <summary>d·G for a valid private key, which is never the identity.</summary>
    private static AffinePoint PublicKeyOf(in Scalar privateKey)
    {
        ConstantTimeMultiplication.MultiplyBase(privateKey).TryToAffine(out AffinePoint publicKey);
        return publicKey;
    }

    /// <summary>Reads a private key without branching on its value; only its validity decides anything.</summary>
    private static Scalar ReadPrivateKey(ReadOnlySpan<byte> privateKey, string paramName)
    {
        Scalar key = default;
        if (privateKey.Length != PrivateKeySize || Scalar.ReadSecret(privateKey, out key) == 0)
        {
            ThrowHelper.ThrowArgumentException_PrivateKey(paramName);
        }

        return key;
    }

    private static void RequireDigest(ReadOnlySpan<byte> digest, string paramName)
    {
        if (digest.Length != DigestSize)
        {
            ThrowHelper.ThrowArgumentException_Length("A digest", DigestSize, digest.Length, paramName);
        }
    }

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        byte[] bytes = value.ToByteArrayUnsigned();
        destination[..^bytes.Length].Clear();
        bytes.CopyTo(destination[^bytes.Length..]);
    }
}
