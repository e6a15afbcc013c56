using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;

namespace AuctionEngine.Tests.Threshold;

/// <summary>
/// Opening a batch key from shares as they really arrive: each malformed, forged, replayed, wrong or contradictory
/// share gets its verdict, only a keyper's own signature can get it blamed, and nothing throws.
/// </summary>
[TestFixture]
public sealed class BatchKeyOpenerTests
{
    // n − 1, n and the largest 32-byte value, big-endian: the first is the largest scalar, the others are not scalars.
    private const string OrderMinusOne = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
    private const string Order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    private const string AllOnes = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    private static readonly SharedBatchKey Key = Deal(seed: 7);
    private static readonly KeyperShareContext Context = TestKeypers.Context(Key);
    private static readonly KeyperSet Keypers = TestKeypers.Registered(5);

    /// <summary>Every keyper's share signed by that keyper: <c>Honest[i − 1]</c> is keyper i's.</summary>
    private static readonly SignedKeyperShare[] Honest = TestKeypers.SignAll(Key, Context);

    private static readonly byte[] Secret = ShamirReconstruction.Reconstruct([.. Key.Shares.Take(3)]);

    private static readonly byte[] ForgerKey = TestKeypers.PrivateKey(99);

    private static IEnumerable<TestCaseData> MalformedShares()
    {
        SignedKeyperShare two = Honest[1];
        byte[] value = two.Value.ToArray();
        byte[] signature = two.Signature.ToArray();
        TestCaseData Case(string name, SignedKeyperShare share, IgnoredShareReason reason, SignatureStatus status = SignatureStatus.Valid) =>
            new TestCaseData(share, new IgnoredShare(share.Index, reason, status)).SetArgDisplayNames(name);

        yield return Case("index 0", new SignedKeyperShare(0, value, signature), IgnoredShareReason.IndexOutOfRange);
        yield return Case("index -1", new SignedKeyperShare(-1, value, signature), IgnoredShareReason.IndexOutOfRange);
        yield return Case("index int.MinValue", new SignedKeyperShare(int.MinValue, value, signature), IgnoredShareReason.IndexOutOfRange);
        yield return Case("index n + 1", new SignedKeyperShare(6, value, signature), IgnoredShareReason.IndexOutOfRange);
        yield return Case("index int.MaxValue", new SignedKeyperShare(int.MaxValue, value, signature), IgnoredShareReason.IndexOutOfRange);
        yield return Case("value of 31 bytes", new SignedKeyperShare(2, value.AsSpan(0, 31), signature), IgnoredShareReason.WrongValueLength);
        yield return Case("value of 33 bytes", new SignedKeyperShare(2, [.. value, 0], signature), IgnoredShareReason.WrongValueLength);
        yield return Case("empty value", new SignedKeyperShare(2, [], signature), IgnoredShareReason.WrongValueLength);
        yield return Case("signature of 64 bytes", new SignedKeyperShare(2, value, signature.AsSpan(0, 64)), IgnoredShareReason.InvalidSignature, SignatureStatus.WrongLength);
        yield return Case("signature of 66 bytes", new SignedKeyperShare(2, value, [.. signature, 27]), IgnoredShareReason.InvalidSignature, SignatureStatus.WrongLength);
        yield return Case("empty signature", new SignedKeyperShare(2, value, []), IgnoredShareReason.InvalidSignature, SignatureStatus.WrongLength);
        yield return Case("v = 29", new SignedKeyperShare(2, value, WithByte(signature, 64, 29)), IgnoredShareReason.InvalidSignature, SignatureStatus.InvalidRecoveryId);
        yield return Case("r = 0", new SignedKeyperShare(2, value, WithZeros(signature, 0)), IgnoredShareReason.InvalidSignature, SignatureStatus.RNotInRange);
        yield return Case("s = 0", new SignedKeyperShare(2, value, WithZeros(signature, 32)), IgnoredShareReason.InvalidSignature, SignatureStatus.SNotInRange);
        yield return Case("high s", new SignedKeyperShare(2, value, HighS(signature)), IgnoredShareReason.InvalidSignature, SignatureStatus.HighS);
    }

