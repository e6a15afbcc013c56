using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using AuctionEngine.Crypto.Internal;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Crypto;

/// <summary>
/// ECIES on secp256k1 in the default format of eciespy and ecies-rs, so that a trader's wallet can seal an order to
/// a batch public key with either library and the engine can open it.
/// </summary>
/// <remarks>
/// <para>
/// A ciphertext is the ephemeral public key (65 bytes, uncompressed, starting 0x04), then the AES-GCM nonce (16
/// bytes), the tag (16 bytes) and the encrypted data. The AES-256 key is HKDF-SHA256 with an empty salt and info over
/// the ephemeral public key and the shared point r·P, both uncompressed.
/// </para>
/// <para>
/// The 16-byte nonce is what both libraries use by default; .NET's <see cref="AesGcm"/> takes only 12, so the
/// cipher is BouncyCastle's, on the processor's AES instructions where it has them (its software fallback looks up
/// tables by key-dependent bytes) and with its table-free GHASH. The key derivation is .NET's <see cref="HKDF"/>.
/// </para>
/// <para>
/// Encryption runs in constant time in its secret, the ephemeral key r: r is drawn and range-checked with masks,
/// and both r·G (the ephemeral public key) and r·P (the shared point) are constant-time multiplications.
/// </para>
/// <para>
/// Decryption runs in variable time: how long the shared-point multiplication takes depends on the secret key. The
/// engine only decrypts with a batch key after the keypers have published it, when it is no longer secret; a caller
/// decrypting with a long-lived key where timing can be observed should not use this class.
/// </para>
/// </remarks>
public static class Ecies
{
    /// <summary>The length of the ephemeral public key that starts every ciphertext.</summary>
    public const int EphemeralKeyLength = Secp256k1Curve.UncompressedPointLength;

    /// <summary>The length of the AES-GCM nonce.</summary>
    public const int NonceLength = 16;

    /// <summary>The length of the AES-GCM tag.</summary>
    public const int TagLength = 16;

    /// <summary>How much longer a ciphertext is than its plaintext: 97 bytes.</summary>
    public const int Overhead = EphemeralKeyLength + NonceLength + TagLength;

    private const int KeyLength = 32;

    /// <summary>Encrypts to a secp256k1 public key.</summary>
    /// <param name="receiverPublicKey">The receiver's SEC 1 public key, compressed (33 bytes) or uncompressed (65).</param>
    /// <param name="plaintext">The message.</param>
    /// <param name="random">The source of the ephemeral key and the nonce; they must never repeat.</param>
    /// <returns>The ciphertext, <see cref="Overhead"/> bytes longer than <paramref name="plaintext"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="receiverPublicKey"/> is not a point on secp256k1.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> receiverPublicKey, ReadOnlySpan<byte> plaintext, RandomNumberGenerator random) =>
        Encrypt(receiverPublicKey, plaintext, ReadOnlySpan<byte>.Empty, random);

    /// <summary>Encrypts to a secp256k1 public key, binding associated data into the tag.</summary>
    /// <remarks>
    /// Non-empty associated data is not part of the eciespy format: eciespy and ecies-rs by default cannot decrypt
    /// the result. The data is not stored in the ciphertext; decryption needs it again.
    /// </remarks>
    /// <param name="receiverPublicKey">The receiver's SEC 1 public key, compressed (33 bytes) or uncompressed (65).</param>
    /// <param name="plaintext">The message.</param>
    /// <param name="associatedData">Data authenticated but not encrypted; empty gives the eciespy format.</param>
    /// <param name="random">The source of the ephemeral key and the nonce; they must never repeat.</param>
    /// <returns>The ciphertext, <see cref="Overhead"/> bytes longer than <paramref name="plaintext"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="receiverPublicKey"/> is not a point on secp256k1.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> receiverPublicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Secp256k1Curve.TryDecodePoint(receiverPublicKey, out AffinePoint receiver))
        {
            ThrowHelper.ThrowArgumentException_NotAPublicKey(nameof(receiverPublicKey));
        }

        // r·G and r·P, with r secret: constant-time multiplications. Neither is the identity, r being non-zero and
        // every point of secp256k1 but the identity having order n.
        Scalar ephemeralSecret = Secp256k1Curve.RandomSecret(random);
        Span<byte> ephemeralPublic = stackalloc byte[EphemeralKeyLength];
        ConstantTimeMultiplication.MultiplyBase(ephemeralSecret).TryToAffine(out AffinePoint ephemeral);
        ephemeral.WriteUncompressed(ephemeralPublic);
        Span<byte> shared = stackalloc byte[AffinePoint.UncompressedLength];
        ConstantTimeMultiplication.Multiply(receiver, ephemeralSecret).TryToAffine(out AffinePoint sharedPoint);
        sharedPoint.WriteUncompressed(shared);
        byte[] key = DeriveKey(ephemeralPublic, shared);
        CryptographicOperations.ZeroMemory(shared);

        var nonce = new byte[NonceLength];
        random.GetBytes(nonce);

        GcmBlockCipher gcm = CreateCipher(forEncryption: true, key, nonce, associatedData);
        var sealedData = new byte[gcm.GetOutputSize(plaintext.Length)];
        int written = gcm.ProcessBytes(plaintext, sealedData);
        gcm.DoFinal(sealedData.AsSpan(written));

