using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Sealing;

/// <summary>
/// Issue 9's library cases: what a hostile trader (or a careless one) can do to a sealed batch, and the typed verdict
/// each gets. Every settlement here also passes the contract's own checks (<see cref="SettlementRules"/>).
/// </summary>
[TestFixture]
public sealed class HostileTraderTests
{
    private static readonly TestTrader Alice = new(1);
    private static readonly TestTrader Bob = new(2);
    private static readonly TestTrader Mallory = new(66);

    [Test]
    public void ACopiedCommitmentIsTheCopiersOwnAndHarmsNobody()
    {
        var recorded = new RecordedBatch(NewBatch());
        SealedBatch batch = recorded.Batch;
        SealedOrder buy = Alice.Order(Side.Buy, 101, 10);
        SealedOrder sell = Bob.Order(Side.Sell, 99, 10);
        Hash32 alices = CommitmentOf(buy, Salt(1));

        // Mallory sees Alice's commitment in the mempool and registers it first.
        Assert.That(recorded.Commit(Mallory.Address, alices, Ample), Is.EqualTo(SealRejectReason.None));
        Assert.That(recorded.Commit(Alice.Address, alices, Ample), Is.EqualTo(SealRejectReason.None), "Alice's own commitment is not a duplicate of Mallory's");
        recorded.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample);
        CloseAndBeginReveal(batch);
        Assert.That(batch.Reveal(alices, buy, Salt(1), Alice.Sign(buy), OpenBlock + 1), Is.EqualTo(SealRejectReason.None));
        batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 1);
        SealedBatchResult result = ClearAfterWindow(batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Orders.Single(o => o.SignedOrder == buy).Fill.FilledQuantity, Is.EqualTo(10));
            Assert.That(result.Forfeited, Is.EqualTo(new[] { new SealRejection(Mallory.Address, alices, SealRejectReason.Unrevealed) }), "only the copier loses its bond");
            Assert.That(recorded.Verdict(result), Is.Null);
        }
    }

    [Test]
    public void AnOrderItsReservationCannotPayForIsUnfundedAndTheRestClears()
    {
        var recorded = new RecordedBatch(NewBatch());
        SealedBatch batch = recorded.Batch;
        SealedOrder buy = Alice.Order(Side.Buy, 101, 10);
        SealedOrder broke = Mallory.Order(Side.Buy, 120, 50);
        SealedOrder sell = Bob.Order(Side.Sell, 99, 10);
        Market market = Build.UnitMarket();

        // Mallory reserves one atom less than its buy can cost at its limit; Bob exactly what his sell delivers.
        recorded.Commit(Alice.Address, CommitmentOf(buy, Salt(1)), new Reservation(0, market.QuoteAtoms(10, 101)));
        recorded.Commit(Mallory.Address, CommitmentOf(broke, Salt(2)), new Reservation(0, market.QuoteAtoms(50, 120) - 1));
        recorded.Commit(Bob.Address, CommitmentOf(sell, Salt(3)), new Reservation(market.BaseAtoms(10), 0));
        CloseAndBeginReveal(batch);
        batch.Reveal(CommitmentOf(buy, Salt(1)), buy, Salt(1), Alice.Sign(buy), OpenBlock + 1);
        batch.Reveal(CommitmentOf(broke, Salt(2)), broke, Salt(2), Mallory.Sign(broke), OpenBlock + 1);
        batch.Reveal(CommitmentOf(sell, Salt(3)), sell, Salt(3), Bob.Sign(sell), OpenBlock + 1);
        SealedBatchResult result = ClearAfterWindow(batch);

        SealedOrderOutcome mallorys = result.Orders.Single(o => o.SignedOrder == broke);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mallorys.Refusal, Is.EqualTo(SealRejectReason.Unfunded));
            Assert.That(mallorys.Fill.FilledQuantity, Is.Zero);
            Assert.That(result.Orders.Single(o => o.SignedOrder == buy).Fill.FilledQuantity, Is.EqualTo(10), "the highest bid is unfunded, so it cannot take Alice's place");
            Assert.That(result.SettlementFills, Has.Count.EqualTo(3), "the unfunded order is still accounted for, with 0 lots");
            Assert.That(recorded.Verdict(result), Is.Null);
        }
    }

    [Test]
    public void OneSignedOrderUnderTwoCommitmentsTradesOnce()
    {
        var recorded = new RecordedBatch(NewBatch());
        SealedBatch batch = recorded.Batch;
        SealedOrder buy = Alice.Order(Side.Buy, 101, 10);
        SealedOrder sell = Bob.Order(Side.Sell, 99, 30);
        byte[] signature = Alice.Sign(buy);
        Hash32 first = CommitmentOf(buy, Salt(1));
        Hash32 second = CommitmentOf(buy, Salt(2));
        recorded.Commit(Alice.Address, first, Ample);
        recorded.Commit(Alice.Address, second, Ample);
        recorded.Commit(Bob.Address, CommitmentOf(sell, Salt(3)), Ample);
        CloseAndBeginReveal(batch);

        // Revealed in either order, the lower commitment is the one that trades.
        batch.Reveal(second, buy, Salt(2), signature, OpenBlock + 1);
        batch.Reveal(first, buy, Salt(1), signature, OpenBlock + 1);
        batch.Reveal(CommitmentOf(sell, Salt(3)), sell, Salt(3), Bob.Sign(sell), OpenBlock + 1);
        SealedBatchResult result = ClearAfterWindow(batch);

        SealedOrderOutcome[] copies = [.. result.Orders.Where(o => o.SignedOrder == buy)];
        Hash32 lower = first < second ? first : second;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(copies.Sum(c => c.Fill.FilledQuantity), Is.EqualTo(10), "never more than the signed quantity");
            Assert.That(copies.Single(c => c.Refusal == SealRejectReason.None).Commitment, Is.EqualTo(lower));
            Assert.That(copies.Single(c => c.Refusal == SealRejectReason.DuplicateOrder).Fill.FilledQuantity, Is.Zero);
            Assert.That(recorded.Verdict(result), Is.Null);
        }
    }

    [Test]
    public void AMarketOrderTradesOnlyWithinItsWorstPriceAndAheadOfLimitsThere()
    {
        // Demand 15 up to 105, supply 8 from 100: the bid surplus everywhere puts the price at 105.
        SealedOrder market = Alice.MarketOrder(Side.Buy, worstPrice: 105, quantity: 5);
        SealedOrder limit = Bob.Order(Side.Buy, 105, 10);
        SealedOrder sell = Mallory.Order(Side.Sell, 100, 8);
        SealedBatchResult atBound = CommitRevealClear([(Alice, market), (Bob, limit), (Mallory, sell)]);

        // The same book with the market buy's bound one tick lower: it no longer admits 105, so it takes no part.
        SealedOrder tooLow = Alice.MarketOrder(Side.Buy, worstPrice: 104, quantity: 5);
        SealedBatchResult belowBound = CommitRevealClear([(Alice, tooLow), (Bob, limit), (Mallory, sell)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atBound.Clearing.Price, Is.EqualTo(105));
            Assert.That(atBound.Orders.Single(o => o.SignedOrder == market).Fill.FilledQuantity, Is.EqualTo(5), "served before the limit at the same price");
            Assert.That(atBound.Orders.Single(o => o.SignedOrder == limit).Fill.FilledQuantity, Is.EqualTo(3));
            Assert.That(belowBound.Clearing.Price, Is.EqualTo(105));
            Assert.That(belowBound.Orders.Single(o => o.SignedOrder == tooLow).Fill.FilledQuantity, Is.Zero, "105 is beyond its signed worst price");
            Assert.That(belowBound.Orders.Single(o => o.SignedOrder == limit).Fill.FilledQuantity, Is.EqualTo(8));
        }
    }

    [Test]
    public void AnEncryptedOrderRevealedByItsTraderOpensEvenIfItsCiphertextWasDamaged()
    {
        SharedBatchKey key = new TrustedDealer(new SeededRandom(5)).Generate(threshold: 2, keyperCount: 3);
        var recorded = new RecordedBatch(NewBatch());
        SealedBatch batch = recorded.Batch;
        SealedOrder buy = Alice.Order(Side.Buy, 101, 10);
        SealedOrder sell = Bob.Order(Side.Sell, 99, 10);
        byte[] ciphertext = Alice.Encrypt(buy, key.Commitments.GetPublicKey());
        Hash32 commitment = EncryptedCommitmentOf(buy, ciphertext);
        Hash32 secret = Commitments.CiphertextSecret(ciphertext);
        ciphertext[^1] ^= 1;
        recorded.SubmitEncrypted(Alice.Address, commitment, ciphertext, Ample);
        recorded.Commit(Bob.Address, CommitmentOf(sell, Salt(2)), Ample);
        CloseAndBeginReveal(batch);
        batch.OpenEncrypted(key.Commitments, TestKeypers.Registered(3), TestKeypers.SignAll(key, TestKeypers.Context(key)));
        batch.Reveal(CommitmentOf(sell, Salt(2)), sell, Salt(2), Bob.Sign(sell), OpenBlock + 1);

        // The ciphertext failed, but Alice reveals her order on-chain within the window: it is opened, not voided.
        Assert.That(batch.Reveal(commitment, buy, secret, Alice.Sign(buy), OpenBlock + 2), Is.EqualTo(SealRejectReason.None));
        recorded.RevealedOnChain(Alice.Address, commitment);
        SealedBatchResult result = ClearAfterWindow(batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Voids, Is.Empty);
            Assert.That(result.Orders.Single(o => o.SignedOrder == buy).Fill.FilledQuantity, Is.EqualTo(10));
            Assert.That(recorded.Verdict(result), Is.Null);
        }
    }

    [Test]
    public void AnEngineTooSmallForTheOpenedOrdersIsAClearErrorAndTheBatchWaits()
    {
        SealedBatch batch = CommitAndReveal([(Alice, Alice.Order(Side.Buy, 101, 10)), (Bob, Bob.Order(Side.Sell, 99, 10)), (Mallory, Mallory.Order(Side.Sell, 98, 1))]).Batch;

        ArgumentException? tooSmall = Assert.Throws<ArgumentException>(() => batch.Clear(new ClearingEngine(2), default, OpenBlock + 1));
        Assert.That(tooSmall!.Message, Does.Contain("opened 3"));
        Assert.That(batch.Phase, Is.EqualTo(BatchPhase.Revealing), "no signed order is silently cut");
        Assert.That(batch.Clear(new ClearingEngine(3), default, OpenBlock + 1).Orders.Count(o => o.Fill.FilledQuantity > 0), Is.EqualTo(3));
    }

    [Test]
    public void ABatchThatNeedsAReferencePriceWaitsToBeClearedAgainWithOne()
    {
        // Buy 10 at 102 and sell 10 at 98: every price between trades 10 with no surplus, so Euronext needs a reference.
        SealedBatch batch = CommitAndReveal([(Alice, Alice.Order(Side.Buy, 102, 10)), (Bob, Bob.Order(Side.Sell, 98, 10))]).Batch;

        SealedBatchResult without = batch.Clear(new ClearingEngine(4), new ClearingOptions(PriceRule.Euronext), OpenBlock + 1);
        Assert.That((without.Clearing.Status, without.IsSettleable, batch.Phase), Is.EqualTo((ClearingStatus.ReferencePriceRequired, false, BatchPhase.Revealing)));

        SealedBatchResult with = batch.Clear(new ClearingEngine(4), new ClearingOptions(PriceRule.Euronext, 100), OpenBlock + 1);
        Assert.That((with.Clearing.Price, with.IsSettleable, batch.Phase), Is.EqualTo(((long?)100, true, BatchPhase.Cleared)));
    }

    [Test]
    public void ABatchThatTradesNothingStillAccountsForEveryCommitmentAtPriceZero()
    {
        RecordedBatch recorded = CommitAndReveal([(Alice, Alice.Order(Side.Buy, 98, 10)), (Bob, Bob.Order(Side.Sell, 102, 10))]);
        SealedBatchResult result = ClearAfterWindow(recorded.Batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Clearing.Status, result.SettlementPrice, result.IsSettleable), Is.EqualTo((ClearingStatus.NothingExecutable, 0L, true)));
            Assert.That(result.SettlementFills.Select(f => f.Lots), Is.EqualTo(new long[] { 0, 0 }));
            Assert.That(recorded.Verdict(result), Is.Null);
        }
    }

    [Test]
    public void BlockNumbersNearTheEndOfTheRangeAreClearErrorsNotOverflows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SealedBatch(Settings(), Domain, BatchId, long.MaxValue));
        var late = new SealedBatch(Settings(revealWindow: 3), Domain, BatchId, long.MaxValue - 5);
        late.Close(long.MaxValue - 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => late.BeginReveal(long.MaxValue - 1, default));
        late.BeginReveal(long.MaxValue - 4, default);
        Assert.That(late.RevealDeadline, Is.EqualTo(long.MaxValue - 1), "the last window still fits, and ends positive");
    }

    /// <summary>Clears a book whose every order is committed and revealed, and checks the contract would settle it.</summary>
    private static SealedBatchResult CommitRevealClear((TestTrader Trader, SealedOrder Order)[] book)
    {
        RecordedBatch recorded = CommitAndReveal(book);
        SealedBatchResult result = ClearAfterWindow(recorded.Batch);
        Assert.That(recorded.Verdict(result), Is.Null);
        return result;
    }

    /// <summary>Commits every order of the book under its trader with an ample reservation, closes, and reveals them all.</summary>
    private static RecordedBatch CommitAndReveal((TestTrader Trader, SealedOrder Order)[] book)
    {
        var recorded = new RecordedBatch(NewBatch());
        SealedBatch batch = recorded.Batch;
        for (int i = 0; i < book.Length; i++)
        {
            recorded.Commit(book[i].Trader.Address, CommitmentOf(book[i].Order, Salt(i)), Ample);
        }

        CloseAndBeginReveal(batch);
        for (int i = 0; i < book.Length; i++)
        {
            batch.Reveal(CommitmentOf(book[i].Order, Salt(i)), book[i].Order, Salt(i), book[i].Trader.Sign(book[i].Order), OpenBlock + 1);
        }

        return recorded;
    }
}