    private static IEnumerable<TestCaseData> ReplayedIntoThisBatch()
    {
        byte[] value = Key.Shares[1].Value.ToArray();
        SignedKeyperShare SignedElsewhere(KeyperShareContext context) => Key.SignShare(context, 2, TestKeypers.PrivateKey(2));
        TestCaseData Case(string name, SignedKeyperShare share) => new TestCaseData(share).SetArgDisplayNames(name);

        yield return Case("another batch", SignedElsewhere(TestKeypers.Context(Key, batchId: SealedBatchScenario.BatchId - 1)));
        yield return Case("another market", SignedElsewhere(TestKeypers.Context(Key, market: Address.Parse("0x00000000000000000000000000000000000000ab"))));
        yield return Case("another chain", SignedElsewhere(TestKeypers.Context(Key, domain: new Eip712Domain("AuctionEngine", "1", 1, SealedBatchScenario.Domain.VerifyingContract))));
        yield return Case("another contract", SignedElsewhere(TestKeypers.Context(Key, domain: new Eip712Domain("AuctionEngine", "1", SealedBatchScenario.Domain.ChainId, Address.Parse("0x00000000000000000000000000000000000000c0")))));
        yield return Case("another domain version", SignedElsewhere(TestKeypers.Context(Key, domain: new Eip712Domain("AuctionEngine", "2", SealedBatchScenario.Domain.ChainId, SealedBatchScenario.Domain.VerifyingContract))));

        // The same secret shared again gives keyper 2 another value; signed for that sharing, it must not count here.
        SharedBatchKey other = new TrustedDealer(new SeededRandom(8)).Share(Secret, 3, 5);
        yield return Case("another sharing of the same secret", other.SignShare(TestKeypers.Context(other), 2, TestKeypers.PrivateKey(2)));

        yield return Case("keyper 2's signature, value changed", new SignedKeyperShare(2, WithByte(value, 31, (byte)(value[31] ^ 1)), Honest[1].Signature.Span));
        yield return Case("keyper 1's signature, index changed to 2", new SignedKeyperShare(2, Honest[0].Value.Span, Honest[0].Signature.Span));
        yield return Case("keyper 3 signs in keyper 2's name", TestKeypers.Signed(Context, 2, value, privateKey: TestKeypers.PrivateKey(3)));
        yield return Case("a forger signs keyper 2's right value", TestKeypers.Signed(Context, 2, value, privateKey: ForgerKey));
    }

