using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// Books spread too wide to count tick by tick. The engine sums them in bins a power of two ticks wide while it reads
/// them (and the orders outside those bins in bins of their own), and builds the exact ladder only of a window of
/// bins around the decision, wider if the decision looks beyond it. Every way must give the rules' answer, whatever
/// the spread, on every side of each cut-off.
/// </summary>
[TestFixture]
public sealed class SpreadBookTests
{
    /// <summary>Bins per spread book the engines below use: one, a few, and the default.</summary>
    private static readonly int[] Bins = [1, 2, 3, 5, 8, 64, ClearingEngine.DefaultSpreadBins];

    private static readonly Market Market = UnitMarket();

    private static readonly PriceRule[] Rules = [PriceRule.Midpoint, PriceRule.Xetra, PriceRule.Euronext];

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property EverySpreadBookClearsAsTheOracleSays() => Prop.ForAll(SpreadBooks.Books, Arb.From(Gen.Elements(Bins)), (book, bins) =>
    {
        BatchOutcome outcome = book.Clear(EngineFor(book.Orders.Length, bins));
        OracleOutcome expected = book.Expected();
        return Holds(
            outcome.Result == expected.Result && outcome.Fills.SequenceEqual(expected.Fills),
            () => $"{bins} bins\nengine {outcome.Result}\noracle {expected.Result}\n{FirstDifference(outcome.Fills, expected.Fills)}");
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property EverySpreadBookClearsAtAGivenPriceAsTheOracleSays() => Prop.ForAll(SpreadBooks.BooksAndPrices, Arb.From(Gen.Elements(Bins)), (c, bins) =>
    {
        BatchOutcome outcome = c.Book.ClearAt(c.Price, EngineFor(c.Book.Orders.Length, bins));
        OracleOutcome expected = Oracle.ClearAt(c.Book.Market, c.Book.Orders, c.Price);
        return Holds(
            outcome.Result == expected.Result && outcome.Fills.SequenceEqual(expected.Fills),
            () => $"{bins} bins, price {c.Price}\nengine {outcome.Result}\noracle {expected.Result}\n{FirstDifference(outcome.Fills, expected.Fills)}");
    });

    /// <summary>
    /// Ties at the edges of windows: 2 to 24 limit prices far apart (each in a bin of its own), orders of 1 to 3 lots,
    /// so that neighbouring candidate ranges often tie and a window's decision often depends on its edge.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property TiesAtTheEdgesOfWindowsAreSettledAsTheOracleSays() => Prop.ForAll(Arb.From(SparseLadders), book =>
    {
        BatchOutcome outcome = book.Clear();
        OracleOutcome expected = book.Expected();
        return Holds(
            outcome.Result == expected.Result && outcome.Fills.SequenceEqual(expected.Fills),
            () => $"engine {outcome.Result}\noracle {expected.Result}\n{FirstDifference(outcome.Fills, expected.Fills)}");
    });

    /// <summary>
    /// One engine per bin count serves spread books and bands one after the other, as a host would use it: nothing a
    /// batch leaves in the bins, the segments or the windows may reach the next.
    /// </summary>
    [TestCaseSource(nameof(Bins))]
    public void AReusedEngineClearsSpreadBooksAndBandsAsAFreshOne(int bins)
    {
        var engine = new ClearingEngine(300, 1, ClearingEngine.DefaultMinOrdersPerLane, bins);
        Property property = Prop.ForAll(SpreadBooks.Books, Generators.Books, (spread, band) =>
            Prop.ToProperty(new[] { spread, band, spread }.All(book =>
            {
                BatchOutcome reused = book.Clear(engine);
                BatchOutcome fresh = book.Clear();
                return reused.Result == fresh.Result && reused.Fills.SequenceEqual(fresh.Fills);
            })));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true), property);
    }

    /// <summary>
    /// An engine of capacity 31 has a histogram of 64 bins. A sample whose middle half spans 31 ticks fits half of it
    /// and is read tick by tick; one that spans 32 is spread and read in bins.
    /// </summary>
    [TestCase(31, false)]
    [TestCase(32, true)]
    public void ABookIsReadInBinsFromHalfTheHistogramOn(long spread, bool inBins)
    {
        Order[] book = [.. SampledPrices(1_000, spread).Select((p, i) => i % 2 == 0 ? Buy((ulong)i + 1, p, 3 + (i % 5)) : Sell((ulong)i + 1, p, 2 + (i % 7)))];
        var engine = new ClearingEngine(book.Length);

        using (Assert.EnterMultipleScope())
        {
            foreach (PriceRule rule in Rules)
            {
                var options = new ClearingOptions(rule, 1_000 + (spread / 3));
                AssertClearsAsTheOracleSays(engine, book, options);
                Assert.That(engine.LastLadder.Shift > 0, Is.EqualTo(inBins), $"{rule}: {engine.LastLadder}");
            }
        }
    }

    /// <summary>
    /// 64 bins cover the sample's middle stretch d and d on either side: 3d + 1 ticks. At d = 85 that is 256, four
    /// ticks a bin; one tick more needs bins of eight.
    /// </summary>
    [TestCase(85, 2)]
    [TestCase(86, 3)]
    [TestCase(341, 4)]
    [TestCase(342, 5)]
    public void BinsAreThePowerOfTwoThatCoversTheSpread(long spread, int shift)
    {
        Order[] book = [.. SampledPrices(1_000_000, spread).Select((p, i) => i % 3 == 0 ? Sell((ulong)i + 1, p, 4) : Buy((ulong)i + 1, p, 3))];
        var engine = new ClearingEngine(book.Length, 1, ClearingEngine.DefaultMinOrdersPerLane, spreadBins: 64);

        using (Assert.EnterMultipleScope())
        {
            AssertClearsAsTheOracleSays(engine, book, default);
            Assert.That(engine.LastLadder.Shift, Is.EqualTo(shift));
        }
    }

    /// <summary>
    /// For any bin count from 1 to 64 and any power of two 2^k up to 2^40: a sample whose middle half spans d ticks is
    /// binned over 3d + 1 ticks, so d is chosen to put that just below, at and just above bins × 2^k, where the bins'
    /// width doubles. The bins are the narrowest power of two that covers the window, and the book, with up to 30 more
    /// orders anywhere (after the 31 the sample takes), clears as the oracle says.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property AroundEveryDoublingOfTheBinsTheBookClearsAsTheOracleSays() => Prop.ForAll(
        Arb.From(
            from bins in Gen.Choose(1, 64)
            from k in Gen.Choose(0, 40)
            from step in Gen.Choose(-1, 1)
            from low in Generators.Between(1L << 42, 1L << 61)
            from extra in Gen.ArrayOf(
                from price in Gen.Frequency((4, Generators.Between(low - (64L << 40), low + (128L << 40))), (1, Generators.Between(1, long.MaxValue)))
                from buy in Gen.Elements(true, false)
                from quantity in Gen.Choose(1, 9)
                select (price, buy, quantity),
                30)
            from rule in Gen.Elements(Rules)
            select (bins, k, step, low, extra, rule)),
        c =>
        {
            long spread = Math.Max(1, ((((long)c.bins << c.k) - 1) / 3) + c.step);
            Order[] sampled = [.. SampledPrices(c.low, spread).Select((p, i) => i % 2 == 0 ? Buy((ulong)i + 1, p, 1 + (i % 4)) : Sell((ulong)i + 1, p, 1 + (i % 3)))];
            Order[] book = [.. sampled, .. c.extra.Select((x, i) => x.buy ? Buy(100 + (ulong)i, x.price, x.quantity) : Sell(100 + (ulong)i, x.price, x.quantity))];
            var engine = new ClearingEngine(book.Length, 1, ClearingEngine.DefaultMinOrdersPerLane, c.bins);
            var options = new ClearingOptions(c.rule, c.low + spread);
            BatchOutcome outcome = Auction.Clear(book, options, engine: engine);
            OracleOutcome expected = Oracle.Clear(Market, book, options);
            int shift = engine.LastLadder.Shift;
            ulong ticks = (3 * (ulong)spread) + 1;
            bool narrowest = shift == 0 || (((ulong)c.bins << shift) >= ticks && ((ulong)c.bins << (shift - 1)) < ticks);
            return Holds(
                narrowest && outcome.Result == expected.Result && outcome.Fills.SequenceEqual(expected.Fills),
                () => $"{c.bins} bins, spread {spread}, {engine.LastLadder}\nengine {outcome.Result}\noracle {expected.Result}\n{FirstDifference(outcome.Fills, expected.Fills)}");
        });

    /// <summary>
    /// The sample's middle half spans 85 ticks from 1,000,000, so 64 bins of 4 ticks cover 999,915 to 1,000,170. Orders
    /// at both ends are binned; orders one tick beyond either end are outliers, binned on their side.
    /// </summary>
    [Test]
    public void OrdersOneTickOutsideTheBinsAreOutliersAndOrdersAtTheirEndsAreNot()
    {
        Order[] sampled = [.. SampledPrices(1_000_000, 85).Select((p, i) => i % 3 == 0 ? Sell((ulong)i + 1, p, 4) : Buy((ulong)i + 1, p, 3))];
        Order[] edges = [Sell(101, 999_914, 9), Buy(102, 999_915, 1), Sell(103, 1_000_170, 2), Buy(104, 1_000_171, 20)];
        Order[] book = [.. sampled, .. edges];
        var engine = new ClearingEngine(book.Length, 1, ClearingEngine.DefaultMinOrdersPerLane, spreadBins: 64);

        using (Assert.EnterMultipleScope())
        {
            foreach (PriceRule rule in Rules)
            {
                AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(rule, 1_000_050));
                Assert.That(engine.LastLadder with { Segments = 0, Windows = 0, ReachedWholeBook = false, Sorted = 0 }, Is.EqualTo(new LadderTrace(2, 2, 0, 0, false)));
            }

            foreach (long price in new long[] { 999_914, 999_915, 1_000_170, 1_000_171 })
            {
                AssertClearsAtAsTheOracleSays(engine, book, price);
            }
        }
    }

    /// <summary>
    /// Orders far below and far above the bins' window are summed in bins of their own on either side, so that a
    /// window reaching them reads them like any other: here 4 bins a side for a spread core, with outliers from the
    /// bottom of the range to its top, both ends included.
    /// </summary>
    [Test]
    public void OrdersOutsideTheBinsAreBinnedOnEitherSide()
    {
        // 40 orders over a million ticks come first, so that the sample sees only them.
        Order[] core = [.. Enumerable.Range(0, 40).Select(k => k % 2 == 0 ? Buy((ulong)k + 1, 1_000_000 + (k * 25_000), 5) : Sell((ulong)k + 1, 1_000_000 + (k * 25_000) - 400_000, 5))];
        long[] far = [1, 2, 3, 1_000, 99_999, long.MaxValue / 4, long.MaxValue / 2, long.MaxValue - 1, long.MaxValue];
        Order[] outliers = [.. far.Select((p, k) => k % 2 == 0 ? Buy(100 + (ulong)k, p, 7) : Sell(100 + (ulong)k, p, 6))];
        Order[] book = [.. core, .. outliers];
        var engine = new ClearingEngine(book.Length, 1, ClearingEngine.DefaultMinOrdersPerLane, spreadBins: 4);

        using (Assert.EnterMultipleScope())
        {
            foreach (PriceRule rule in Rules)
            {
                AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(rule, 500_000));
                Assert.That(engine.LastLadder.Outliers, Is.EqualTo(far.Length), engine.LastLadder.ToString());
                Assert.That(engine.LastLadder.Segments, Is.GreaterThan(4), engine.LastLadder.ToString());
            }

            foreach (long price in far.Append(600_000).Append(1_000_001))
            {
                AssertClearsAtAsTheOracleSays(engine, book, price);
            }
        }
    }

    /// <summary>
    /// Each limit in a bin of its own, and the crossing at 5 × 10^8 the last limit below the segment where D stops
    /// covering S: the first window starts there. Under Xetra the best limit is that one, and whether the limit below
    /// it ties is beyond the window, so the rule is decided on a second, wider one (not yet the whole book). Under
    /// Midpoint the best range is the gap above it, inside the first window.
    /// </summary>
    [Test]
    public void ADecisionThatLooksBeyondItsWindowIsMadeOnAWiderOne()
    {
        // At 5 × 10^8: D = 7, S = 5 (V 5, I 2). At 6 × 10^8 and 7 × 10^8: D = 5, S = 9 (V 5, I 4). Between the first two,
        // D = 5 and S = 5. Twenty buys far below and twenty sells far above trade at none of these prices.
        Order[] core = [Buy(1, 500_000_000, 2), Sell(2, 500_000_000, 5), Sell(3, 600_000_000, 4), Buy(4, 700_000_000, 5)];
        Order[] below = [.. Enumerable.Range(1, 20).Select(k => Buy(100 + (ulong)k, 10_000_000L * k, 1))];
        Order[] above = [.. Enumerable.Range(1, 20).Select(k => Sell(200 + (ulong)k, 10_000_000_000 + (10_000_000L * k), 1))];
        Order[] book = [.. below.Take(10), .. above.Take(10), .. core, .. below.Skip(10), .. above.Skip(10)];
        var engine = new ClearingEngine(1 << 15); // The default 4,096 bins: an engine for 44 orders has 64, too wide to hold one limit each.

        using (Assert.EnterMultipleScope())
        {
            AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(PriceRule.Xetra, 1));
            Assert.That(engine.LastLadder with { Shift = 0, Sorted = 0 }, Is.EqualTo(new LadderTrace(0, 0, 43, 2, ReachedWholeBook: false)));
            Assert.That(Auction.Clear(book, new ClearingOptions(PriceRule.Xetra, 1), engine: engine).Result.Price, Is.EqualTo(500_000_000));

            AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(PriceRule.Midpoint));
            Assert.That(engine.LastLadder.Windows, Is.EqualTo(1), engine.LastLadder.ToString());
            Assert.That(Auction.Clear(book, new ClearingOptions(PriceRule.Midpoint), engine: engine).Result.Price, Is.EqualTo(550_000_000));
        }
    }

    /// <summary>
    /// An attacker's book: the sampled orders are spread, so the book is read in bins of 2^18 ticks; 958 of the other
    /// orders crowd into one bin at 10^9 ± 479; and under Xetra the best limit, 5 × 10^6 below the crowd, is the
    /// first of the first window, so the window must grow. A window that holds the one before it sorts only what
    /// it adds: every order is sorted at most once, however the windows grow and wherever the marginal level lies.
    /// </summary>
    [TestCase(PriceRule.Xetra, 2)]
    [TestCase(PriceRule.Midpoint, 1)]
    public void NoOrderIsSortedTwiceHoweverTheWindowsGrow(PriceRule rule, int windows)
    {
        // Every 32nd of 992 orders is sampled: buys 10^7 × j below 10^9 and sells 10^7 × j above, which trade at none
        // of the prices that matter. The crowd alternates a sell and a buy of one lot from 10^9 − 479 up; 479 lots are
        // sold and one bought at 10^9 − 5 × 10^6. At that limit D = 480, S = 479 (V 479, I 1); at the crowd's lowest,
        // D = 479, S = 480 (V 479, I 1): a tie whose lower end needs the limits below the first window.
        var others = new Queue<Order>([
            Sell(2_001, 995_000_000, 479), Buy(2_002, 995_000_000, 1),
            .. Enumerable.Range(0, 958).Select(i => i % 2 == 0 ? Sell(3_000 + (ulong)i, 999_999_521 + i, 1) : Buy(3_000 + (ulong)i, 999_999_521 + i, 1)),
            Sell(2_003, 2_000_000_000_000, 1)]);
        Order[] book = [.. Enumerable.Range(0, 992).Select(i => i % 32 != 0
            ? others.Dequeue()
            : (i / 32) % 2 == 0 ? Buy((ulong)i + 1, 1_000_000_000 - (10_000_000L * ((i / 32) + 1)), 1) : Sell((ulong)i + 1, 1_000_000_000 + (10_000_000L * (i / 32)), 1))];
        var engine = new ClearingEngine(1 << 15); // The default 4,096 bins.

        using (Assert.EnterMultipleScope())
        {
            AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(rule, 1_000_000_000));
            Assert.That(engine.LastLadder.Shift, Is.EqualTo(18), engine.LastLadder.ToString());
            Assert.That(engine.LastLadder.Windows, Is.EqualTo(windows), engine.LastLadder.ToString());
            Assert.That(engine.LastLadder.Sorted, Is.InRange(958, book.Length), engine.LastLadder.ToString());
            foreach (long price in new long[] { 995_000_000, 999_999_521, 1_000_000_000, 1_000_000_478, 2_000_000_000_000 })
            {
                AssertClearsAtAsTheOracleSays(engine, book, price);
                Assert.That(engine.LastLadder.Sorted, Is.LessThanOrEqualTo(book.Length), $"at {price}: {engine.LastLadder}");
            }
        }
    }

    /// <summary>
    /// At a given price with bid surplus, the buys that fill are the highest: here one lone buy far above the price,
    /// across many bins of buys that do not fill, is the marginal level, read from a window of its own bin. The
    /// same for sells below the price with ask surplus.
    /// </summary>
    [Test]
    public void AMarginalLevelFarFromTheGivenPriceIsReadFromItsOwnBin()
    {
        // Buys at 10^7 × k for k = 1..40 (1 lot each), 5 lots at 10^12; 3 lots sold at 50. At 100: D = 45, S = 3.
        Order[] bids = [.. Enumerable.Range(1, 40).Select(k => Buy((ulong)k, 10_000_000L * k, 1)), Buy(41, 1_000_000_000_000, 5), Sell(42, 50, 3)];

        // Sells at 10^7 × k (1 lot each), 5 lots at 1; 3 lots bought at 10^12. At 10^11: S = 45, D = 3.
        Order[] asks = [.. Enumerable.Range(1, 40).Select(k => Sell((ulong)k, 10_000_000L * k, 1)), Sell(41, 1, 5), Buy(42, 1_000_000_000_000, 3)];
        var engine = new ClearingEngine(42);

        using (Assert.EnterMultipleScope())
        {
            AssertClearsAtAsTheOracleSays(engine, bids, 100);
            Assert.That(engine.LastLadder.Windows, Is.EqualTo(2), "the price's window, then the marginal buy's bin");
            Assert.That(Auction.ClearAt(bids, 100, engine: engine).Filled(41), Is.EqualTo(3));

            AssertClearsAtAsTheOracleSays(engine, asks, 100_000_000_000);
            Assert.That(engine.LastLadder.Windows, Is.EqualTo(2), "the price's window, then the marginal sell's bin");
            Assert.That(Auction.ClearAt(asks, 100_000_000_000, engine: engine).Filled(41), Is.EqualTo(3));
        }
    }

    [Test]
    public void TheWholePositiveRangeWithAllEqualPricesInItsMiddle()
    {
        // Most orders at one price in the middle of the range, a few at its very ends: spread, and one bin holds the crowd.
        Order[] crowd = [.. Enumerable.Range(1, 60).Select(k => k % 2 == 0 ? Buy((ulong)k, long.MaxValue / 2, k) : Sell((ulong)k, long.MaxValue / 2, 61 - k))];
        Order[] ends = [Sell(101, 1, 3), Buy(102, long.MaxValue, 4), Sell(103, long.MaxValue, 2), Buy(104, 1, 9)];
        Order[] book = [.. ends.Take(2), .. crowd, .. ends.Skip(2)];
        var engine = new ClearingEngine(book.Length);

        using (Assert.EnterMultipleScope())
        {
            foreach (PriceRule rule in Rules)
            {
                AssertClearsAsTheOracleSays(engine, book, new ClearingOptions(rule, long.MaxValue / 3));
            }
        }
    }

    /// <summary>
    /// 31 limit prices, as many as the sample takes from a batch of 31: 8 at <paramref name="low"/> and 8 at
    /// <paramref name="low"/> + <paramref name="spread"/>, so that the ends of the sample's middle half (the eighth
    /// lowest and the eighth highest) are exactly <paramref name="spread"/> apart, and 15 between.
    /// </summary>
    private static long[] SampledPrices(long low, long spread) =>
        [.. Enumerable.Repeat(low, 8), .. Enumerable.Range(1, 15).Select(k => low + (k * spread / 16)), .. Enumerable.Repeat(low + spread, 8)];

    /// <summary>Books for <see cref="TiesAtTheEdgesOfWindowsAreSettledAsTheOracleSays"/>: limits at start + k × stride.</summary>
    private static Gen<Book> SparseLadders =>
        from levels in Gen.Choose(2, 24)
        from stride in Generators.Between(1L << 20, 1L << 40)
        from start in Generators.Between(1, 1L << 50)
        from count in Gen.Choose(1, 80)
        from orders in Gen.ArrayOf(
            from side in Gen.Elements(Side.Buy, Side.Sell)
            from atMarket in Gen.Frequency((1, Gen.Constant(true)), (7, Gen.Constant(false)))
            from level in Gen.Choose(0, levels - 1)
            from quantity in Gen.Choose(1, 3)
            from key in Gen.Choose(0, 3)
            select Raw(0, side, atMarket ? OrderType.Market : OrderType.Limit, start + (level * stride), quantity, (ulong)key),
            count)
        from rule in Gen.Elements(Rules)
        from reference in Gen.Frequency((1, Gen.Constant<long?>(null)), (3, Generators.Between(start - (stride / 2), start + (levels * stride)).Select(r => (long?)r)))
        select new Book(Market, [.. orders.Select((o, i) => o.WithId((ulong)i + 1))], new ClearingOptions(rule, reference));

    private static ClearingEngine EngineFor(int orders, int bins) =>
        new(Math.Max(1, orders), 1, ClearingEngine.DefaultMinOrdersPerLane, bins);

    private static void AssertClearsAsTheOracleSays(ClearingEngine engine, Order[] book, ClearingOptions options)
    {
        BatchOutcome outcome = Auction.Clear(book, options, engine: engine);
        OracleOutcome expected = Oracle.Clear(Market, book, options);
        Assert.That(outcome.Result, Is.EqualTo(expected.Result), options.ToString());
        Assert.That(outcome.Fills, Is.EqualTo(expected.Fills), options.ToString());
    }

    private static void AssertClearsAtAsTheOracleSays(ClearingEngine engine, Order[] book, long price)
    {
        BatchOutcome outcome = Auction.ClearAt(book, price, engine: engine);
        OracleOutcome expected = Oracle.ClearAt(Market, book, price);
        Assert.That(outcome.Result, Is.EqualTo(expected.Result), $"at {price}");
        Assert.That(outcome.Fills, Is.EqualTo(expected.Fills), $"at {price}");
    }

    private static Property Holds(bool condition, Func<string> description) =>
        condition ? Prop.ToProperty(true) : Prop.Label(false, description());

    private static string FirstDifference(Fill[] actual, Fill[] expected)
    {
        int i = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(k => actual[k] != expected[k], -1);
        return i < 0 ? "fills agree" : $"fill {i}: {actual[i]}, expected {expected[i]}";
    }
}
