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

/// <summary>Laws of sealing, on generated orders: sealing loses nothing, and damage to one order harms that order alone.</summary>
[TestFixture]
public sealed class SealedBatchProperties
{
    private static readonly TestTrader[] Traders = [new(21), new(22), new(23)];

    private static readonly SharedBatchKey Key = new TrustedDealer(new SeededRandom(9)).Generate(threshold: 2, keyperCount: 3);

    private static readonly SignedKeyperShare[] ReleasedShares = TestKeypers.SignAll(Key, TestKeypers.Context(Key));

    /// <summary>Three crossing orders, one per trader: a buy, then two sells.</summary>
    private static readonly Arbitrary<SealedOrder[]> Books = Arb.From(
        from buyPrice in Gen.Choose(100, 110)
        from sellPrice in Gen.Choose(90, 100)
        from quantities in Gen.Choose(1, 1_000).ArrayOf(3)
        from market in Gen.Elements(OrderType.Limit, OrderType.Market)
        from nonce in Gen.Choose(0, int.MaxValue)
        select new[]
        {
            Traders[0].Order(Side.Buy, buyPrice, quantities[0], nonce: (ulong)nonce),
            new SealedOrder(Traders[1].Address, MarketAddress, BatchId, Side.Sell, market, market == OrderType.Market ? sellPrice - 5 : sellPrice, quantities[1], (ulong)nonce),
            Traders[2].Order(Side.Sell, sellPrice + 1, quantities[2], nonce: (ulong)nonce + 1),
        });

    private static readonly Arbitrary<int> Bits = Arb.From(Gen.Choose(0, int.MaxValue));

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property ARevealedOrderClearsExactlyAsSigned() => Prop.ForAll(Books, orders =>
    {
        SealedBatchResult result = CommitAndReveal(orders, damaged: -1, damage: default);
        return result.Orders.Count == orders.Length && result.Orders.All(o => Matches(o.SignedOrder, o.Order)) &&
            result.Orders.Select(o => o.SignedOrder).OrderBy(o => o.Trader).SequenceEqual(orders.OrderBy(o => o.Trader));
    });

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property ADecryptedOrderClearsExactlyAsSigned() => Prop.ForAll(Books, orders =>
    {
        SealedBatchResult result = EncryptAndOpen(orders, damaged: -1, bit: 0);
        return !result.Rejections.Any() && result.Orders.All(o => Matches(o.SignedOrder, o.Order)) &&
            result.Orders.Select(o => o.SignedOrder).OrderBy(o => o.Trader).SequenceEqual(orders.OrderBy(o => o.Trader));
    });

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property AFlippedCommitmentBitRefusesThatOrderAlone() => Prop.ForAll(Books, Bits, (orders, bit) =>
    {
        SealedBatchResult damaged = CommitAndReveal(orders, damaged: 0, damage: new Damage(CommitmentBit: bit % 256, SignatureBit: -1));
        return damaged.Forfeited.Count() == 1 && SameOutcome(damaged, CommitAndReveal(orders, damaged: -1, damage: default, left: 0));
    });

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property AFlippedSignatureBitRefusesThatOrderAlone() => Prop.ForAll(Books, Bits, (orders, bit) =>
    {
        SealedBatchResult damaged = CommitAndReveal(orders, damaged: 0, damage: new Damage(CommitmentBit: -1, SignatureBit: bit % 520));
        return damaged.Forfeited.Count() == 1 && SameOutcome(damaged, CommitAndReveal(orders, damaged: -1, damage: default, left: 0));
    });

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property AFlippedCiphertextBitRefusesThatOrderAlone() => Prop.ForAll(Books, Bits, (orders, bit) =>
    {
        SealedBatchResult damaged = EncryptAndOpen(orders, damaged: 0, bit: bit);
        return damaged.Rejections.Count() == 1 && damaged.Rejections.Single().Reason == SealRejectReason.Undecryptable &&
            SameOutcome(damaged, EncryptAndOpen(orders, damaged: -1, bit: 0, left: 0));
    });

