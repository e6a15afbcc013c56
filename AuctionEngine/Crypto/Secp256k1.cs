using AuctionEngine.Crypto.Internal;
using AuctionEngine.Primitives;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

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
/// These methods allocate (BouncyCastle's big integers and points), and are thread-safe. Private keys pass through
/// managed big integers that cannot be wiped. Recovery runs in variable time, which leaks nothing: signature,
/// digest and key are all public.
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
        BigInteger d = ToPrivateScalar(privateKey, nameof(privateKey));
        if (signature.Length < SignatureSize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(signature));
        }

        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        BigInteger[] rs = signer.GenerateSignature(digest.ToArray());
        BigInteger r = rs[0];
        BigInteger s = rs[1].CompareTo(HalfN) > 0 ? Domain.N.Subtract(rs[1]) : rs[1];

        // The signer does not expose the nonce point R, so the recovery id is the one that gives back our key.
        byte[] expected = Domain.G.Multiply(d).Normalize().GetEncoded(false);
        Span<byte> candidate = stackalloc byte[PublicKeySize];
        int recoveryId = 0;
        while (Recover(digest, r, s, recoveryId, out AffinePoint recovered) != SignatureStatus.Valid ||
            !Encoded(recovered, candidate).SequenceEqual(expected))
        {
            // Only ids 0 and 1 fit in Ethereum's v; the others need R.x ≥ n, which has probability about 2^-127.
            if (++recoveryId > 1)
            {
                ThrowHelper.ThrowInvalidOperation_NoRecoveryId();
            }
        }

        WriteScalar(r, signature[..ScalarSize]);
        WriteScalar(s, signature[ScalarSize..(2 * ScalarSize)]);
        signature[64] = (byte)(27 + recoveryId);
    }

    /// <summary>Whether 32 bytes are a usable private key: a big-endian number in [1, n − 1].</summary>
    /// <param name="privateKey">The candidate key.</param>
    /// <returns>Whether it is exactly 32 bytes and in range.</returns>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeySize)
        {
            return false;
        }

        var d = new BigInteger(1, privateKey);
        return d.SignValue > 0 && d.CompareTo(Domain.N) < 0;
    }

    /// <summary>Writes the uncompressed public key of a private key: 0x04, x, y.</summary>
    /// <param name="privateKey">The 32-byte big-endian private key, in [1, n − 1].</param>
    /// <param name="publicKey">At least 65 bytes.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="privateKey"/> is not a valid private key, or <paramref name="publicKey"/> is shorter than 65 bytes.
    /// </exception>
    public static void GetPublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        BigInteger d = ToPrivateScalar(privateKey, nameof(privateKey));
        if (publicKey.Length < PublicKeySize)
        {
            ThrowHelper.ThrowArgumentException_DestinationTooShort(nameof(publicKey));
        }

        Domain.G.Multiply(d).Normalize().GetEncoded(false).CopyTo(publicKey);
    }

    /// <summary>The address of the account a private key controls.</summary>
    /// <param name="privateKey">The 32-byte big-endian private key, in [1, n − 1].</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not a valid private key.</exception>
    public static Address AddressFromPrivateKey(ReadOnlySpan<byte> privateKey) =>
        AddressOf(Domain.G.Multiply(ToPrivateScalar(privateKey, nameof(privateKey))).Normalize());

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

    private static Address AddressOf(ECPoint normalizedPoint) => AddressFromPublicKey(normalizedPoint.GetEncoded(false));

    private static BigInteger ToPrivateScalar(ReadOnlySpan<byte> privateKey, string paramName)
    {
        if (!IsValidPrivateKey(privateKey))
        {
            ThrowHelper.ThrowArgumentException_PrivateKey(paramName);
        }

        return new BigInteger(1, privateKey);
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
