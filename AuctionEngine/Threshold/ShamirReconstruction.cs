using AuctionEngine.Crypto.Internal;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Threshold;

/// <summary>
/// Recovers a shared secret by Lagrange interpolation at 0, without checking the shares: use
/// <see cref="BatchKeyOpener.Open"/> for shares that come from keypers.
/// </summary>
public static class ShamirReconstruction
{
    /// <summary>
    /// Interpolates the polynomial through the shares and returns its value at 0. With at least t correct shares of
    /// a t-of-n sharing that is the secret; with fewer, or with a wrong share, it is an unrelated value.
    /// </summary>
    /// <param name="shares">Shares with distinct indexes.</param>
    /// <returns>The 32-byte big-endian value at 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shares"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="shares"/> is empty, two shares have the same index, or a value is not a scalar.
    /// </exception>
    public static byte[] Reconstruct(IReadOnlyCollection<KeyperShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            ThrowHelper.ThrowArgumentException_NoShares(nameof(shares));
        }

        var indexes = new BigInteger[shares.Count];
        var values = new BigInteger[shares.Count];
        var seen = new HashSet<int>();
        int k = 0;
        foreach (KeyperShare share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            if (!seen.Add(share.Index))
            {
                ThrowHelper.ThrowArgumentException_DuplicateShareIndex(share.Index, nameof(shares));
            }

            if (!Secp256k1Curve.TryReadScalar(share.Value.Span, out values[k]))
            {
                ThrowHelper.ThrowArgumentException_ShareNotAScalar(share.Index, nameof(shares));
            }

            indexes[k++] = BigInteger.ValueOf(share.Index);
        }

        return Secp256k1Curve.EncodeScalar(InterpolateAtZero(indexes, values));
    }

    // f(0) = Σ y_i·λ_i with λ_i = Π_{j≠i} x_j / (x_j − x_i). Distinct indexes below n keep every denominator invertible.
    private static BigInteger InterpolateAtZero(BigInteger[] indexes, BigInteger[] values)
    {
        BigInteger n = Secp256k1Curve.Order;
        BigInteger sum = BigInteger.Zero;
        for (int i = 0; i < indexes.Length; i++)
        {
            BigInteger numerator = BigInteger.One;
            BigInteger denominator = BigInteger.One;
            for (int j = 0; j < indexes.Length; j++)
            {
                if (j != i)
                {
                    numerator = numerator.Multiply(indexes[j]).Mod(n);
                    denominator = denominator.Multiply(indexes[j].Subtract(indexes[i])).Mod(n);
                }
            }

            sum = sum.Add(values[i].Multiply(numerator).Mod(n).Multiply(denominator.ModInverse(n))).Mod(n);
        }

        return sum;
    }
}
