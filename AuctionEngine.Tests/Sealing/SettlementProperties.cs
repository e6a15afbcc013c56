using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using AuctionEngine.Threshold;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.SealedBatchScenario;

namespace AuctionEngine.Tests.Sealing;

/// <summary>
/// On generated batches full of awkward and hostile submissions (copied commitments, one order under two
/// commitments, reservations one atom short, bounded market orders, damaged ciphertexts, reveals on-chain, commitments
/// never revealed), what a <see cref="SealedBatch"/> produces always settles under the contract's rules, accounts for
/// every commitment exactly once, never fills a signed order past its quantity, and does not depend on arrival order.
/// </summary>
[TestFixture]
public sealed class SettlementProperties
{
    private static readonly TestTrader[] Traders = [.. Enumerable.Range(40, 6).Select(n => new TestTrader(n))];
    private static readonly TestTrader Squatter = new(99);
    private static readonly SharedBatchKey Key = new TrustedDealer(new SeededRandom(11)).Generate(threshold: 2, keyperCount: 3);
    private static readonly Market UnitMarket = Build.UnitMarket();

    private enum Sealing
    {
        Revealed,
        RevealedOnChain,
        NeverRevealed,
        Encrypted,
        EncryptedDamaged,
        EncryptedDamagedButRevealedOnChain,
    }

    private enum Funding
    {
        Ample,
        Exact,
        OneAtomShort,
    }

    private sealed record Submission(int Trader, Side Side, OrderType Type, long Price, long Quantity, Sealing Sealing, Funding Funding, bool CopyOfPrevious, bool Squatted);

    private static readonly Gen<Submission> Submissions =
        from trader in Gen.Choose(0, Traders.Length - 1)
        from side in Gen.Elements(Side.Buy, Side.Sell)
        from type in Gen.Frequency((4, Gen.Constant(OrderType.Limit)), (1, Gen.Constant(OrderType.Market)))
        from price in Gen.Choose(92, 108)
        from quantity in Gen.Choose(1, 20)
        from sealing in Gen.Frequency(
            (8, Gen.Constant(Sealing.Revealed)),
            (2, Gen.Constant(Sealing.RevealedOnChain)),
            (2, Gen.Constant(Sealing.NeverRevealed)),
            (5, Gen.Constant(Sealing.Encrypted)),
            (1, Gen.Constant(Sealing.EncryptedDamaged)),
            (1, Gen.Constant(Sealing.EncryptedDamagedButRevealedOnChain)))
        from funding in Gen.Frequency((6, Gen.Constant(Funding.Ample)), (2, Gen.Constant(Funding.Exact)), (2, Gen.Constant(Funding.OneAtomShort)))
        from copy in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from squatted in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Submission(trader, side, type, price, quantity, sealing, funding, copy, squatted);

    private static readonly Arbitrary<Submission[]> Batches = Arb.From(Gen.Choose(1, 14).SelectMany(n => Submissions.ArrayOf(n)));

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property EverySettlementPassesTheContractsChecksAndAccountsForEveryCommitmentOnce() => Prop.ForAll(Batches, submissions =>
    {
        (RecordedBatch recorded, SealedBatchResult result) = Run(submissions, reverse: false);
        string? verdict = recorded.Verdict(result);
        var settled = result.SettlementFills.Select(f => (f.Order.Trader, Commitments.ForReveal(f.Order.ComputeDigest(Domain), f.Secret)))
            .Concat(result.Voids.Select(v => (v.Trader, v.Commitment)))
            .ToList();
        var registered = recorded.Registered.Select(r => (r.Trader, r.Commitment)).ToList();
        bool eachOnce = settled.Count == registered.Count && settled.ToHashSet().SetEquals(registered);
        bool withinQuantity = result.SettlementFills.GroupBy(f => f.Order).All(g => g.Sum(f => f.Lots) <= g.Key.Quantity);
        return (verdict is null).Label($"contract says {verdict}")
            .And(eachOnce.Label("every commitment once"))
            .And(withinQuantity.Label("no signed order past its quantity"));
    });