        // BouncyCastle appends the tag; the format wants it before the data.
        var ciphertext = new byte[Overhead + plaintext.Length];
        ephemeralPublic.CopyTo(ciphertext);
        nonce.CopyTo(ciphertext, EphemeralKeyLength);
        sealedData.AsSpan(plaintext.Length, TagLength).CopyTo(ciphertext.AsSpan(EphemeralKeyLength + NonceLength));
        sealedData.AsSpan(0, plaintext.Length).CopyTo(ciphertext.AsSpan(Overhead));
        return ciphertext;
    }

    /// <summary>Decrypts a ciphertext made for the public key of <paramref name="secretKey"/>.</summary>
    /// <param name="secretKey">The receiver's 32-byte big-endian secret key.</param>
    /// <param name="ciphertext">The ciphertext as sent.</param>
    /// <param name="plaintext">The message if decryption succeeded; otherwise null.</param>
    /// <returns>
    /// False, without throwing, if the ciphertext is too short, its ephemeral key is not a point, or the tag does not
    /// match (it was tampered with, or made for another key).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="secretKey"/> is not a non-zero scalar.</exception>
    public static bool TryDecrypt(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext, [NotNullWhen(true)] out byte[]? plaintext) =>
        TryDecrypt(secretKey, ciphertext, ReadOnlySpan<byte>.Empty, out plaintext);

    /// <summary>Decrypts a ciphertext made for the public key of <paramref name="secretKey"/> with associated data.</summary>
    /// <param name="secretKey">The receiver's 32-byte big-endian secret key.</param>
    /// <param name="ciphertext">The ciphertext as sent.</param>
    /// <param name="associatedData">The associated data given to encryption; empty for the eciespy format.</param>
    /// <param name="plaintext">The message if decryption succeeded; otherwise null.</param>
    /// <returns>
    /// False, without throwing, if the ciphertext is too short, its ephemeral key is not a point, or the tag does not
    /// match (it was tampered with, made for another key, or the associated data differs).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="secretKey"/> is not a non-zero scalar.</exception>
    public static bool TryDecrypt(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        if (!Secp256k1Curve.TryReadSecretKey(secretKey, out BigInteger secret))
        {
            ThrowHelper.ThrowArgumentException_NotASecretKey(nameof(secretKey));
        }

        // Only the uncompressed ephemeral key is accepted: a 0x02/0x03 prefix would shift every later field.
        if (ciphertext.Length < Overhead ||
            !AffinePoint.TryDecodeUncompressed(ciphertext[..EphemeralKeyLength], out AffinePoint ephemeral))
        {
            return false;
        }

        // The ephemeral point has prime order n and the secret is in [1, n − 1], so the product is never ∞.
        bool finite = CurveMultiplication.Multiply(ephemeral, secret).TryToAffine(out AffinePoint shared);
        System.Diagnostics.Debug.Assert(finite, "A non-zero multiple of a point of prime order is not the identity.");
        Span<byte> sharedEncoding = stackalloc byte[AffinePoint.UncompressedLength];
        shared.WriteUncompressed(sharedEncoding);
        byte[] key = DeriveKey(ciphertext[..EphemeralKeyLength], sharedEncoding);
        ReadOnlySpan<byte> nonce = ciphertext.Slice(EphemeralKeyLength, NonceLength);
        ReadOnlySpan<byte> tag = ciphertext.Slice(EphemeralKeyLength + NonceLength, TagLength);
        ReadOnlySpan<byte> data = ciphertext[Overhead..];

        GcmBlockCipher gcm = CreateCipher(forEncryption: false, key, nonce.ToArray(), associatedData);
        var output = new byte[data.Length];
        int written = gcm.ProcessBytes(data, output);
        written += gcm.ProcessBytes(tag, output.AsSpan(written));
        try
        {
            gcm.DoFinal(output.AsSpan(written));
        }
        catch (InvalidCipherTextException)
        {
            // A tampered order is routine in a sealed batch: report it, keep no partial plaintext.
            CryptographicOperations.ZeroMemory(output);
            return false;
        }

        plaintext = output;
        return true;
    }

    /// <summary>HKDF-SHA256(ephemeral public key ‖ shared point, both 65 bytes uncompressed), no salt, no info.</summary>
    /// <remarks>.NET's HKDF: the same bytes as BouncyCastle's generator, in about two thirds of the time.</remarks>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> shared)
    {
        System.Diagnostics.Debug.Assert(ephemeralPublicKey.Length == EphemeralKeyLength && shared.Length == AffinePoint.UncompressedLength);
        Span<byte> material = stackalloc byte[EphemeralKeyLength + AffinePoint.UncompressedLength];
        ephemeralPublicKey.CopyTo(material);
        shared.CopyTo(material[EphemeralKeyLength..]);
        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, material, key, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty);
        CryptographicOperations.ZeroMemory(material);
        return key;
    }

    private static GcmBlockCipher CreateCipher(bool forEncryption, byte[] key, byte[] nonce, ReadOnlySpan<byte> associatedData)
    {
        // AES-NI where the processor has it: BouncyCastle's software AesEngine indexes tables by key-dependent bytes.
        var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagLength * 8, nonce, associatedData.ToArray()));
        return gcm;
    }
}
