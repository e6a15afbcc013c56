using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Perpetuals.PerpetualSetup;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// The liquidation check at its cut-off, through the sorted index (merged at once) and through the list of changed
/// accounts (never merged): 3 lots at an oracle of 1,001 atoms a lot with 5% maintenance is a TMMR of 150.15 atoms, so
/// a TNC of 150 is liquidatable and 151 is not; the key C' / |n| and the threshold then share their integer part, the
/// band the index must check exactly.
/// </summary>
[TestFixture]
public sealed class LiquidationBoundaryTests
{
    private static readonly Address Account = Build.Trader(1);

    [TestCase(3, 2_000, 150, true)]
    [TestCase(3, 2_000, 151, false)]
    [TestCase(-3, 500, 150, true)]
    [TestCase(-3, 500, 151, false)]
    public void OneAtomDecides(long lots, long openedAt, long netCollateralAt1001, bool liquidatable)
    {
        foreach (int mergeAfter in new[] { 0, 4_096 })
        {
            var engine = new PerpetualEngine([Perpetual(market: Build.MarketWith(1, 1, 1_000_000, 1_000_000), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000)])
            {
                MinimumDirtyBeforeMerge = mergeAfter,
            };
            engine.UpdateOracle([openedAt]);
            Open(engine, Account, [lots], netCollateralAt1001 - (lots * 1_001));
            Assert.That(engine.ScanLiquidations().Length, Is.Zero, "healthy where it opened");

            engine.UpdateOracle([1_001]);

            Assert.That(engine.GetNetCollateral(Account), Is.EqualTo((Int128)netCollateralAt1001));
            Assert.That(engine.ScanLiquidations().ToArray().Any(o => o.Account == Account), Is.EqualTo(liquidatable), $"merging after {mergeAfter}");
        }
    }

    [TestCase(0)]
    [TestCase(4_096)]
    public void FundingThatErodesTheCollateralMovesTheCutOff(int mergeAfter)
    {
        // A long with TNC 151 is safe until it pays one atom of funding a lot (3 atoms): then it is at 148.
        var engine = new PerpetualEngine([Perpetual(market: Build.MarketWith(1, 1, 1_000_000, 1_000_000), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000, fundingIntervalBlocks: 1)])
        {
            MinimumDirtyBeforeMerge = mergeAfter,
        };
        engine.UpdateOracle([1_001]);
        Open(engine, Account, [3], 151 - 3_003);
        Assert.That(engine.ScanLiquidations().Length, Is.Zero);

        // A batch a tick above the oracle: rate 999 ppm, 0.999999 atoms a lot, rounded up to 1 for the longs.
        engine.Deposit(Build.Trader(2), 1_000_000);
        Trade(engine, 0, 1_002, Build.Trader(2), Dealer, 1);

        Assert.That(engine.FundingPayments[0].PaidPerLot, Is.EqualTo((Int128)1));
        Assert.That(engine.GetNetCollateral(Account), Is.EqualTo((Int128)148));
        Assert.That(engine.ScanLiquidations().ToArray().Any(o => o.Account == Account), Is.True);
    }
}
