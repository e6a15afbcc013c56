using System.Buffers;
using System.Buffers.Binary;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>Writes an engine's snapshot into a fresh array.</summary>
internal static class EngineSnapshots
{
    public static byte[] Of(PerpetualEngine engine)
    {
        var writer = new ArrayBufferWriter<byte>();
        engine.WriteSnapshot(writer);
        return writer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// <see cref="PerpetualEngine.WriteSnapshot"/> and <see cref="PerpetualEngine.Restore"/>: a restarted keeper loses
/// nothing (the rest of any run is the same, byte for byte), and a corrupt snapshot is refused with
/// <see cref="InvalidDataException"/>, never anything else.
/// </summary>
[TestFixture]
public sealed class PerpetualEngineSnapshotTests
{
    // The format's fixed record sizes (see PerpetualEngine.WriteSnapshot's remarks), to find fields to corrupt.
    private const int Header = 6;
    private const int MarketRecord = 152;
    private const int MarketState = 72;
    private const int PortfolioParameters = 32;
    private const int SeriesRecord = 170;
    private const int ReleasedRecord = 41;

    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property RestoringTheEngineAtAnyBlockOfAnOptionRunGivesTheSameLaterEventsAndState() => Prop.ForAll(Seeds, Arb.From(Gen.Choose(1, 17)), (seed, restoreBefore) =>
    {
        using var uninterrupted = new OptionScenario(seed, shuffle: false);
        using var restarted = new OptionScenario(seed, shuffle: false);
        uninterrupted.Run(16);
        (byte[] written, byte[] restored) = restoreBefore <= 16 ? restarted.Run(16, restoreBefore) : RunThenRestore(restarted);
        bool same = written.AsSpan().SequenceEqual(restored)
            && uninterrupted.Events.SequenceEqual(restarted.Events)
            && uninterrupted.FinalState() == restarted.FinalState()
            && EngineSnapshots.Of(uninterrupted.Engine).AsSpan().SequenceEqual(EngineSnapshots.Of(restarted.Engine))
            && restarted.Violations.Count == 0;
        return same.Label($"seed {seed}, restored before block {restoreBefore}: first difference {uninterrupted.Events.Zip(restarted.Events).FirstOrDefault(p => p.First != p.Second)}; {string.Join("\n", restarted.Violations.Take(3))}");

        static (byte[], byte[]) RunThenRestore(OptionScenario scenario)
        {
            scenario.Run(16);
            return scenario.RestoreEngine();
        }
    });

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property RestoringTheEngineAtAnyBlockOfAPerpetualRunGivesTheSameLaterEventsAndState() => Prop.ForAll(Seeds, Arb.From(Gen.Choose(0, 23)), (seed, restoreBefore) =>
    {
        using var uninterrupted = new PerpetualScenario(seed, shuffle: false);
        using var restarted = new PerpetualScenario(seed, shuffle: false);
        uninterrupted.Run(24);
        (byte[] written, byte[] restored) = restarted.Run(24, restoreBefore);
        bool same = written.AsSpan().SequenceEqual(restored)
            && uninterrupted.Events.SequenceEqual(restarted.Events)
            && uninterrupted.FinalState() == restarted.FinalState()
            && EngineSnapshots.Of(uninterrupted.Engine).AsSpan().SequenceEqual(EngineSnapshots.Of(restarted.Engine))
            && restarted.Violations.Count == 0;
        return same.Label($"seed {seed}, restored before block {restoreBefore}: first difference {uninterrupted.Events.Zip(restarted.Events).FirstOrDefault(p => p.First != p.Second)}; {string.Join("\n", restarted.Violations.Take(3))}");
    });

    [Test]
    public void TheRestoredRunsCrossLiquidationsDeleveragingAndSettlement()
    {
        int liquidations = 0, deleveragings = 0, optionLiquidations = 0, settlements = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            using var perpetuals = new PerpetualScenario(seed, shuffle: false);
            perpetuals.Run(24, restoreBefore: 12);
            liquidations += perpetuals.LiquidationFills;
            deleveragings += perpetuals.Deleveragings;
            using var options = new OptionScenario(seed, shuffle: false);
            options.Run(16, restoreBefore: 8);
            optionLiquidations += options.OptionLiquidations;
            settlements += options.Settlements;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(liquidations, Is.Positive, "liquidation fills");
            Assert.That(deleveragings, Is.Positive, "deleveragings");
            Assert.That(optionLiquidations, Is.Positive, "option liquidations");
            Assert.That(settlements, Is.Positive, "series settlements");
        }
    }

    [Test]
    public void SnapshotsTakenWithReleasedLiquidationsRestoreThem()
    {
        int withReleased = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            for (int blocks = 1; blocks <= 24; blocks += 3)
            {
                using var scenario = new PerpetualScenario(seed, shuffle: false);
                scenario.Run(blocks);
                LiquidationOrder[] before = scenario.Engine.ReleasedLiquidations.ToArray();
                if (before.Length == 0)
                {
                    continue;
                }

                withReleased++;
                scenario.RestoreEngine();
                Assert.That(scenario.Engine.ReleasedLiquidations.ToArray(), Is.EqualTo(before), $"seed {seed} after {blocks} blocks");
            }
        }

        Assert.That(withReleased, Is.Positive, "some snapshots held released liquidation orders");
    }

