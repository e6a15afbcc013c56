using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Sealing;

/// <summary>Batches of orders encrypted to a threshold key: the keypers open the key together, then every order is judged alone.</summary>
[TestFixture]
public sealed class EncryptedBatchTests
{
    private static readonly TestTrader Alice = new(1);
    private static readonly TestTrader Bob = new(2);
    private static readonly TestTrader Carol = new(3);
    private static readonly TestTrader Dave = new(4);

    private static readonly KeyperSet Keypers = TestKeypers.Registered(3);

    private static SharedBatchKey NewKey(int seed = 5) => new TrustedDealer(new SeededRandom(seed)).Generate(threshold: 2, keyperCount: 3);

    [Test]
    public void KeypersOpenTheBatchAndEveryBadCiphertextIsRefusedAlone()
    {
        SharedBatchKey key = NewKey();
        byte[] publicKey = key.Commitments.GetPublicKey();
        SealedBatch batch = NewBatch();
        SealedOrder buy = Alice.Order(Side.Buy, 101, 8);
        SealedOrder sell = Bob.Order(Side.Sell, 99, 5);
        SealedOrder carols = Carol.Order(Side.Sell, 99, 5);
        byte[] tampered = Carol.Encrypt(carols, publicKey);
        Hash32 tamperedCommitment = EncryptedCommitmentOf(carols, tampered); // the trader commits to what it sent
        tampered[^1] ^= 1;
        SealedOrder replayedOrder = Dave.Order(Side.Sell, 99, 5, batchId: BatchId - 1);
        byte[] replayed = Dave.Encrypt(replayedOrder, publicKey);
        SealedOrder wrongKeyOrder = Dave.Order(Side.Sell, 98, 1, nonce: 2);
        byte[] wrongKey = Dave.Encrypt(wrongKeyOrder, NewKey(seed: 6).Commitments.GetPublicKey());
        SealedOrder bobsOrder = Bob.Order(Side.Sell, 99, 5, nonce: 3);
        byte[] signedByBob = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(bobsOrder, Bob.Sign(bobsOrder)), new SeededRandom(7));
        SealedOrder boundElsewhere = Alice.Order(Side.Buy, 100, 2, nonce: 4);
        byte[] otherOrderInside = Alice.Encrypt(Alice.Order(Side.Buy, 100, 200, nonce: 5), publicKey, seed: 9);

        Assert.That(Alice.SubmitEncrypted(batch, buy, Alice.Encrypt(buy, publicKey)), Is.EqualTo(SealRejectReason.None));
        Assert.That(Bob.SubmitEncrypted(batch, sell, Bob.Encrypt(sell, publicKey)), Is.EqualTo(SealRejectReason.None));
        Assert.That(batch.SubmitEncrypted(Carol.Address, tamperedCommitment, tampered, Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
        Assert.That(Dave.SubmitEncrypted(batch, replayedOrder, replayed), Is.EqualTo(SealRejectReason.None));
        Assert.That(Dave.SubmitEncrypted(batch, wrongKeyOrder, wrongKey), Is.EqualTo(SealRejectReason.None));
        Assert.That(batch.SubmitEncrypted(Carol.Address, EncryptedCommitmentOf(bobsOrder, signedByBob), signedByBob, Ample, OpenBlock), Is.EqualTo(SealRejectReason.None));
        Assert.That(Alice.SubmitEncrypted(batch, boundElsewhere, otherOrderInside), Is.EqualTo(SealRejectReason.None), "the commitment names one order, the ciphertext holds another");
        CloseAndBeginReveal(batch);

        // Keyper 3 signs a wrong share, and someone without keyper 2's key sends a share in its name: with one good
        // share the key stays shut and nothing changes.
        KeyperShareContext context = TestKeypers.Context(key);
        SignedKeyperShare[] released = TestKeypers.SignAll(key, context);
        SignedKeyperShare wrong = TestKeypers.Signed(context, 3, key.Shares[0].Value.ToArray());
        SignedKeyperShare forged = TestKeypers.Signed(context, 2, key.Shares[0].Value.ToArray(), privateKey: TestKeypers.PrivateKey(9));
        BatchKeyOpening shut = batch.OpenEncrypted(key.Commitments, Keypers, [released[0], wrong, forged]);
        Assert.That(shut.Status, Is.EqualTo(BatchKeyOpeningStatus.NotEnoughValidShares));
        Assert.That(batch.IsAwaitingBatchKey, Is.True);
        Assert.Throws<InvalidOperationException>(() => ClearAfterWindow(batch));

        BatchKeyOpening opened = batch.OpenEncrypted(key.Commitments, Keypers, [released[0], wrong, forged, released[1]]);
        SealedBatchResult result = ClearAfterWindow(batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened.Status, Is.EqualTo(BatchKeyOpeningStatus.Opened));
            Assert.That(opened.ValidKeypers, Is.EqualTo(Enumerable.Range(1, 2)));
            Assert.That(opened.BadKeypers, Is.EqualTo(new[] { new BadKeyper(3, ShareVerdict.WrongValue) }));
            Assert.That(opened.IgnoredShares, Is.EqualTo(new[] { new IgnoredShare(2, IgnoredShareReason.NotSignedByKeyper, SignatureStatus.Valid) }));
            Assert.That(result.Orders.Select(o => o.SignedOrder), Is.EquivalentTo(new[] { buy, sell }));
            Assert.That(result.Clearing.Volume, Is.EqualTo((UInt128)5));
            Assert.That(result.Rejections.Select(r => (r.Trader, r.Commitment, r.Reason)), Is.EquivalentTo(new[]
            {
                (Carol.Address, tamperedCommitment, SealRejectReason.Undecryptable),
                (Dave.Address, EncryptedCommitmentOf(replayedOrder, replayed), SealRejectReason.WrongBatch),
                (Dave.Address, EncryptedCommitmentOf(wrongKeyOrder, wrongKey), SealRejectReason.Undecryptable),
                (Carol.Address, EncryptedCommitmentOf(bobsOrder, signedByBob), SealRejectReason.CommitterNotTrader),
                (Alice.Address, EncryptedCommitmentOf(boundElsewhere, otherOrderInside), SealRejectReason.RevealMismatch),
            }));
            Assert.That(result.BatchKey.ToArray(), Is.EqualTo(opened.SecretKey.ToArray()), "the settlement publishes the key, so anyone can check each void");
            Assert.That(result.Forfeited, Is.Empty, "ciphertexts need no reveal, so none is forfeited");
        }
    }