    [FsCheck.NUnit.Property(MaxTest = 30)]
    public Property ArrivalOrderChangesNothing() => Prop.ForAll(Batches, submissions =>
    {
        SealedBatchResult forward = Run(submissions, reverse: false).Result;
        SealedBatchResult backward = Run(submissions, reverse: true).Result;
        return forward.Clearing == backward.Clearing && forward.Orders.SequenceEqual(backward.Orders) && forward.Voids.SequenceEqual(backward.Voids);
    });

    /// <summary>Registers, reveals and opens the submissions (in reverse, if asked) and clears the batch.</summary>
    private static (RecordedBatch Recorded, SealedBatchResult Result) Run(Submission[] submissions, bool reverse)
    {
        var recorded = new RecordedBatch(NewBatch(Settings(maxOrders: 64, maxPerTrader: 64, maxCiphertextBytes: 512)));
        byte[] publicKey = Key.Commitments.GetPublicKey();
        var reveals = new List<(TestTrader Trader, Hash32 Commitment, SealedOrder Order, Hash32 Secret, bool OnChain)>();
        var registrations = new List<Action>();
        SealedOrder previous = default;
        for (int i = 0; i < submissions.Length; i++)
        {
            Submission s = submissions[i];
            TestTrader trader = s.CopyOfPrevious && i > 0 ? Traders.Single(t => t.Address == previous.Trader) : Traders[s.Trader];
            SealedOrder order = s.CopyOfPrevious && i > 0
                ? previous
                : new SealedOrder(trader.Address, MarketAddress, BatchId, s.Side, s.Type, s.Type == OrderType.Market ? s.Price + (s.Side == Side.Buy ? 4 : -4) : s.Price, s.Quantity, (ulong)i);
            previous = order;
            Reservation reservation = Fund(order, s.Funding);
            if (s.Sealing is Sealing.Revealed or Sealing.RevealedOnChain or Sealing.NeverRevealed)
            {
                Hash32 commitment = CommitmentOf(order, Salt(i));
                registrations.Add(() => recorded.Commit(trader.Address, commitment, reservation));
                if (s.Squatted)
                {
                    registrations.Add(() => recorded.Commit(Squatter.Address, commitment, Ample));
                }

                if (s.Sealing != Sealing.NeverRevealed)
                {
                    reveals.Add((trader, commitment, order, Salt(i), s.Sealing == Sealing.RevealedOnChain));
                }
            }
            else
            {
                byte[] ciphertext = trader.Encrypt(order, publicKey, seed: i);
                Hash32 commitment = EncryptedCommitmentOf(order, ciphertext);
                Hash32 secret = Commitments.CiphertextSecret(ciphertext);
                if (s.Sealing != Sealing.Encrypted)
                {
                    ciphertext[^1] ^= 1;
                }

                registrations.Add(() => recorded.SubmitEncrypted(trader.Address, commitment, ciphertext, reservation));
                if (s.Sealing == Sealing.EncryptedDamagedButRevealedOnChain)
                {
                    reveals.Add((trader, commitment, order, secret, true));
                }
            }
        }

        if (reverse)
        {
            registrations.Reverse();
            reveals.Reverse();
        }

        registrations.ForEach(register => register());
        SealedBatch batch = recorded.Batch;
        CloseAndBeginReveal(batch);
        batch.OpenEncrypted(Key.Commitments, TestKeypers.Registered(3), TestKeypers.SignAll(Key, TestKeypers.Context(Key)));
        foreach ((TestTrader trader, Hash32 commitment, SealedOrder order, Hash32 secret, bool onChain) in reveals)
        {
            if (batch.Reveal(commitment, order, secret, trader.Sign(order), OpenBlock + 1) == SealRejectReason.None && onChain)
            {
                recorded.RevealedOnChain(trader.Address, commitment);
            }
        }

        return (recorded, ClearAfterWindow(batch));
    }

    private static Reservation Fund(in SealedOrder order, Funding funding)
    {
        UInt128 worst = order.Side == Side.Buy ? UnitMarket.QuoteAtoms(order.Quantity, order.LimitPrice) : UnitMarket.BaseAtoms(order.Quantity);
        UInt128 reserved = funding switch
        {
            Funding.Ample => Reservation.MaxAtoms,
            Funding.Exact => worst,
            _ => worst - 1,
        };
        return order.Side == Side.Buy ? new Reservation(0, reserved) : new Reservation(reserved, 0);
    }
}
