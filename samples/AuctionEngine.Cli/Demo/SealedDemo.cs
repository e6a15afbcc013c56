using System.Diagnostics;
using System.Globalization;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Commands;
using AuctionEngine.Cli.Output;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Cli.Demo;

/// <summary>
/// Runs one sealed batch through its whole life (key sharing, sealing, collection, close, reveals, key release,
/// decryption, clearing, settlement) and reports each phase as it ends.
/// </summary>
/// <remarks>
/// Besides the honest orders, a few traders misbehave on purpose, one of each kind a batch must survive, so that
/// every refusal path shows in the output. Everything but the timings follows from the seed.
/// </remarks>
internal sealed class SealedDemo
{
    /// <summary>Largest <c>--orders</c>: sealing costs a fraction of a millisecond per order, so this is about a minute.</summary>
    public const int MaxOrderCount = 200_000;

    private const ulong BatchId = 7;
    private const long Block = 100;
    private const int Threshold = 3;
    private const int KeyperCount = 5;
    private const int BadKeyper = 2;
    private const int OfflineKeyper = 5;
    private const int ImpersonatedKeyper = 1;
    private const int RevealWindowBlocks = 3;
    private const int OrdersPerTrader = 20;
    private const long CentralMidPrice = 100_000;
    private const int MidPriceWander = 1_000;
    private const double MarketOrderShare = 0.05;
    private const long MarketOrderSlippageTicks = 50; // a market order's signed worst price, this far from the mid
    private const double SideOffsetTicks = 2;
    private const double PriceSpreadTicks = 8; // a narrow band: nearly every limit within 25 ticks of the mid
    private const double LogQuantityMean = 2.3; // a median order of about 10 lots
    private const double LogQuantitySpread = 1.0;
    private const long MaxQuantity = 10_000;

    /// <summary>Room per trader, and in the batch, for the extra orders the misbehaving traders place.</summary>
    private const int MisbehaviourCount = 8;

