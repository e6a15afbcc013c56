using System.Numerics;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static AuctionEngine.Tests.Venue.VenueHarness;

namespace AuctionEngine.Tests.Venue;

/// <summary>The venue's volatility interruption: each band at its edges, extension chains, and the static-inside rule.</summary>
[TestFixture]
public sealed class CircuitBreakerTests
{
    [Test]
    public void SettingsRefuseOutOfRangeBandsAndExtensions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CircuitBreakerSettings(-1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CircuitBreakerSettings(0, CircuitBreakerSettings.MaxBandBps + 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CircuitBreakerSettings(100, 100, 0));
        Assert.DoesNotThrow(() => _ = new CircuitBreakerSettings(CircuitBreakerSettings.MaxBandBps, 0, 1));
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property IsInsideIsTheExactRationalBandEdgesIncluded() => Prop.ForAll(
        Arb.From(from reference in Gen.Choose(1, 2_000_000)
                 from bps in Gen.Choose(0, CircuitBreakerSettings.MaxBandBps)
                 from offset in Gen.Choose(-3, 3)
                 from upper in Gen.Elements(true, false)
                 select (reference, bps, offset, upper)),
        t =>
        {
            // Probe around each edge: the exact edge's floor and ceiling, and a few ticks either side.
            BigInteger edge = t.upper ? (BigInteger)t.reference * (10_000 + t.bps) : (BigInteger)t.reference * (10_000 - t.bps);
            long price = Math.Max(1, (long)(edge / 10_000) + t.offset);
            bool expected = (BigInteger)price * 10_000 >= (BigInteger)t.reference * (10_000 - t.bps)
                && (BigInteger)price * 10_000 <= (BigInteger)t.reference * (10_000 + t.bps);
            return CircuitBreakerSettings.IsInside(price, t.reference, t.bps) == expected;
        });

    [TestCase(10_000, 100, 10_100, true)]
    [TestCase(10_000, 100, 10_101, false)]
    [TestCase(10_000, 100, 9_900, true)]
    [TestCase(10_000, 100, 9_899, false)]
    [TestCase(1_001, 100, 1_011, true)]  // upper edge 1,011.01: its floor is inside
    [TestCase(1_001, 100, 1_012, false)]
    [TestCase(1_001, 100, 991, true)]    // lower edge 990.99: its ceiling is inside
    [TestCase(1_001, 100, 990, false)]
    public void TheDynamicBandIsInclusiveAtEachEdge(long last, int bps, long price, bool clears)
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(bps, 0, 2));
        harness.Block(1, null, CrossAt(last));
        List<VenueEvent> events = harness.Block(2, null, CrossAt(price));
        if (clears)
        {
            Assert.That(events.OfKind(VenueEventKind.Cleared).Single().Price, Is.EqualTo(price));
            Assert.That(events.OfKind(VenueEventKind.Interrupted), Is.Empty);
        }
        else
        {
            VenueEvent interrupted = events.OfKind(VenueEventKind.Interrupted).Single();
            Assert.That((interrupted.Price, interrupted.Band, interrupted.Batch, interrupted.Until), Is.EqualTo((price, CircuitBand.Dynamic, 2L, 4L)));
            Assert.That(events.OfKind(VenueEventKind.Cleared), Is.Empty);
        }
    }

    [TestCase(10_000, 250, 10_250, true)]
    [TestCase(10_000, 250, 10_251, false)]
    [TestCase(10_000, 250, 9_750, true)]
    [TestCase(10_000, 250, 9_749, false)]
    public void TheStaticBandIsInclusiveAtEachEdge(long oracle, int bps, long price, bool clears)
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(0, bps, 3));
        List<VenueEvent> events = harness.Block(1, oracle, CrossAt(price));
        Assert.That(events.OfKind(VenueEventKind.Cleared).Count(), Is.EqualTo(clears ? 1 : 0));
        if (!clears)
        {
            VenueEvent interrupted = events.OfKind(VenueEventKind.Interrupted).Single();
            Assert.That((interrupted.Band, interrupted.Until), Is.EqualTo((CircuitBand.Static, 4L)));
        }
    }

    [Test]
    public void BandsAreOffWithoutTheirReference()
    {
        // No clearing yet: no dynamic check; no usable oracle (published 5 blocks ago, max age 3): no static check.
        var harness = new VenueHarness(new CircuitBreakerSettings(1, 1, 2));
        Assert.That(harness.Block(10, 100, CrossAt(1_000), publishedBlock: 5).OfKind(VenueEventKind.Cleared).Single().Price, Is.EqualTo(1_000));
    }

    [Test]
    public void AnInterruptedBatchWaitsWithTheBlocksBeforeItsEndAndClearsThemAllTogether()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 0, 3));
        harness.Block(1, null, CrossAt(1_000));
        Order[] interrupted = CrossAt(2_000);
        Assert.That(harness.Block(2, null, interrupted).OfKind(VenueEventKind.Interrupted).Single().Until, Is.EqualTo(5));
        Order[] third = [Buy(2_000, 2)];
        Order[] fourth = [Sell(1_990, 2)];
        Assert.That(harness.Block(3, null, third).Where(e => e.Kind != VenueEventKind.Management), Is.Empty);
        Assert.That(harness.Block(4, null, fourth).Where(e => e.Kind != VenueEventKind.Management), Is.Empty);
        Assert.That(harness.Venue.WaitingOrders, Is.EqualTo(4));

        // At 5 the extended batch has no static band to answer to and clears even outside the dynamic band.
        List<VenueEvent> events = harness.Block(5, null);
        VenueEvent cleared = events.OfKind(VenueEventKind.Cleared).Single();
        Assert.That((cleared.Batch, cleared.FirstBatch, cleared.Volume), Is.EqualTo((5L, 2L, (UInt128)3)));
        Assert.That(
            events.OfKind(VenueEventKind.Fill).Select(e => (e.OrderId, e.Batch, e.Quantity)),
            Is.EquivalentTo(new[] { (interrupted[0].Id, 2L, 1L), (interrupted[1].Id, 2L, 1L), (third[0].Id, 3L, 2L), (fourth[0].Id, 4L, 2L) }));
        Assert.That(harness.Venue.WaitingOrders, Is.Zero);
        Assert.That(harness.Venue.InterruptedUntil, Is.Null);
    }

    [Test]
    public void AnExtendedBatchInsideTheStaticBandClearsEvenOutsideTheDynamicBand()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 1_000, 2));
        harness.Block(1, 1_000, CrossAt(1_000));
        VenueEvent interrupted = harness.Block(2, 1_050, CrossAt(1_050)).OfKind(VenueEventKind.Interrupted).Single();
        Assert.That((interrupted.Band, interrupted.Until), Is.EqualTo((CircuitBand.Dynamic, 4L)));
        harness.Block(3, 1_050);
        VenueEvent cleared = harness.Block(4, 1_050).OfKind(VenueEventKind.Cleared).Single();
        Assert.That((cleared.Price, cleared.FirstBatch), Is.EqualTo((1_050L, 2L)));
        Assert.That(harness.Venue.LastClearingPrice, Is.EqualTo(1_050));
    }

    [Test]
    public void AnExtendedBatchOutsideTheStaticBandIsExtendedAgainUntilTheOracleComesToIt()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(0, 500, 2));
        Order[] orders = CrossAt(1_200);
        Assert.That(harness.Block(1, 1_000, orders).OfKind(VenueEventKind.Interrupted).Single().Until, Is.EqualTo(3));
        harness.Block(2, 1_000);
        VenueEvent again = harness.Block(3, 1_000).OfKind(VenueEventKind.Interrupted).Single();
        Assert.That((again.Batch, again.FirstBatch, again.Band, again.Until), Is.EqualTo((3L, 1L, CircuitBand.Static, 5L)));
        harness.Block(4, 1_100);
        // 1,200 is within 5 % of 1,150 (1,092.5 .. 1,207.5): the chain ends.
        List<VenueEvent> events = harness.Block(5, 1_150);
        Assert.That(events.OfKind(VenueEventKind.Cleared).Single().FirstBatch, Is.EqualTo(1));
        Assert.That(events.OfKind(VenueEventKind.Fill).Select(e => e.OrderId), Is.EquivalentTo(orders.Select(o => o.Id)));
    }

    [Test]
    public void AManagerOrderInAnInterruptedBatchWaitsAndItsInstructionReleasesNothingNew()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 0, 2));
        AuctionEngine.Signing.Instruction limit = ManagerHarness.Limit(3, Side.Buy, 2_000, 5);
        harness.Block(1, 1_000, CrossAt(1_000), [limit]);
        Assert.That(harness.Venue.Manager.ReleasedOrders(2).Length, Is.EqualTo(1));

        // Batch 2 would clear at 2,000 (the released buy against a sell), 100 % away from 1,000: interrupted until 4.
        harness.Block(2, 1_000, [Sell(2_000, 3)]);
        harness.Block(3, 1_000);
        Assert.That(harness.Events.Where(e => e.Block == 3).Managed(ManagementEventKind.Released), Is.Empty);
        List<VenueEvent> events = harness.Block(4, 1_000);
        ManagementEvent fill = events.Managed(ManagementEventKind.Fill).Single();
        Assert.That((fill.Batch, fill.Quantity, fill.Price), Is.EqualTo((2L, 3L, 2_000L)));
        Assert.That(events.Managed(ManagementEventKind.Released).Single().Quantity, Is.EqualTo(2));
    }

    [Test]
    public void ASourceHearsOfEachOrderOnceWhenItsBatchFinallyClears()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(0, 100, 2));
        var source = new RecordingSource(batch => batch <= 3 ? [Buy(1_500), Sell(1_500)] : []);
        Assert.That(harness.Venue.AddSource(source), Is.Zero);
        harness.Block(1, 1_000);
        harness.Block(2, 1_000);
        Assert.That(source.Done, Is.Empty);
        harness.Block(3, 1_500);
        Assert.That(source.Done.Select(d => d.Order.Id), Is.EquivalentTo(source.Listed.Select(l => l.Order.Id)));
        Assert.That(source.Done.All(d => d.Block == 3 && d.Price == 1_500 && d.Fill.FilledQuantity == 1), Is.True);
        Assert.That(harness.Events.OfKind(VenueEventKind.Fill).All(e => e.Source == 0), Is.True);
    }

    [Test]
    public void ABatchWithNoPriceReportsItAndEndsItsOrders()
    {
        var harness = new VenueHarness(new CircuitBreakerSettings(100, 100, 1));
        VenueEvent notCleared = harness.Block(1, 1_000, [Buy(900), Sell(1_100)]).OfKind(VenueEventKind.NotCleared).Single();
        Assert.That(notCleared.Status, Is.EqualTo(AuctionEngine.Clearing.ClearingStatus.NothingExecutable));
        Assert.That(harness.Venue.WaitingOrders, Is.Zero);
    }

    [Test]
    public void ARefusedHostOrderIsReportedWithItsReason()
    {
        var harness = new VenueHarness(CircuitBreakerSettings.Off);
        Order bad = Buy(1_000, quantity: 0);
        VenueEvent rejected = harness.Block(1, null, [bad, .. CrossAt(1_000)]).OfKind(VenueEventKind.OrderRejected).Single();
        Assert.That((rejected.OrderId, rejected.Rejection), Is.EqualTo((bad.Id, AuctionEngine.Clearing.RejectReason.QuantityNotPositive)));
    }

    [Test]
    public void ABlockMustFollowTheLastAndABadOracleChangesNothing()
    {
        var harness = new VenueHarness(CircuitBreakerSettings.Off);
        harness.Block(5, 1_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => harness.Block(5, 1_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => harness.Block(6, 0, CrossAt(1_000)));
        Assert.That(harness.Venue.LastBlock, Is.EqualTo(5));
        Assert.That(harness.Block(6, 1_000, CrossAt(1_000)).OfKind(VenueEventKind.Cleared).Count(), Is.EqualTo(1));
    }
}
