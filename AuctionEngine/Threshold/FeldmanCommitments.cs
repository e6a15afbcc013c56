using AuctionEngine.Crypto;
using AuctionEngine.Crypto.Internal;
using AuctionEngine.Primitives;
using Org.BouncyCastle.Math.EC;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Threshold;

/// <summary>
/// The public side of a Feldman verifiable secret sharing over secp256k1: the commitments C_j = a_j·G to the
/// coefficients a_0 … a_{t−1} of the sharing polynomial, and the number of keypers n the key was shared among.
/// C_0 is the batch public key that traders encrypt to.
/// </summary>
/// <remarks>
/// Anyone holding the commitments can check a released share (i, s) without learning anything about the secret:
/// s·G must equal Σ C_j·i^j. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class FeldmanCommitments
{
    private readonly ECPoint[] _points;

    /// <summary>Creates commitments from their SEC 1 encodings, compressed or uncompressed.</summary>
    /// <param name="keyperCount">The number of keypers n the key was shared among.</param>
    /// <param name="encodedCommitments">C_0 … C_{t−1}, one per polynomial coefficient; t is the threshold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="encodedCommitments"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no commitments, or one is not a point on secp256k1 other than the identity.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="keyperCount"/> is smaller than the threshold.
    /// </exception>
    public FeldmanCommitments(int keyperCount, IEnumerable<byte[]> encodedCommitments)
    {
        ArgumentNullException.ThrowIfNull(encodedCommitments);
        var points = new List<ECPoint>();
        foreach (byte[] encoded in encodedCommitments)
        {
            ArgumentNullException.ThrowIfNull(encoded, nameof(encodedCommitments));
            if (!Secp256k1Curve.TryDecodePoint(encoded, out ECPoint point))
            {
                ThrowHelper.ThrowArgumentException_NotACommitment(points.Count, nameof(encodedCommitments));
            }

            points.Add(point);
        }

        if (points.Count == 0)
        {
            ThrowHelper.ThrowArgumentException_NoCommitments(nameof(encodedCommitments));
        }

        if (keyperCount < points.Count)
        {
            ThrowHelper.ThrowArgumentOutOfRange_KeyperCount(keyperCount, points.Count, nameof(keyperCount));
        }

        _points = [.. points];
        KeyperCount = keyperCount;
        SharingHash = HashSharing(_points);
    }

    // The dealer's path: the points are computed, not parsed, so they need no checking.
    internal FeldmanCommitments(int keyperCount, ECPoint[] points)
    {
        _points = points;
        KeyperCount = keyperCount;
        SharingHash = HashSharing(points);
    }

    /// <summary>The threshold t: how many valid shares open the batch key (the number of commitments).</summary>
    public int Threshold => _points.Length;

    /// <summary>The number of keypers n; valid indexes run from 1 to n.</summary>
    public int KeyperCount { get; }

    /// <summary>
    /// Names this sharing: <c>keccak256(C_0.x ‖ C_0.y ‖ C_1.x ‖ C_1.y ‖ … ‖ C_{t−1}.x ‖ C_{t−1}.y)</c>, each coordinate
    /// 32 bytes big-endian (each commitment's uncompressed SEC 1 encoding without its <c>0x04</c> prefix), which is
    /// Solidity's <c>keccak256(abi.encodePacked(c0x, c0y, c1x, c1y, …))</c>.
    /// </summary>
    /// <remarks>
    /// Keypers sign it into every share they release (<see cref="KeyperShareContext"/>). It covers every commitment, not
    /// only the batch public key C_0, because the same secret shared twice gives each keyper a different value: a
    /// share signed for one sharing must not be judged, and blamed, against another. For t = 1 it is the Keccak-256
    /// of the batch public key's x ‖ y.
    /// </remarks>
    public Hash32 SharingHash { get; }

    /// <summary>The batch public key C_0 = secret·G in SEC 1 encoding.</summary>
    /// <param name="compressed">33 bytes if true; otherwise 65 bytes starting 0x04, as <see cref="Crypto.Ecies"/> takes it.</param>
    /// <returns>A new array holding the encoding.</returns>
    public byte[] GetPublicKey(bool compressed = false) => _points[0].GetEncoded(compressed);

    /// <summary>One commitment C_j in SEC 1 encoding.</summary>
    /// <param name="j">The coefficient's degree, from 0 to <see cref="Threshold"/> − 1.</param>
    /// <param name="compressed">33 bytes if true; otherwise 65.</param>
    /// <returns>A new array holding the encoding.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="j"/> is not a coefficient's degree.</exception>
    public byte[] GetCommitment(int j, bool compressed = true)
    {
        if ((uint)j >= (uint)_points.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(j), "There is one commitment per coefficient, from degree 0 to threshold − 1.");
        }

        return _points[j].GetEncoded(compressed);
    }

    /// <summary>Checks a released share against the commitments.</summary>
    /// <param name="share">The share.</param>
    /// <returns><see cref="ShareVerdict.Valid"/>, or why the share cannot be used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="share"/> is null.</exception>
    public ShareVerdict Check(KeyperShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (share.Index > KeyperCount)
        {
            return ShareVerdict.IndexOutOfRange;
        }

        if (!Secp256k1Curve.TryReadScalar(share.Value.Span, out BigInteger value))
        {
            return ShareVerdict.NotAScalar;
        }

        return Secp256k1Curve.MultiplyBase(value).Equals(Evaluate(share.Index)) ? ShareVerdict.Valid : ShareVerdict.WrongValue;
    }

    /// <summary>Whether a released share matches the commitments.</summary>
    /// <param name="share">The share.</param>
    /// <returns>Whether <see cref="Check"/> finds it <see cref="ShareVerdict.Valid"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="share"/> is null.</exception>
    public bool Verify(KeyperShare share) => Check(share) == ShareVerdict.Valid;

    private static Hash32 HashSharing(ECPoint[] points)
    {
        const int coordinates = Secp256k1Curve.UncompressedPointLength - 1;
        var packed = new byte[points.Length * coordinates];
        for (int j = 0; j < points.Length; j++)
        {
            points[j].GetEncoded(false).AsSpan(1).CopyTo(packed.AsSpan(j * coordinates));
        }

        return Keccak256.Hash(packed);
    }

    // Σ C_j·i^j by Horner's rule: t − 1 multiplications by the small index instead of one per term by i^j.
    private ECPoint Evaluate(int index)
    {
        var x = BigInteger.ValueOf(index);
        ECPoint sum = _points[^1];
        for (int j = _points.Length - 2; j >= 0; j--)
        {
            sum = sum.Multiply(x).Add(_points[j]);
        }

        return sum.Normalize();
    }
}
