using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Perpetuals.PerpetualSetup;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// The fillable prices of dYdX v4's published cases (protocol/x/clob/keeper/liquidations_test.go, TestGetFillablePrice):
/// BTC at $50,000 with 20% initial and 10% maintenance margin, the default liquidation configuration (BA 1,000,000 ppm,
/// SMMR 100,000 ppm) unless a case changes it. In these units a dollar price P is 100 × P ticks, 0.1 BTC is 100 lots,
/// and a dollar is 10^6 quote atoms.
/// </summary>
[TestFixture]
public sealed class DydxFillablePriceTests
{
    private const long Btc = 5_000_000;   // $50,000
    private const long Eth = 300_000;     // $3,000
    private const long Dollar = 1_000_000;
    private static readonly Address Account = Build.Trader(1);

    [TestCase(-4_501, 100, 1_000_000, 100_000, 4_999_900, TestName = "A long slightly below maintenance: $49,999")]
    [TestCase(-4_501, 100, 2_000_000, 100_000, 4_999_800, TestName = "A long with BA 2,000,000: $49,998")]
    [TestCase(-4_501, 100, 1_000_000, 200_000, 4_999_800, TestName = "A long with SMMR 200,000: $49,998")]
    [TestCase(5_499, -100, 1_000_000, 100_000, 5_000_100, TestName = "A short slightly below maintenance: $50,001")]
    [TestCase(5_499, -100, 2_000_000, 100_000, 5_000_200, TestName = "A short with BA 2,000,000: $50,002")]
    [TestCase(5_499, -100, 1_000_000, 200_000, 5_000_200, TestName = "A short with SMMR 200,000: $50,002")]
    [TestCase(-5_000, 100, 1_000_000, 100_000, 4_950_000, TestName = "A long at the bankruptcy price: $49,500")]
    [TestCase(5_000, -100, 1_000_000, 100_000, 5_050_000, TestName = "A short at the bankruptcy price: $50,500")]
    [TestCase(-5_500, 100, 1_000_000, 100_000, 4_950_000, TestName = "A long below the bankruptcy price: $49,500")]
    [TestCase(4_500, -100, 1_000_000, 100_000, 5_050_000, TestName = "A short below the bankruptcy price: $50,500")]
    [TestCase(-4_501, 100, uint.MaxValue, 100_000, 4_950_000, TestName = "BA at the largest uint32: $49,500")]
    [TestCase(-4_501, 100, 1_000_000, 1_000_000, 4_999_000, TestName = "SMMR 1,000,000: $49,990")]
    public void OneBitcoinPosition(long collateralDollars, long lots, long bankruptcyAdjustmentPpm, int spreadPpm, long expectedTicks)
    {
        var engine = new PerpetualEngine([Perpetual(bankruptcyAdjustmentPpm: bankruptcyAdjustmentPpm, spreadToMaintenanceMarginRatioPpm: spreadPpm)]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [lots], collateralDollars * Dollar);

        LiquidationOrder order = engine.ScanLiquidations().ToArray().Single(o => o.Account == Account);

        Assert.That(order.LimitPrice, Is.EqualTo(expectedTicks));
        Assert.That(order.Side, Is.EqualTo(lots > 0 ? Side.Sell : Side.Buy));
    }

    [Test]
    public void SmmrOfOnePpmRoundsAgainstTheLongToTheTickBelow()
    {
        // dYdX's exact price is $49,999.99999 (4,999,999.999 ticks); a sell limit rounds down, against the account.
        var engine = new PerpetualEngine([Perpetual(spreadToMaintenanceMarginRatioPpm: 1)]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [100], -4_501 * Dollar);

        Assert.That(engine.ScanLiquidations().ToArray().Single(o => o.Account == Account).LimitPrice, Is.EqualTo(4_999_999));
    }

    [Test]
    public void SmmrOfOnePpmRoundsAgainstTheShortToTheTickAbove()
    {
        var engine = new PerpetualEngine([Perpetual(spreadToMaintenanceMarginRatioPpm: 1)]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [-100], 5_499 * Dollar);

        Assert.That(engine.ScanLiquidations().ToArray().Single(o => o.Account == Account).LimitPrice, Is.EqualTo(5_000_001));
    }

    [Test]
    public void SeveralLongsPriceTheEtherPositionAt2976()
    {
        // 0.004 BTC and 0.1 ETH long with -$490: TNC $10, TMMR $50, ABR 0.8, FP = (300 − 0.8 × 0.1 × 30) / 0.1 = $2,976.
        var engine = new PerpetualEngine([Perpetual(), Perpetual()]);
        engine.UpdateOracle([Btc, Eth]);
        Open(engine, Account, [4, 100], -490 * Dollar);

        LiquidationOrder ether = engine.ScanLiquidations().ToArray().Single(o => o.Account == Account && o.MarketIndex == 1);

        Assert.That(ether.LimitPrice, Is.EqualTo(297_600));
    }

    [Test]
    public void BankruptcyPriceOfAPositionAtBankruptcyIsTheOracle()
    {
        // TNC = 0: the bankruptcy quote of any part is its notional at the oracle.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [100], -5_000 * Dollar);

        Assert.That(engine.ScanLiquidations().ToArray().Single(o => o.Account == Account).BankruptcyPrice, Is.EqualTo(Btc));
    }

    [Test]
    public void BankruptcyPriceOfALongWithNetCollateralIsBelowTheOracleByItsShare()
    {
        // TNC $499, TMMR $500; closing 20 lots (10%, the $1,000 minimum = 20 lots) frees $100 of TMMR: the account may
        // receive $1,000 − 499 × 100 / 500 = $900.2 for them, $45,010 a BTC.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [100], -4_501 * Dollar);

        LiquidationOrder order = engine.ScanLiquidations().ToArray().Single(o => o.Account == Account);

        Assert.That(order.Quantity, Is.EqualTo(20));
        Assert.That(order.BankruptcyPrice, Is.EqualTo(4_501_000));
    }

    [Test]
    public void TheFirstCase10To15TimesLargerTakesTheWidePathAndGivesTheSamePrices()
    {
        // Every quote amount × 10^15: the products behind ABR and the bankruptcy quote pass 2^126, so the engine
        // computes them in BigInteger; the prices in ticks must not change.
        const long Scale = 1_000_000_000_000_000;
        var market = Build.MarketWith(lotSize: 1, tickSize: 10 * (UInt128)Scale, maxPrice: 10_000_000, maxOrderQuantity: 1_000_000);
        var engine = new PerpetualEngine([Perpetual(market: market, maxPosition: 1_000, minPositionNotionalLiquidated: 1_000_000_000 * (UInt128)Scale)]);
        engine.UpdateOracle([Btc]);
        Open(engine, Account, [100], (Int128)(-4_501 * Dollar) * Scale);

        LiquidationOrder order = engine.ScanLiquidations().ToArray().Single(o => o.Account == Account);

        Assert.That((order.Quantity, order.LimitPrice, order.BankruptcyPrice), Is.EqualTo((20L, 4_999_900L, 4_501_000L)));
    }
}