    [Test]
    public void OpeningOnAnyNumberOfThreadsGivesWhatOpeningOnOneGives()
    {
        SharedBatchKey key = NewKey();
        byte[] publicKey = key.Commitments.GetPublicKey();
        TestTrader[] traders = [.. Enumerable.Range(30, 40).Select(n => new TestTrader(n))];

        SealedBatchResult Open(int threads)
        {
            SealedBatch batch = NewBatch();
            for (int i = 0; i < traders.Length; i++)
            {
                SealedOrder order = traders[i].Order(i % 2 == 0 ? Side.Buy : Side.Sell, 98 + (i % 5), 1 + (i % 7));
                byte[] ciphertext = traders[i].Encrypt(order, publicKey, seed: i);
                Hash32 commitment = EncryptedCommitmentOf(order, ciphertext);
                if (i % 9 == 0)
                {
                    ciphertext[^1] ^= 0x80;
                }

                batch.SubmitEncrypted(traders[i].Address, commitment, ciphertext, Ample, OpenBlock);
            }

            CloseAndBeginReveal(batch);
            batch.OpenEncrypted(key.Commitments, Keypers, TestKeypers.SignAll(key, TestKeypers.Context(key)), maxDegreeOfParallelism: threads);
            return ClearAfterWindow(batch);
        }

        // The degree is any positive number: every one from 1 to more threads than ciphertexts, and the largest.
        SealedBatchResult one = Open(1);
        Assert.That(one.Rejections.Count(), Is.EqualTo(5));
        foreach (int threads in Enumerable.Range(2, traders.Length).Append(int.MaxValue))
        {
            SealedBatchResult split = Open(threads);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(split.Clearing, Is.EqualTo(one.Clearing), $"{threads} threads");
                Assert.That(split.Orders, Is.EqualTo(one.Orders), $"{threads} threads");
                Assert.That(split.Voids, Is.EqualTo(one.Voids), $"{threads} threads");
                Assert.That(split.SettlementFills.Select(f => (f.Order, f.Secret, f.Lots)), Is.EqualTo(one.SettlementFills.Select(f => (f.Order, f.Secret, f.Lots))), $"{threads} threads");
            }
        }
    }

    [Test]
    public void APlaintextThatIsNotACanonicalOrderIsMalformed()
    {
        SharedBatchKey key = NewKey();
        byte[] publicKey = key.Commitments.GetPublicKey();
        SealedOrder order = Alice.Order(Side.Buy, 100, 1);
        byte[] plaintext = SealedOrderCodec.Encode(order, Alice.Sign(order));
        plaintext[0] = 1; // Non-zero padding in front of the trader's address.
        SealedBatch batch = NewBatch();
        byte[] ciphertext = Ecies.Encrypt(publicKey, plaintext, new SeededRandom(8));
        batch.SubmitEncrypted(Alice.Address, EncryptedCommitmentOf(order, ciphertext), ciphertext, Ample, OpenBlock);
        CloseAndBeginReveal(batch);

        batch.OpenEncrypted(key.Commitments, Keypers, TestKeypers.SignAll(key, TestKeypers.Context(key)));
        SealedBatchResult result = ClearAfterWindow(batch);

        Assert.That(result.Rejections, Is.EqualTo(new[] { new SealRejection(Alice.Address, EncryptedCommitmentOf(order, ciphertext), SealRejectReason.MalformedOrder) }));
    }

    [Test]
    public void TheCodecRoundTripsAndRefusesEveryNonCanonicalField()
    {
        SealedOrder order = new(Alice.Address, MarketAddress, ulong.MaxValue, Side.Sell, OrderType.Limit, long.MaxValue, long.MaxValue, UInt128.MaxValue);
        byte[] signature = Alice.Sign(order);
        byte[] encoded = SealedOrderCodec.Encode(order, signature);
        var decodedSignature = new byte[Secp256k1.SignatureSize];

        Assert.That(SealedOrderCodec.TryDecode(encoded, out SealedOrder decoded, decodedSignature), Is.True);
        Assert.That((decoded, decodedSignature), Is.EqualTo((order, signature)));

        // Word 5 is the limit price: a top bit beyond long.MaxValue is refused; a market order keeps its price, its
        // signed worst price.
        byte[] tooHigh = (byte[])encoded.Clone();
        tooHigh[(5 * 32) + 24] = 0x80;
        byte[] pricedMarket = SealedOrderCodec.Encode(order, signature);
        pricedMarket[(4 * 32) + 31] = (byte)OrderType.Market;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SealedOrderCodec.TryDecode(tooHigh, out _, decodedSignature), Is.False);
            Assert.That(SealedOrderCodec.TryDecode(pricedMarket, out SealedOrder market, decodedSignature), Is.True);
            Assert.That((market.Type, market.LimitPrice), Is.EqualTo((OrderType.Market, long.MaxValue)));
            Assert.That(SealedOrderCodec.TryDecode(encoded.AsSpan(1), out _, decodedSignature), Is.False);
        }
    }
}
