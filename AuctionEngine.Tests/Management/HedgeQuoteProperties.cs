using System.Numerics;
using AuctionEngine.Management;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using static AuctionEngine.Tests.Management.ManagerHarness;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// Invariants of delta hedges and quotes over their whole parameter ranges: the half-spread against an independent
/// big-integer computation (never an overflow, never narrower than signed), hedges against the rule computed apart,
/// snapshots that restore to the same bytes and events, and submissions whose order never matters.
/// </summary>
public sealed class HedgeQuoteProperties
{
    private const long MaxSupported = OrderManagerSettings.MaxSupportedPrice;

    private static readonly Gen<long> AnyLong = Gen.Frequency(
        (2, Gen.Elements(long.MinValue, long.MinValue + 1, -1L, 0L, 1L, long.MaxValue - 1, long.MaxValue)),
        (2, Gen.Choose(-1_000, 1_000).Select(v => (long)v)),
        (4, ArbMap.Default.GeneratorFor<long>()));

    private static Gen<long> Between(long low, long high) => Gen.Frequency(
        (2, Gen.Elements(low, low + 1, high - 1, high).Where(v => v >= low && v <= high)),
        (3, ArbMap.Default.GeneratorFor<ulong>().Select(v => low + (long)(v % ((ulong)(high - low) + 1)))),
        (2, Gen.Choose(0, 1_000).Select(v => Math.Min(low + v, high))));

    private static readonly Gen<int> UInt16 = Gen.Frequency((2, Gen.Elements(0, 1, 9_999, 10_000, 65_534, 65_535)), (3, Gen.Choose(0, 65_535)));

    private static readonly Gen<(long Fair, long Cap, ExposureTerms Terms, long Vega, long Delta)> SpreadInputs =
        from cap in Gen.Frequency((1, Gen.Constant(MaxSupported)), (1, Between(1, MaxSupported)))
        from fair in Between(1, cap)
        from half in UInt16
        from min in Between(0, cap)
        from vegaBps in UInt16
        from vegaUnit in Between(1, long.MaxValue)
        from deltaBps in UInt16
        from deltaUnit in Between(1, long.MaxValue)
        from vega in AnyLong
        from delta in AnyLong
        select (fair, cap, new ExposureTerms
        {
            HalfSpreadBps = half, MinHalfSpread = min, VegaSpreadBps = vegaBps, VegaUnit = vegaUnit, DeltaSpreadBps = deltaBps, DeltaUnit = deltaUnit,
        }, vega, delta);

    [FsCheck.NUnit.Property(MaxTest = 3_000)]
    public Property TheHalfSpreadIsTheExactRoundedUpFormulaCappedAtTheMaximumPrice() => Prop.ForAll(Arb.From(SpreadInputs), input =>
    {
        (long fair, long cap, ExposureTerms terms, long vega, long delta) = input;
        long actual = QuoteSpread.HalfSpread(fair, terms, vega, delta, cap);
        return actual == (long)BigInteger.Min(ReferenceHalfSpread(fair, terms, vega, delta), cap);
    });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property AQuotesPricesAreTheReferenceHalfSpreadAroundTheOracleAndNeverNarrowerThanSigned() => Prop.ForAll(Arb.From(
        from input in SpreadInputs.Where(i => i.Cap == MaxSupported)
        from quantity in Between(1, 1_000_000)
        select (input, quantity)), sample =>
    {
        ((long fair, _, ExposureTerms terms, long vega, long delta), long quantity) = sample;
        var market = Build.MarketWith(UInt128.One, UInt128.One, MaxSupported, maxOrderQuantity: 1_000_000_000);
        var harness = new ManagerHarness(new OrderManagerSettings(market, MarketAddress, 16, 16, 16, 16));
        Instruction quote = Instruction.Quote(Trader(1), MarketAddress, 0, 0, quantity, terms.HalfSpreadBps, terms.MinHalfSpread, terms.VegaSpreadBps, terms.VegaUnit,
            terms.DeltaSpreadBps, terms.DeltaUnit, 0);
        harness.AfterFills = (block, manager) => manager.UpdateExposure(block, Trader(1), delta, vega);
        ManagementEvent[] released = [.. harness.Block(1, fair, [quote]).OfKind(ManagementEventKind.Released)];

        BigInteger h = ReferenceHalfSpread(fair, terms, vega, delta);
        BigInteger signed = BigInteger.Max(terms.MinHalfSpread, CeilDiv((BigInteger)fair * terms.HalfSpreadBps, 10_000));
        var expected = new List<(LegRole, Side, long)>();
        if (fair - h >= 1)
        {
            expected.Add((LegRole.Bid, Side.Buy, (long)(fair - h)));
        }

        if (fair + h <= MaxSupported)
        {
            expected.Add((LegRole.Ask, Side.Sell, (long)(fair + h)));
        }

        return released.Select(e => (e.Role, e.Side, e.Price)).SequenceEqual(expected)
            && released.All(e => e.Quantity == quantity && BigInteger.Abs(e.Price - fair) >= signed);
    });

