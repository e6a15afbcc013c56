using System.Security.Cryptography;
using AuctionEngine.Crypto.Internal;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace AuctionEngine.Threshold;

/// <summary>
/// Shares a batch secret key with Feldman verifiable secret sharing: it picks a polynomial of degree t − 1 whose
/// constant term is the secret, gives keyper i the value at i, and publishes a commitment to every coefficient.
/// </summary>
/// <remarks>
/// <para>
/// The dealer knows the secret, so it must be trusted to forget it; see <see cref="IBatchKeyGeneration"/> for the
/// way out. It draws every random value from the generator it is given and nowhere else, so a seeded generator
/// reproduces a sharing exactly.
/// </para>
/// <para>
/// The secret and the coefficients are handled in constant time: they are read or drawn and range-checked with
/// masks, the commitments a_j·G are constant-time multiplications, and each share Σ a_j·i^j is computed with
/// constant-time arithmetic modulo n. Only the shares and commitments it returns depend on them.
/// </para>
/// </remarks>
public sealed class TrustedDealer : IBatchKeyGeneration
{
    private readonly RandomNumberGenerator _random;

    /// <summary>Creates a dealer that draws secrets and coefficients from <paramref name="random"/>.</summary>
    /// <param name="random">The source of every random value; use <see cref="RandomNumberGenerator.Create()"/> in production.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public TrustedDealer(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public SharedBatchKey Generate(int threshold, int keyperCount)
    {
        CheckThreshold(threshold, keyperCount);
        return Deal(RandomCoefficients(Secp256k1Curve.RandomSecret(_random), threshold), keyperCount);
    }

    /// <summary>Shares a given secret with random coefficients.</summary>
    /// <param name="secretKey">The 32-byte big-endian secret key, a non-zero scalar.</param>
    /// <param name="threshold">t, from 1 to <paramref name="keyperCount"/>.</param>
    /// <param name="keyperCount">n.</param>
    /// <returns>The commitments and one share per keyper.</returns>
    /// <exception cref="ArgumentException"><paramref name="secretKey"/> is not a non-zero scalar.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="threshold"/> is less than 1 or greater than <paramref name="keyperCount"/>.
    /// </exception>
    public SharedBatchKey Share(ReadOnlySpan<byte> secretKey, int threshold, int keyperCount)
    {
        if (!TryReadSecret(secretKey, out Scalar secret))
        {
            ThrowHelper.ThrowArgumentException_NotASecretKey(nameof(secretKey));
        }

        CheckThreshold(threshold, keyperCount);
        return Deal(RandomCoefficients(secret, threshold), keyperCount);
    }

    /// <summary>
    /// Shares a given secret with given coefficients, with no randomness at all: for test vectors, or for a caller
    /// that derives the coefficients itself.
    /// </summary>
    /// <param name="secretKey">a_0, the 32-byte big-endian secret key, a non-zero scalar.</param>
    /// <param name="coefficients">a_1 … a_{t−1}, each a non-zero 32-byte big-endian scalar; empty for t = 1.</param>
    /// <param name="keyperCount">n, at least t.</param>
    /// <returns>The commitments and one share per keyper.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coefficients"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secretKey"/> or a coefficient is not a non-zero scalar.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyperCount"/> is less than t.</exception>
    public static SharedBatchKey Split(ReadOnlySpan<byte> secretKey, IReadOnlyList<byte[]> coefficients, int keyperCount)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        var all = new Scalar[coefficients.Count + 1];
        if (!TryReadSecret(secretKey, out all[0]))
        {
            ThrowHelper.ThrowArgumentException_NotASecretKey(nameof(secretKey));
        }

        for (int j = 0; j < coefficients.Count; j++)
        {
            ArgumentNullException.ThrowIfNull(coefficients[j], nameof(coefficients));

            // A zero coefficient has no commitment point, and a zero leading one would quietly lower the threshold.
            if (!TryReadSecret(coefficients[j], out all[j + 1]))
            {
                ThrowHelper.ThrowArgumentException_NotACoefficient(j, nameof(coefficients));
            }
        }

        CheckThreshold(all.Length, keyperCount);
        return Deal(all, keyperCount);
    }

    private static void CheckThreshold(int threshold, int keyperCount)
    {
        if (threshold < 1 || threshold > keyperCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange_Threshold(threshold, keyperCount, nameof(threshold));
        }
    }

    /// <summary>Reads a secret scalar in [1, n − 1] of exactly 32 bytes; only the verdict is branched on.</summary>
    private static bool TryReadSecret(ReadOnlySpan<byte> bytes, out Scalar value)
    {
        value = default;
        return bytes.Length == Secp256k1Curve.ScalarLength && Scalar.ReadSecret(bytes, out value) != 0;
    }

    private Scalar[] RandomCoefficients(in Scalar secret, int threshold)
    {
        var coefficients = new Scalar[threshold];
        coefficients[0] = secret;
        for (int j = 1; j < threshold; j++)
        {
            coefficients[j] = Secp256k1Curve.RandomSecret(_random);
        }

        return coefficients;
    }

    private static SharedBatchKey Deal(Scalar[] coefficients, int keyperCount)
    {
        // Every coefficient is non-zero, so no commitment is the identity.
        var points = new ECPoint[coefficients.Length];
        for (int j = 0; j < coefficients.Length; j++)
        {
            ConstantTimeMultiplication.MultiplyBase(coefficients[j]).TryToAffine(out AffinePoint commitment);
            points[j] = Secp256k1Curve.ToBouncyCastle(commitment);
        }

        var shares = new KeyperShare[keyperCount];
        for (int i = 1; i <= keyperCount; i++)
        {
            var value = new byte[Secp256k1Curve.ScalarLength];
            EvaluatePolynomial(coefficients, i).Write(value);
            shares[i - 1] = new KeyperShare(i, value);
        }

        return new SharedBatchKey(new FeldmanCommitments(keyperCount, points), shares);
    }

    /// <summary>Σ a_j·index^j modulo n by Horner's rule, in constant time (the index is public).</summary>
    private static Scalar EvaluatePolynomial(Scalar[] coefficients, int index)
    {
        var x = Scalar.FromIndex(index);
        Scalar value = coefficients[^1];
        for (int j = coefficients.Length - 2; j >= 0; j--)
        {
            value = (value * x) + coefficients[j];
        }

        return value;
    }
}