    [Test]
    public void EveryKeyperSigningItsShareOpensTheKeyAndBlamesNobody()
    {
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, Honest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Enumerable.Range(1, 5)));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.IgnoredShares, Is.Empty);
            Assert.That(opening.Threshold, Is.EqualTo(3));
        }
    }

    [TestCaseSource(nameof(MalformedShares))]
    public void MalformedWireInputIsIgnoredWithItsReasonNotThrownNorBlamed(SignedKeyperShare malformed, IgnoredShare expected)
    {
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [Honest[2], malformed, Honest[3], Honest[4]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.IgnoredShares, Is.EqualTo(new[] { expected }));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(3, 4, 5)));
        }
    }

    [TestCaseSource(nameof(ReplayedIntoThisBatch))]
    public void AShareNotSignedByItsKeyperForThisBatchIsIgnoredAndBlamesNobody(SignedKeyperShare replayed)
    {
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [replayed, Honest[0], Honest[2], Honest[3]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.IgnoredShares, Is.EqualTo(new[] { new IgnoredShare(2, IgnoredShareReason.NotSignedByKeyper, SignatureStatus.Valid) }));
            Assert.That(opening.BadKeypers, Is.Empty, "neither keyper 2 nor anyone else signed a wrong share for this batch");
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 3, 4)), "a share counts only with its keyper's signature for this batch");
        }
    }

    [Test]
    public void AForgedShareInAnHonestKeypersNameIsIgnoredAndThatKeyperStillCounts()
    {
        SignedKeyperShare forged = TestKeypers.Signed(Context, 1, Convert.FromHexString(OrderMinusOne), privateKey: ForgerKey);
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [forged, Honest[0], Honest[1], Honest[2]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.IgnoredShares, Is.EqualTo(new[] { new IgnoredShare(1, IgnoredShareReason.NotSignedByKeyper, SignatureStatus.Valid) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2, 3)));
        }
    }

    [Test]
    public void CopiesOfASignedShareCountOnce()
    {
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [Honest[0], Honest[0], Honest[1], Honest[1], Honest[1]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
            Assert.That(opening.SecretKey.IsEmpty, Is.True);
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2)));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.IgnoredShares, Is.Empty);
        }
    }

    [Test]
    public void TheSameValueUnderTwoValidSignaturesIsNotEquivocation()
    {
        // v = 0 instead of 27 is another encoding of the same signature: a different byte string, the same signer.
        byte[] signature = Honest[0].Signature.ToArray();
        var sameValueAgain = new SignedKeyperShare(1, Honest[0].Value.Span, WithByte(signature, 64, (byte)(signature[64] - 27)));
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [Honest[0], sameValueAgain, Honest[1], Honest[2]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2, 3)));
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.IgnoredShares, Is.Empty);
        }
    }

    [Test]
    public void AValidlySignedWrongValueNamesItsKeyper()
    {
        byte[] wrong = Key.Shares[2].Value.ToArray();
        wrong[^1] ^= 0x01;
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [Honest[0], TestKeypers.Signed(Context, 3, wrong), Honest[1], Honest[3]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.BadKeypers, Is.EqualTo(new[] { new BadKeyper(3, ShareVerdict.WrongValue) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2, 4)));
            Assert.That(opening.IgnoredShares, Is.Empty);
        }
    }

    [TestCase(Order, ShareVerdict.NotAScalar, TestName = "value n is not a scalar")]
    [TestCase(AllOnes, ShareVerdict.NotAScalar, TestName = "value 2^256 − 1 is not a scalar")]
    [TestCase(OrderMinusOne, ShareVerdict.WrongValue, TestName = "value n − 1 is a scalar, but the wrong one")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", ShareVerdict.WrongValue, TestName = "value 0 is a scalar, but the wrong one")]
    public void AValidlySignedValueIsJudgedAgainstTheGroupOrderAndTheCommitments(string valueHex, ShareVerdict verdict)
    {
        SignedKeyperShare signed = TestKeypers.Signed(Context, 4, Convert.FromHexString(valueHex));
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [signed, Honest[0], Honest[1]]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
            Assert.That(opening.BadKeypers, Is.EqualTo(new[] { new BadKeyper(4, verdict) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2)));
        }
    }

    [Test]
    public void AKeyperThatSignsTwoValuesIsNamedButItsRightOneStillCounts()
    {
        SignedKeyperShare wrong = TestKeypers.Signed(Context, 3, Convert.FromHexString(OrderMinusOne));
        SignedKeyperShare[] released = [wrong, Honest[2], Honest[0], Honest[1]];
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, released);
        BatchKeyOpening reversed = BatchKeyOpener.Open(Context, Keypers, Enumerable.Reverse(released));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opening.SecretKey.ToArray(), Is.EqualTo(Secret));
            Assert.That(opening.BadKeypers, Is.EqualTo(new[] { new BadKeyper(3, ShareVerdict.Equivocated) }));
            Assert.That(opening.ValidKeypers, Is.EqualTo(Indexes(1, 2, 3)));
            Assert.That(reversed.BadKeypers, Is.EqualTo(opening.BadKeypers));
            Assert.That(reversed.ValidKeypers, Is.EqualTo(opening.ValidKeypers));
        }
    }

    [Test]
    public void AKeyperThatSignsTwoWrongValuesIsEquivocatedWhicheverArrivesFirst()
    {
        SignedKeyperShare notAScalar = TestKeypers.Signed(Context, 3, Convert.FromHexString(Order));
        SignedKeyperShare wrong = TestKeypers.Signed(Context, 3, Convert.FromHexString(OrderMinusOne));
        BatchKeyOpening first = BatchKeyOpener.Open(Context, Keypers, [notAScalar, wrong, Honest[0], Honest[1]]);
        BatchKeyOpening second = BatchKeyOpener.Open(Context, Keypers, [wrong, Honest[0], Honest[1], notAScalar]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
            Assert.That(first.BadKeypers, Is.EqualTo(new[] { new BadKeyper(3, ShareVerdict.Equivocated) }));
            Assert.That(second.BadKeypers, Is.EqualTo(first.BadKeypers));
            Assert.That(first.ValidKeypers, Is.EqualTo(Indexes(1, 2)));
        }
    }

    [Test]
    public void IgnoredSharesAreListedOnceEachInOrder()
    {
        SignedKeyperShare forged = TestKeypers.Signed(Context, 1, Convert.FromHexString(OrderMinusOne), privateKey: ForgerKey);
        var outOfRange = new SignedKeyperShare(9, Honest[0].Value.Span, Honest[0].Signature.Span);
        var shortSignature = new SignedKeyperShare(1, Honest[0].Value.Span, Honest[0].Signature.Span[..10]);
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, [outOfRange, forged, shortSignature, forged, outOfRange, Honest[1]]);

        Assert.That(opening.IgnoredShares, Is.EqualTo(new[]
        {
            new IgnoredShare(1, IgnoredShareReason.InvalidSignature, SignatureStatus.WrongLength),
            new IgnoredShare(1, IgnoredShareReason.NotSignedByKeyper, SignatureStatus.Valid),
            new IgnoredShare(9, IgnoredShareReason.IndexOutOfRange, SignatureStatus.Valid),
        }));
    }

    [Test]
    public void NothingReleasedIsNotEnough()
    {
        BatchKeyOpening opening = BatchKeyOpener.Open(Context, Keypers, []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opening.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
            Assert.That(opening.ValidKeypers, Is.Empty);
            Assert.That(opening.BadKeypers, Is.Empty);
            Assert.That(opening.IgnoredShares, Is.Empty);
        }
    }

    [Test]
    public void AWireShareTakesAnythingAndKeepsItExactly()
    {
        var share = new SignedKeyperShare(int.MinValue, [1, 2, 3], []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(share.Index, Is.EqualTo(int.MinValue));
            Assert.That(share.Value.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(share.Signature.IsEmpty, Is.True);
        }
    }

    [Test]
    public void MisuseThrowsTypedErrors()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => BatchKeyOpener.Open(null!, Keypers, Honest), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => BatchKeyOpener.Open(Context, null!, Honest), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => BatchKeyOpener.Open(Context, Keypers, null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => BatchKeyOpener.Open(Context, Keypers, [Honest[0], null!]), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => BatchKeyOpener.Open(Context, TestKeypers.Registered(4), Honest), Throws.TypeOf<ArgumentException>());
            Assert.That(() => BatchKeyOpener.Open(Context, TestKeypers.Registered(6), Honest), Throws.TypeOf<ArgumentException>());

            // A dealt share is the dealer's output, not wire input: a malformed one is the caller's bug.
            Assert.That(() => new KeyperShare(0, new byte[32]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new KeyperShare(-1, new byte[32]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new KeyperShare(1, new byte[31]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([Key.Shares[0], Key.Shares[0]]), Throws.TypeOf<ArgumentException>());
            Assert.That(() => ShamirReconstruction.Reconstruct([new KeyperShare(1, Convert.FromHexString(Order))]), Throws.TypeOf<ArgumentException>());
        }
    }

    private static int[] Indexes(params int[] indexes) => indexes;

    private static SharedBatchKey Deal(int seed)
    {
        using var random = new SeededRandom(seed);
        return new TrustedDealer(random).Generate(threshold: 3, keyperCount: 5);
    }

    private static byte[] WithByte(byte[] bytes, int position, byte value)
    {
        byte[] copy = [.. bytes];
        copy[position] = value;
        return copy;
    }

    private static byte[] WithZeros(byte[] signature, int offset)
    {
        byte[] copy = [.. signature];
        copy.AsSpan(offset, 32).Clear();
        return copy;
    }

    /// <summary>The other s of the same signature, n − s, with the recovery id flipped: valid before EIP-2, refused now.</summary>
    private static byte[] HighS(byte[] signature)
    {
        var n = System.Numerics.BigInteger.Parse("0" + Order, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var s = new System.Numerics.BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        byte[] copy = [.. signature];
        (n - s).TryWriteBytes(copy.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        copy[64] = (byte)(signature[64] == 27 ? 28 : 27);
        return copy;
    }
}