    private readonly record struct Damage(int CommitmentBit, int SignatureBit);

    /// <summary>
    /// Whether the engine saw the order as signed: a market order either as a limit at its worst price (at a price
    /// its bound does not admit) or as a market order.
    /// </summary>
    private static bool Matches(in SealedOrder signed, in Order cleared) =>
        cleared.Trader == signed.Trader && cleared.Side == signed.Side && cleared.Quantity == signed.Quantity &&
        (signed.Type == OrderType.Limit
            ? cleared.Type == OrderType.Limit && cleared.LimitPrice == signed.LimitPrice
            : cleared.IsMarket || (cleared.Type == OrderType.Limit && cleared.LimitPrice == signed.LimitPrice));

    /// <summary>Whether the damaged batch cleared exactly like the batch that never held the damaged order.</summary>
    private static bool SameOutcome(SealedBatchResult damaged, SealedBatchResult without) =>
        damaged.Clearing == without.Clearing && damaged.Orders.SequenceEqual(without.Orders);

    /// <param name="left">An order left out of the batch altogether, or -1.</param>
    private static SealedBatchResult CommitAndReveal(SealedOrder[] orders, int damaged, Damage damage, int left = -1)
    {
        SealedBatch batch = NewBatch();
        Hash32[] commitments = [.. orders.Select((o, i) => CommitmentOf(o, Salt(i)))];
        for (int i = 0; i < orders.Length; i++)
        {
            if (i == left)
            {
                continue;
            }

            Hash32 commitment = i == damaged && damage.CommitmentBit >= 0 ? Flip(commitments[i], damage.CommitmentBit) : commitments[i];
            batch.Commit(orders[i].Trader, commitment, Ample, OpenBlock);
        }

        CloseAndBeginReveal(batch);
        for (int i = 0; i < orders.Length; i++)
        {
            if (i == left)
            {
                continue;
            }

            byte[] signature = TraderOf(orders[i]).Sign(orders[i]);
            if (i == damaged && damage.SignatureBit >= 0)
            {
                signature[damage.SignatureBit / 8] ^= (byte)(1 << (damage.SignatureBit % 8));
            }

            batch.Reveal(commitments[i], orders[i], Salt(i), signature, OpenBlock + 1);
        }

        return ClearAfterWindow(batch);
    }

    /// <param name="left">An order left out of the batch altogether, or -1.</param>
    private static SealedBatchResult EncryptAndOpen(SealedOrder[] orders, int damaged, int bit, int left = -1)
    {
        byte[] publicKey = Key.Commitments.GetPublicKey();
        SealedBatch batch = NewBatch();
        for (int i = 0; i < orders.Length; i++)
        {
            if (i == left)
            {
                continue;
            }

            // Seeded per order, so that an order's ciphertext, and with it its commitment and priority, is the same in every run.
            byte[] ciphertext = TraderOf(orders[i]).Encrypt(orders[i], publicKey, seed: i);
            Hash32 commitment = EncryptedCommitmentOf(orders[i], ciphertext);
            if (i == damaged)
            {
                int position = bit % (ciphertext.Length * 8);
                ciphertext[position / 8] ^= (byte)(1 << (position % 8));
            }

            batch.SubmitEncrypted(orders[i].Trader, commitment, ciphertext, Ample, OpenBlock);
        }

        CloseAndBeginReveal(batch);
        batch.OpenEncrypted(Key.Commitments, TestKeypers.Registered(3), ReleasedShares.Take(2));
        return ClearAfterWindow(batch);
    }

    private static TestTrader TraderOf(in SealedOrder order)
    {
        Address trader = order.Trader;
        return Traders.Single(t => t.Address == trader);
    }

    private static Hash32 Flip(Hash32 value, int bit)
    {
        byte[] bytes = value.ToArray();
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return new Hash32(bytes);
    }
}