    [Test]
    public void AFreshEngineRoundTrips()
    {
        var engine = new PerpetualEngine([PerpetualSetup.Perpetual()]);
        byte[] bytes = EngineSnapshots.Of(engine);
        PerpetualEngine restored = PerpetualEngine.Restore(bytes);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(EngineSnapshots.Of(restored), Is.EqualTo(bytes));
            Assert.That(restored.MarketCount, Is.EqualTo(1));
            Assert.That(restored.AccountCount, Is.Zero);
            Assert.That(restored.CurrentBlock, Is.EqualTo(-1));
            Assert.That(restored.GetMarket(0).InitialMarginPpm, Is.EqualTo(engine.GetMarket(0).InitialMarginPpm));
        }
    }

    [Test]
    public void TheSnapshotKeepsTheShortOptionMinimumAndEveryPortfolioParameter()
    {
        using var scenario = new OptionScenario(7, shuffle: false, shortOptionMinimumPpm: 123_456);
        scenario.Run(3);
        PortfolioMarginParameters parameters = scenario.Engine.PortfolioMargin;
        scenario.RestoreEngine();
        Assert.That(scenario.Engine.PortfolioMargin, Is.EqualTo(parameters));
        Assert.That(scenario.Engine.PortfolioMargin.ShortOptionMinimumPpm, Is.EqualTo(123_456));
    }

    [Test]
    public void AWriteInsideABlockIsRefused()
    {
        var engine = new PerpetualEngine([PerpetualSetup.Perpetual()]);
        engine.UpdateOracle([1_000]);
        engine.ApplyFills(0, 1_000, [], []);
        Assert.Throws<InvalidOperationException>(() => engine.WriteSnapshot(new ArrayBufferWriter<byte>()));
        engine.EndBlock();
        Assert.That(PerpetualEngine.Restore(EngineSnapshots.Of(engine)).GetOraclePrice(0), Is.EqualTo(1_000));
    }

    [Test]
    public void EveryTruncationIsRefused()
    {
        byte[] bytes = SmallSnapshot(out _);
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => PerpetualEngine.Restore(bytes.AsSpan(0, length)), $"cut to {length} of {bytes.Length} bytes");
        }
    }

    [Test]
    public void FlippingAnyBitIsRefusedOrRestoresExactlyWhatTheBytesSay()
    {
        byte[] bytes = SmallSnapshot(out _);
        int refused = 0;
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                byte[] corrupt = [.. bytes];
                corrupt[i] ^= mask;
                PerpetualEngine restored;
                try
                {
                    restored = PerpetualEngine.Restore(corrupt);
                }
                catch (InvalidDataException)
                {
                    refused++;
                    continue;
                }

                // A flip the engine accepts is a state it can hold (a token address, an unused funding entry): it
                // writes back exactly the bytes it read.
                Assert.That(EngineSnapshots.Of(restored), Is.EqualTo(corrupt), $"byte {i} ^ {mask:x2}");
            }
        }

        Assert.That(refused, Is.GreaterThan(bytes.Length), "most flips are refused");
    }

    [Test]
    public void AnotherMagicVersionOrTrailingBytesAreRefused()
    {
        byte[] bytes = SmallSnapshot(out _);
        byte[] magic = [.. bytes];
        magic[0] ^= 1;
        byte[] version = [.. bytes];
        BinaryPrimitives.WriteUInt16LittleEndian(version.AsSpan(4), 2);
        byte[] trailing = [.. bytes, 0];
        Assert.Multiple(() =>
        {
            Assert.That(() => PerpetualEngine.Restore(magic), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("magic"));
            Assert.That(() => PerpetualEngine.Restore(version), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("version"));
            Assert.That(() => PerpetualEngine.Restore(trailing), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("follow"));
        });
    }

    [Test]
    public void CountsBeyondTheDataOrOutOfRangeAreRefused()
    {
        byte[] bytes = SmallSnapshot(out PerpetualEngine engine);
        Layout layout = new(engine, bytes.Length);
        foreach (int offset in new[] { Header, layout.SeriesCount, layout.AccountCount, layout.FirstHoldingsCount, layout.ReleasedCount })
        {
            foreach (int count in new[] { -1, int.MinValue, int.MaxValue, bytes.Length })
            {
                byte[] corrupt = [.. bytes];
                BinaryPrimitives.WriteInt32LittleEndian(corrupt.AsSpan(offset), count);
                Assert.Throws<InvalidDataException>(() => PerpetualEngine.Restore(corrupt), $"count {count} at {offset}");
            }
        }

        foreach (int markets in new[] { 0, 65 })
        {
            byte[] corrupt = [.. bytes];
            BinaryPrimitives.WriteInt32LittleEndian(corrupt.AsSpan(Header), markets);
            Assert.Throws<InvalidDataException>(() => PerpetualEngine.Restore(corrupt), $"{markets} markets");
        }
    }

    [Test]
    public void NegativeOrOversizedValuesAreRefused()
    {
        byte[] bytes = SmallSnapshot(out PerpetualEngine engine);
        Layout layout = new(engine, bytes.Length);
        long maxPrice = engine.GetMarket(0).Market.MaxPrice;
        int interval = engine.GetMarket(0).FundingIntervalBlocks;
        (string What, Action<byte[]> Corrupt)[] cases =
        [
            ("an oracle price of 0", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(layout.FirstOracle), 0)),
            ("a negative oracle price", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(layout.FirstOracle), -5)),
            ("an oracle price above the market's maximum", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(layout.FirstOracle), maxPrice + 1)),
            ("negative open interest", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(layout.FirstOracle + 8 + 32), -1)),
            ("open interest off by one", b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(layout.FirstOracle + 8 + 32), engine.GetOpenInterest(0) + 1)),
            ("a full funding interval", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(layout.FirstOracle + MarketState - 4), interval)),
            ("negative cleared blocks", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(layout.FirstOracle + MarketState - 8), -1)),
            ("a liquidation id without its flag", b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(layout.SeriesCount - 8), 5)),
            ("one more quote atom of collateral", b => BinaryPrimitives.WriteInt128LittleEndian(b.AsSpan(layout.FirstCollateral), BinaryPrimitives.ReadInt128LittleEndian(b.AsSpan(layout.FirstCollateral)) + 1)),
            ("a negative volatility", b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(layout.SeriesCount + 4 + SeriesRecord - 32), -0.5)),
            ("a NaN mark", b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(layout.SeriesCount + 4 + SeriesRecord - 16), double.NaN)),
            ("a flag of 2", b => b[layout.FirstOracle - 1] = 2),
            ("a zero tick size", b => BinaryPrimitives.WriteUInt128LittleEndian(b.AsSpan(Header + 4 + 56), UInt128.Zero)),
            ("a maintenance margin above the initial", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(Header + 4 + 88 + 4), 999_999)),
            ("a portfolio price step count of 0", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(Header + 4 + MarketRecord + 4), 0)),
            ("a negative short option minimum", b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(Header + 4 + MarketRecord + 28), -1)),
        ];
        foreach ((string what, Action<byte[]> corrupt) in cases)
        {
            byte[] copy = [.. bytes];
            corrupt(copy);
            Assert.Throws<InvalidDataException>(() => PerpetualEngine.Restore(copy), what);
        }
    }

    [Test]
    public void AWarmSnapshotWriteAllocatesOnlyWhatTheBufferWriterGives()
    {
        using var scenario = new OptionScenario(11, shuffle: false);
        scenario.Run(10);
        var writer = new ArrayBufferWriter<byte>(1 << 16);
        scenario.Engine.WriteSnapshot(writer);
        int size = writer.WrittenCount;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            writer.ResetWrittenCount();
            scenario.Engine.WriteSnapshot(writer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(writer.WrittenCount, Is.EqualTo(size));
    }

    /// <summary>
    /// An option run's snapshot a few blocks in, from the first seed whose accounts hold perpetual and option positions:
    /// one perpetual, four series, a few kilobytes.
    /// </summary>
    private static byte[] SmallSnapshot(out PerpetualEngine engine)
    {
        for (int seed = 0; ; seed++)
        {
            using var scenario = new OptionScenario(seed, shuffle: false);
            scenario.Run(5);
            engine = scenario.Engine;
            if (engine.GetOpenInterest(0) > 0 && engine.GetSeriesOpenInterest(engine.MarketCount + 3) > 0)
            {
                return EngineSnapshots.Of(engine);
            }
        }
    }

    /// <summary>Where the fields this test corrupts start, from the format's record sizes.</summary>
    private readonly struct Layout(PerpetualEngine engine, int length)
    {
        public int FirstOracle { get; } = Header + 4 + (MarketRecord * engine.MarketCount) + PortfolioParameters + 1;

        public int SeriesCount => FirstOracle + (MarketState * engine.MarketCount) + 17 + 48 + 8;

        public int AccountCount => SeriesCount + 4 + (SeriesRecord * engine.SeriesCount);

        public int FirstCollateral => AccountCount + 4 + 20;

        public int FirstHoldingsCount => FirstCollateral + 16 + (40 * engine.MarketCount);

        public int ReleasedCount { get; } = length - 4 - (ReleasedRecord * engine.ReleasedLiquidations.Length);
    }
}