    [FsCheck.NUnit.Property(MaxTest = 1_000)]
    public Property AHedgeReleasesOnlyBeyondItsBandTowardsTheTargetSizedAndPricedByTheRule() => Prop.ForAll(Arb.From(
        from target in AnyLong
        from near in Gen.Frequency((1, Gen.Constant(false)), (2, Gen.Constant(true)))
        from raw in near ? Gen.Choose(-12, 12).Select(offset => (long)offset) : AnyLong
        from band in Gen.Frequency((2, Between(0, 12)), (1, Between(0, long.MaxValue)))
        from maxQuantity in Gen.Frequency((2, Between(1, 14)), (1, Between(1, 1_000_000_000)))
        from tolerance in Between(0, 10_000)
        from oracle in Between(1, MaxPrice)
        select (target, near ? (long)Int128.Clamp((Int128)target + raw, long.MinValue, long.MaxValue) : raw, band, maxQuantity, (int)tolerance, oracle)), sample =>
    {
        // Half the deltas are within 12 of the target, where the band's and the maximum quantity's cut-offs are.
        (long target, long delta, long band, long maxQuantity, int tolerance, long oracle) = sample;

        var harness = new ManagerHarness();
        harness.AfterFills = (block, manager) => manager.UpdateExposure(block, Trader(1), delta, 0);
        ManagementEvent[] released = [.. harness.Block(1, oracle, [Hedge(1, target, band, maxQuantity, tolerance)]).OfKind(ManagementEventKind.Released)];
        BigInteger deviation = (BigInteger)delta - target;
        if (BigInteger.Abs(deviation) <= band)
        {
            return released.Length == 0;
        }

        Side side = deviation > 0 ? Side.Sell : Side.Buy;
        return released.Length == 1 && released[0].Side == side && released[0].Quantity == (long)BigInteger.Min(BigInteger.Abs(deviation), maxQuantity)
            && released[0].Price == HedgeQuoteTests.Against(side, oracle, tolerance) && released[0].Role == LegRole.Hedge;
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property ASnapshotAtAnyBlockRestoresToTheSameBytesAndTheSameLaterEvents() => Prop.ForAll(Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from cut in Gen.Choose(1, 14)
        select (seed, cut)), sample =>
    {
        (int seed, int cut) = sample;
        var world = new ExposureWorld(seed);
        var original = world.NewHarness();
        for (long block = 1; block <= cut; block++)
        {
            world.RunBlock(original, block);
        }

        byte[] snapshot = original.Snapshot();
        var restored = world.NewHarness();
        restored.RestoreFrom(snapshot);
        if (!restored.Snapshot().AsSpan().SequenceEqual(snapshot))
        {
            return false;
        }

        // Exposures and positions are the venue's, not the snapshot's: the host states them again after a restore.
        for (int trader = 1; trader <= 4; trader++)
        {
            if (original.Manager.GetExposure(Trader(trader)) is { } exposure)
            {
                restored.Manager.UpdateExposure(cut + 1, Trader(trader), exposure.Delta, exposure.Vega);
            }

            if (original.Manager.GetPosition(Trader(trader)) is { } position)
            {
                restored.Manager.UpdatePosition(cut + 1, Trader(trader), position);
            }
        }

        for (long block = cut + 1; block <= 16; block++)
        {
            List<ManagementEvent> expected = world.RunBlock(original, block);
            List<ManagementEvent> actual = world.RunBlock(restored, block);
            if (!expected.SequenceEqual(actual) || !original.Snapshot().AsSpan().SequenceEqual(restored.Snapshot()))
            {
                return false;
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property ShuffledSubmissionsGiveIdenticalEvents() => Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
    {
        var world = new ExposureWorld(seed);
        var inOrder = world.NewHarness();
        var shuffled = world.NewHarness();
        for (long block = 1; block <= 12; block++)
        {
            if (!world.RunBlock(inOrder, block).SequenceEqual(world.RunBlock(shuffled, block, shuffle: new Random(seed ^ (int)block))))
            {
                return false;
            }
        }

        return true;
    });

    private static BigInteger ReferenceHalfSpread(long fair, in ExposureTerms terms, long vega, long delta)
    {
        BigInteger f = fair;
        BigInteger signed = BigInteger.Max(terms.MinHalfSpread, CeilDiv(f * terms.HalfSpreadBps, 10_000));
        BigInteger numerator = f * (((BigInteger)terms.VegaSpreadBps * BigInteger.Abs(vega) * terms.DeltaUnit) + ((BigInteger)terms.DeltaSpreadBps * BigInteger.Abs(delta) * terms.VegaUnit));
        return signed + CeilDiv(numerator, (BigInteger)10_000 * terms.VegaUnit * terms.DeltaUnit);
    }

    private static BigInteger CeilDiv(BigInteger numerator, BigInteger denominator) => (numerator + denominator - 1) / denominator;

    /// <summary>
    /// A random market of hedgers and quoters: instructions arriving and being cancelled, exposures and positions moving,
    /// some batches filling, an oracle that sometimes goes stale. Every block's inputs are a function of the seed only.
    /// </summary>
    private sealed class ExposureWorld(int seed)
    {
        public ManagerHarness NewHarness()
        {
            var harness = new ManagerHarness(maxInstructions: 64, maxReleasesPerBatch: 12, maxPerTrader: 16, maxReleasesPerTrader: 4)
            {
                FillRule = (block, order) => (long)(order.Order.Id % 3) * order.Order.Quantity / 2,
            };
            harness.AfterFills = (block, manager) =>
            {
                var random = new Random(HashCode.Combine(seed, block, 1));
                for (int trader = 1; trader <= 4; trader++)
                {
                    if (random.Next(4) != 0)
                    {
                        manager.UpdateExposure(block, Trader(trader), random.Next(-200, 200), random.Next(-5_000, 5_000));
                    }

                    if (random.Next(3) == 0)
                    {
                        manager.UpdatePosition(block, Trader(trader), random.Next(-6, 7));
                    }
                }
            };
            return harness;
        }

        public List<ManagementEvent> RunBlock(ManagerHarness harness, long block, Random? shuffle = null)
        {
            var random = new Random(HashCode.Combine(seed, block, 2));
            var instructions = new List<Instruction>();
            for (int i = random.Next(4); i > 0; i--)
            {
                int trader = random.Next(1, 5);
                int nonce = random.Next(1_000_000);
                instructions.Add(random.Next(2) == 0
                    ? Hedge(trader, random.Next(-50, 50), random.Next(0, 20), random.Next(1, 40), random.Next(0, 300), expiry: random.Next(3) == 0 ? block + random.Next(5) : 0, nonce: nonce)
                    : Quote(trader, random.Next(1, 9), random.Next(0, 500), random.Next(0, 30), random.Next(0, 100), random.Next(1, 2_000), random.Next(0, 100),
                        random.Next(1, 100), random.Next(0, 8), expiry: random.Next(3) == 0 ? block + random.Next(5) : 0, nonce: nonce));
            }

            // Both harnesses of a property run the same block through one world: only earlier blocks' arrivals are candidates.
            Instruction[] earlier = [.. _arrivals.Where(a => a.Block < block && a.Instruction.Trader == Trader(random.Next(1, 5))).Select(a => a.Instruction)];
            if (block > 3 && random.Next(3) == 0 && earlier.Length > 0)
            {
                // Cancels one of its earlier instructions (it may have ended already: then the cancellation is refused).
                Instruction target = earlier[random.Next(earlier.Length)];
                harness.Manager.SubmitVerified(block, [Cancel(TraderNumber(target.Trader), target)], Order(instructions, shuffle));
            }
            else
            {
                harness.Manager.SubmitVerified(block, [], Order(instructions, shuffle));
            }

            foreach (Instruction instruction in instructions)
            {
                if (!_arrivals.Contains((block, instruction)))
                {
                    _arrivals.Add((block, instruction));
                }
            }

            long? oracle = random.Next(6) == 0 ? null : 5_000 + random.Next(-300, 300);
            harness.ClearAndEvaluate(block, oracle is { } price ? new OracleObservation(price, block) : null);
            return harness.Flush();
        }

        private readonly List<(long Block, Instruction Instruction)> _arrivals = [];

        private static Instruction[] Order(List<Instruction> instructions, Random? shuffle)
        {
            Instruction[] array = [.. instructions];
            shuffle?.Shuffle(array);
            return array;
        }

        private static int TraderNumber(Address trader) => Enumerable.Range(1, 4).First(n => Trader(n) == trader);
    }
}