    private static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, Address.Parse("0x5e771e5e771e5e771e5e771e5e771e5e771e5e77"));

    private readonly int _orderCount;
    private readonly int _seed;
    private readonly PriceRule _rule;
    private readonly DemoTrader[] _traders;
    private readonly SealedDemoReport _report;
    private readonly IPhaseProgress _progress;

    /// <summary>What each deliberately bad order was meant to show, by its commitment, so a later refusal can name it.</summary>
    private readonly Dictionary<Hash32, string> _misbehaviours = [];

    private SealedDemo(int orderCount, int seed, PriceRule rule, TextWriter output, IPhaseProgress progress)
    {
        _orderCount = orderCount;
        _seed = seed;
        _rule = rule;
        int traderCount = Math.Max(2, (orderCount + OrdersPerTrader - 1) / OrdersPerTrader);
        _traders = [.. Enumerable.Range(1, traderCount).Select(n => new DemoTrader(n))];
        _report = new SealedDemoReport(output);
        _progress = progress;
    }

    /// <summary>Runs the demo for <paramref name="orderCount"/> honest orders drawn from <paramref name="seed"/>.</summary>
    /// <param name="orderCount">How many honest orders to seal, from 1 to <see cref="MaxOrderCount"/>.</param>
    /// <param name="seed">Decides every order, key and byte of randomness.</param>
    /// <param name="rule">The price rule the batch clears under.</param>
    /// <param name="output">Receives the phases as they end, then the summary.</param>
    /// <param name="progress">Shows the phases that grow with the batch: sealing, submitting, revealing, decrypting and clearing.</param>
    public static void Run(int orderCount, int seed, PriceRule rule, TextWriter output, IPhaseProgress progress) =>
        new SealedDemo(orderCount, seed, rule, output, progress).Run();

    private void Run()
    {
        var random = new Random(_seed);
        long midPrice = CentralMidPrice + random.Next(-MidPriceWander, MidPriceWander + 1);
        var clearingOptions = new ClearingOptions(_rule, midPrice);
        _report.Header(_seed, _orderCount, _traders.Length, BatchId, Block, clearingOptions, Threshold, KeyperCount);

        long start = Stopwatch.GetTimestamp();
        SharedBatchKey batchKey = new TrustedDealer(new DemoRandomNumberGenerator(Label("dealer"))).Generate(Threshold, KeyperCount);
        DemoKeyper[] keypers = [.. Enumerable.Range(1, KeyperCount).Select(i => new DemoKeyper(i, Label(string.Create(CultureInfo.InvariantCulture, $"keyper {i}'s key"))))];
        var keyperSet = new KeyperSet(keypers.Select(k => k.Address));
        byte[] publicKey = batchKey.Commitments.GetPublicKey();
        _report.Phase("keys", start, $"a trusted dealer shares the batch key {Threshold}-of-{KeyperCount} among keypers; public key {Abbreviate(Convert.ToHexStringLower(publicKey))}");

        // Sealing happens in each trader's own wallet, so it runs in parallel; each order draws from its own
        // generator, which keeps every byte the same whatever the thread count.
        start = Stopwatch.GetTimestamp();
        (DemoTrader Trader, SealedOrder Order)[] drawn = [.. Enumerable.Range(0, _orderCount).Select(i => DrawOrder(random, _traders[i % _traders.Length], midPrice, BatchId, i))];
        var honest = new Sealed[drawn.Length];
        using (IPhase sealing = _progress.Begin($"sealing {Prose.Count(drawn.Length, "order")}", drawn.Length))
        {
            Parallel.For(0, drawn.Length, i =>
            {
                honest[i] = Seal(drawn[i].Trader, drawn[i].Order, encrypt: drawn[i].Trader.Number % 2 == 1, publicKey, i);
                sealing.Advance(1);
            });
        }

        int honestCommitments = honest.Count(s => s.Ciphertext is null);
        _report.Phase("seal", start, $"{Prose.Count(_traders.Length, "trader")} sign {Prose.Count(honest.Length, "order")}: the even-numbered commit {Prose.Count(honestCommitments, "order")}, the odd-numbered encrypt {Prose.Count(honest.Length - honestCommitments, "order")} to the batch key");

        var settings = new SealedBatchSettings(
            UnitMarket.Instance,
            MarketAddress,
            maxOrders: _orderCount + MisbehaviourCount,
            maxOrdersPerTrader: ((_orderCount + _traders.Length - 1) / _traders.Length) + MisbehaviourCount,
            maxCiphertextBytes: SealedOrderCodec.EncodedLength + Ecies.Overhead,
            revealWindowBlocks: RevealWindowBlocks);
        var batch = new SealedBatch(settings, Domain, BatchId, Block);

        start = Stopwatch.GetTimestamp();
        var refused = new List<Refusal>();
        using (IPhase submitting = _progress.Begin($"submitting {Prose.Count(honest.Length, "sealed order")}", honest.Length))
        {
            foreach (Sealed order in honest)
            {
                Submit(batch, order, Block, null, refused);
                submitting.Advance(1);
            }
        }

        Misbehaviour bad = Misbehave(batch, publicKey, random, midPrice, refused);
        Sealed[] toReveal = [.. honest.Where(s => s.Ciphertext is null), bad.WrongSalt, .. bad.Copies];
        int commitments = toReveal.Length + 1;
        int ciphertexts = batch.Count - commitments;
        _report.Phase($"block {Block}", start, $"{Prose.Count(batch.Count, "sealed order")} accepted: {Prose.Count(commitments, "commitment")}, {Prose.Count(ciphertexts, "ciphertext")}; {refused.Count} refused", refused);

        start = Stopwatch.GetTimestamp();
        batch.Close(Block + 1);
        _report.Phase("close", start, $"block {Block + 1}: the batch closes with {Prose.Count(batch.Count, "sealed order")}, none readable yet");

        start = Stopwatch.GetTimestamp();
        Hash32 randomness = Draw32(Label("randomness"));
        batch.BeginReveal(Block + 1, randomness);
        _report.Phase("begin", start, $"block {Block + 1}: reveals open until block {batch.RevealDeadline}; batch randomness {Abbreviate(randomness.ToString())}");

        start = Stopwatch.GetTimestamp();
        long revealBlock = Block + 2;
        refused = [];
        Record(batch.Reveal(bad.WrongSalt.Commitment, bad.WrongSalt.Order, Draw32(Label("a wrong salt")), bad.WrongSalt.Signature, revealBlock), $"trader {bad.WrongSalt.Trader.Number} reveals with the wrong salt, then with the right one", refused);
        int revealed = 0;
        using (IPhase revealing = _progress.Begin($"revealing {Prose.Count(toReveal.Length, "commitment")}", toReveal.Length))
        {
            foreach (Sealed order in toReveal)
            {
                SealRejectReason reason = batch.Reveal(order.Commitment, order.Order, order.Salt, order.Signature, revealBlock);
                revealed += reason == SealRejectReason.None ? 1 : 0;
                Record(reason, null, refused);
                revealing.Advance(1);
            }
        }

        _report.Phase("reveal", start, $"block {revealBlock}: {revealed:N0} of {Prose.Count(commitments, "commitment")} revealed; {Prose.Count(refused.Count, "reveal")} refused; trader {bad.Unrevealed.Trader.Number} never reveals", refused);

        start = Stopwatch.GetTimestamp();
        var shareContext = new KeyperShareContext(Domain, MarketAddress, BatchId, batchKey.Commitments);
        List<SignedKeyperShare> released = [.. keypers.Where(k => k.Index != OfflineKeyper).Select(k => k.Index == BadKeyper ? k.Sign(Corrupt(batchKey.Shares[k.Index - 1]), shareContext) : k.Release(batchKey, shareContext))];
        int online = released.Count;
        var forger = new DemoKeyper(ImpersonatedKeyper, Label("a forger's key"));
        released.Add(forger.Sign(new KeyperShare(ImpersonatedKeyper, Draw32(Label("a forged share")).ToArray()), shareContext));
        _report.Phase("keypers", start, $"{online} of {Prose.Count(KeyperCount, "keyper")} release signed shares: keyper {OfflineKeyper} is offline, keyper {BadKeyper} signs a wrong one; a forger sends a share in keyper {ImpersonatedKeyper}'s name");

        start = Stopwatch.GetTimestamp();
        BatchKeyOpening opening;
        using (_progress.Begin($"checking shares, decrypting {Prose.Count(ciphertexts, "ciphertext")}", 0))
        {
            opening = batch.OpenEncrypted(batchKey.Commitments, keyperSet, released, Environment.ProcessorCount);
        }

        string badKeypers = Prose.List([.. opening.BadKeypers.Select(k => $"keyper {k.Index} ({k.Verdict})")]);
        string ignoredShares = Prose.List([.. opening.IgnoredShares.Select(s => $"keyper {s.Index} ({s.Reason})")]);
        _report.Phase("open", start, $"key {opening.Status.ToString().ToLowerInvariant()} from keypers {Prose.List(opening.ValidKeypers.Take(opening.Threshold))}; bad share from {badKeypers}; share claiming to be from {ignoredShares} ignored; {Prose.Count(ciphertexts, "ciphertext")} decrypted and checked");

        start = Stopwatch.GetTimestamp();
        SealedBatchResult result;
        using (_progress.Begin($"clearing {Prose.Count(batch.Count, "order")}", 0))
        {
            result = batch.Clear(new ClearingEngine(Math.Max(1, batch.Count)), clearingOptions, batch.RevealDeadline!.Value);
        }

        SealRejection[] rejections = [.. result.Rejections];
        refused = [.. rejections.Select(r => new Refusal(r.Reason, _misbehaviours.GetValueOrDefault(r.Commitment)))];
        refused.AddRange(result.Orders.Where(o => o.Refusal != SealRejectReason.None).Select(o => new Refusal(o.Refusal, _misbehaviours.GetValueOrDefault(o.Commitment))));
        int forfeited = result.Forfeited.Count();
        _report.Phase("clear", start, $"block {batch.RevealDeadline}: {Prose.Count(result.Orders.Count, "opened order")} clear at one price; {Prose.Count(rejections.Length, "ciphertext")} and {Prose.Count(refused.Count - rejections.Length, "opened order")} refused, {Prose.Count(forfeited, "commitment")} forfeited (trader {bad.Unrevealed.Trader.Number}'s)", refused);

        start = Stopwatch.GetTimestamp();
        batch.MarkSettled();
        _report.Phase("settle", start, $"the host settles the batch on-chain; phase {batch.Phase}");

        _report.Summary(result, batch.Count, revealed, ciphertexts - rejections.Length, badKeypers, ignoredShares, opening);
    }

    private string Label(string purpose) => string.Create(CultureInfo.InvariantCulture, $"auction demo, seed {_seed}: {purpose}");

    private static Hash32 Draw32(string label)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        new DemoRandomNumberGenerator(label).GetBytes(bytes);
        return new Hash32(bytes);
    }

    private static (DemoTrader Trader, SealedOrder Order) DrawOrder(Random random, DemoTrader trader, long midPrice, ulong batchId, int index)
    {
        Side side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
        long quantity = Math.Clamp((long)Math.Round(Math.Exp(LogQuantityMean + (LogQuantitySpread * DemoBatchGenerator.NextStandardNormal(random)))), 1, MaxQuantity);
        ulong nonce = (ulong)index + 1;
        if (random.NextDouble() < MarketOrderShare)
        {
            long worstPrice = side == Side.Buy ? midPrice + MarketOrderSlippageTicks : midPrice - MarketOrderSlippageTicks;
            return (trader, new SealedOrder(trader.Address, MarketAddress, batchId, side, OrderType.Market, worstPrice, quantity, nonce));
        }

        double centre = side == Side.Buy ? midPrice - SideOffsetTicks : midPrice + SideOffsetTicks;
        long limitPrice = Math.Max(1, (long)Math.Round(centre + (PriceSpreadTicks * DemoBatchGenerator.NextStandardNormal(random))));
        return (trader, new SealedOrder(trader.Address, MarketAddress, batchId, side, OrderType.Limit, limitPrice, quantity, nonce));
    }

    private Sealed Seal(DemoTrader trader, in SealedOrder order, bool encrypt, byte[] publicKey, int index)
    {
        byte[] signature = trader.Sign(order, Domain);
        var random = new DemoRandomNumberGenerator(Label(string.Create(CultureInfo.InvariantCulture, $"order {index}")));
        if (encrypt)
        {
            byte[] ciphertext = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(order, signature), random);
            return new Sealed(trader, order, signature, Commitments.CiphertextSecret(ciphertext), Commitments.ForEncrypted(order.ComputeDigest(Domain), ciphertext), ciphertext);
        }

        Span<byte> salt = stackalloc byte[Hash32.Length];
        random.GetBytes(salt);
        return new Sealed(trader, order, signature, new Hash32(salt), Commitments.ForReveal(order.ComputeDigest(Domain), new Hash32(salt)), null);
    }

    /// <summary>Places the extra orders that go wrong on purpose, each from a trader whose usual way of sealing it matches.</summary>
    private Misbehaviour Misbehave(SealedBatch batch, byte[] publicKey, Random random, long midPrice, List<Refusal> refused)
    {
        DemoTrader[] committers = [.. _traders.Where(t => t.Number % 2 == 0)];
        DemoTrader[] encrypters = [.. _traders.Where(t => t.Number % 2 == 1)];
        int index = _orderCount;
        Sealed Extra(DemoTrader[] kind, int k, ulong batchId = BatchId)
        {
            (DemoTrader trader, SealedOrder order) = DrawOrder(random, kind[k % kind.Length], midPrice, batchId, index);
            return Seal(trader, order, encrypt: kind == encrypters, publicKey, index++);
        }

        Sealed wrongSalt = Extra(committers, 0);
        Submit(batch, wrongSalt, Block, null, refused);
        Submit(batch, wrongSalt, Block, $"trader {wrongSalt.Trader.Number} sends the same commitment twice", refused);

        Sealed late = Extra(committers, 1);
        Submit(batch, late, Block + 1, $"trader {late.Trader.Number} commits in block {Block + 1}, after the batch's block", refused);

        Sealed tampered = Extra(encrypters, 0);
        tampered.Ciphertext![^1] ^= 0x01;
        Submit(batch, tampered, Block, $"trader {tampered.Trader.Number}'s ciphertext has a bit flipped in transit", refused);

        Sealed replay = Extra(encrypters, 1, batchId: BatchId - 1);
        Submit(batch, replay, Block, $"trader {replay.Trader.Number}'s order signed for batch {BatchId - 1}, replayed into batch {BatchId}", refused);

        Sealed unrevealed = Extra(committers, 2);
        Submit(batch, unrevealed, Block, null, refused);

        // The same signed order under a second commitment (a fresh salt): it opens, but trades only once.
        Sealed copied = Extra(committers, 3);
        string twice = $"trader {copied.Trader.Number} commits one signed order twice; the copy with the higher commitment does not trade";
        Submit(batch, copied, Block, twice, refused);
        Hash32 otherSalt = Draw32(Label("a second salt for the same order"));
        Sealed copy = copied with { Salt = otherSalt, Commitment = Commitments.ForReveal(copied.Order.ComputeDigest(Domain), otherSalt) };
        Submit(batch, copy, Block, twice, refused);

        // An order whose commitment reserved too little to pay for it at its limit.
        Sealed unfunded = Extra(encrypters, 2) with { Reservation = default };
        Submit(batch, unfunded, Block, $"trader {unfunded.Trader.Number} reserved nothing for its order", refused);
        return new Misbehaviour(wrongSalt, unrevealed, [copied, copy]);
    }

    /// <summary>Submits an order; <paramref name="misbehaviour"/>, when given, names what it shows if it is refused now or later.</summary>
    private void Submit(SealedBatch batch, Sealed order, long block, string? misbehaviour, List<Refusal> refused)
    {
        SealRejectReason reason = order.Ciphertext is null
            ? batch.Commit(order.Trader.Address, order.Commitment, order.Reservation, block)
            : batch.SubmitEncrypted(order.Trader.Address, order.Commitment, order.Ciphertext, order.Reservation, block);
        if (misbehaviour is not null && reason == SealRejectReason.None)
        {
            _misbehaviours[order.Commitment] = misbehaviour;
        }

        Record(reason, misbehaviour, refused);
    }

    private static void Record(SealRejectReason reason, string? what, List<Refusal> refused)
    {
        if (reason != SealRejectReason.None)
        {
            refused.Add(new Refusal(reason, what));
        }
    }

    /// <summary>The share with its last bit flipped: still a scalar, no longer on the dealt polynomial.</summary>
    private static KeyperShare Corrupt(KeyperShare share)
    {
        byte[] value = share.Value.ToArray();
        value[^1] ^= 0x01;
        return new KeyperShare(share.Index, value);
    }

    private static string Abbreviate(string hex) => $"{hex[..10]}…{hex[^6..]}";

    /// <summary>
    /// An order as its trader sealed it: a salt and no ciphertext for commit-reveal, a ciphertext (whose Keccak-256 is
    /// its secret) otherwise; the reservation pays for the order at its worst price.
    /// </summary>
    private sealed record Sealed(DemoTrader Trader, SealedOrder Order, byte[] Signature, Hash32 Salt, Hash32 Commitment, byte[]? Ciphertext)
    {
        public Reservation Reservation { get; init; } = WorstCase(Order);

        private static Reservation WorstCase(in SealedOrder order) => order.Side == Side.Buy
            ? new Reservation(UInt128.Zero, UnitMarket.Instance.QuoteAtoms(order.Quantity, order.LimitPrice))
            : new Reservation(UnitMarket.Instance.BaseAtoms(order.Quantity), UInt128.Zero);
    }

    /// <summary>The misbehaving orders later phases refer to; <see cref="Copies"/> is one signed order under two commitments.</summary>
    private sealed record Misbehaviour(Sealed WrongSalt, Sealed Unrevealed, Sealed[] Copies);
}
