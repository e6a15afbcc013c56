using System.Security.Cryptography;
using AuctionEngine.Crypto.Internal;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Threshold;

/// <summary>
/// Shares a batch secret key with Feldman verifiable secret sharing: it picks a polynomial of degree t − 1 whose
/// constant term is the secret, gives keyper i the value at i, and publishes a commitment to every coefficient.
/// </summary>
/// <remarks>
/// The dealer knows the secret, so it must be trusted to forget it; see <see cref="IBatchKeyGeneration"/> for the
/// way out. It draws every random value from the generator it is given and nowhere else, so a seeded generator
/// reproduces a sharing exactly.
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
        return Deal(RandomCoefficients(Secp256k1Curve.RandomNonZeroScalar(_random), threshold), keyperCount);
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
        if (!Secp256k1Curve.TryReadSecretKey(secretKey, out BigInteger secret))
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
        var all = new BigInteger[coefficients.Count + 1];
        if (!Secp256k1Curve.TryReadSecretKey(secretKey, out all[0]))
        {
            ThrowHelper.ThrowArgumentException_NotASecretKey(nameof(secretKey));
        }

        for (int j = 0; j < coefficients.Count; j++)
        {
            ArgumentNullException.ThrowIfNull(coefficients[j], nameof(coefficients));

            // A zero coefficient has no commitment point, and a zero leading one would quietly lower the threshold.
            if (!Secp256k1Curve.TryReadSecretKey(coefficients[j], out all[j + 1]))
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

    private BigInteger[] RandomCoefficients(BigInteger secret, int threshold)
    {
        var coefficients = new BigInteger[threshold];
        coefficients[0] = secret;
        for (int j = 1; j < threshold; j++)
        {
            coefficients[j] = Secp256k1Curve.RandomNonZeroScalar(_random);
        }

        return coefficients;
    }

    private static SharedBatchKey Deal(BigInteger[] coefficients, int keyperCount)
    {
        var points = new ECPoint[coefficients.Length];
        for (int j = 0; j < coefficients.Length; j++)
        {
            points[j] = Secp256k1Curve.MultiplyBase(coefficients[j]);
        }

        var shares = new KeyperShare[keyperCount];
        for (int i = 1; i <= keyperCount; i++)
        {
            shares[i - 1] = new KeyperShare(i, Secp256k1Curve.EncodeScalar(EvaluatePolynomial(coefficients, i)));
        }

        return new SharedBatchKey(new FeldmanCommitments(keyperCount, points), shares);
    }

    private static BigInteger EvaluatePolynomial(BigInteger[] coefficients, int index)
    {
        var x = BigInteger.ValueOf(index);
        BigInteger value = coefficients[^1];
        for (int j = coefficients.Length - 2; j >= 0; j--)
        {
            value = value.Multiply(x).Add(coefficients[j]).Mod(Secp256k1Curve.Order);
        }

        return value;
    }
}
