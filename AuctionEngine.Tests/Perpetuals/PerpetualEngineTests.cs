using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Perpetuals.PerpetualSetup;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>The engine's rules at and around each cut-off, in dYdX's units (<see cref="PerpetualSetup.DydxUnits"/>).</summary>
[TestFixture]
public sealed class PerpetualEngineTests
{
    private const long Btc = 5_000_000;
    private const long Dollar = 1_000_000;
    private static readonly Address Alice = Build.Trader(1);
    private static readonly Address Bob = Build.Trader(2);

    [Test]
    public void MaintenanceAtOrAboveInitialIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Perpetual(initialMarginPpm: 100_000, maintenanceMarginPpm: 100_000));
        Assert.DoesNotThrow(() => Perpetual(initialMarginPpm: 100_000, maintenanceMarginPpm: 99_999));
    }

    [Test]
    public void AMarketWhoseLargestNotionalPasses2To96IsRefused()
    {
        // maxPrice × tickSize = 10^13 atoms a lot: 2^96 / 10^13 ≈ 7.9 × 10^15 lots is the largest position.
        Assert.Throws<ArgumentOutOfRangeException>(() => Perpetual(maxPosition: 8_000_000_000_000_000, market: Build.MarketWith(1, 10, 1_000_000_000_000, 1L << 62)));
        Assert.DoesNotThrow(() => Perpetual(maxPosition: 7_900_000_000_000_000, market: Build.MarketWith(1, 10, 1_000_000_000_000, 1L << 62)));
    }

    [TestCase(Btc, 1_000_000_000, AdmissionStatus.Admitted, TestName = "A buy at the oracle with exactly its initial margin is admitted")]
    [TestCase(Btc, 999_999_999, AdmissionStatus.InsufficientMargin, TestName = "A buy at the oracle one atom short is refused")]
    [TestCase(Btc + 1, 1_000_001_000, AdmissionStatus.Admitted, TestName = "A buy a tick above the oracle also needs the tick's loss")]
    [TestCase(Btc + 1, 1_000_000_999, AdmissionStatus.InsufficientMargin, TestName = "A buy a tick above the oracle one atom short is refused")]
    [TestCase(Btc - 1, 1_000_000_000, AdmissionStatus.Admitted, TestName = "A buy below the oracle gets no credit for its gain")]
    public void AnOrderNeedsItsInitialMarginInItsWorstCase(long limit, long deposit, AdmissionStatus expected)
    {
        // 100 lots at $50,000 is $5,000 of notional; 20% of it is $1,000 = 10^9 atoms.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, (UInt128)deposit);
        var results = new OrderAdmission[1];

        engine.Admit([new PerpetualOrder(0, Order.Limit(1, Alice, Side.Buy, limit, 100, 0), ReduceOnly: false)], results);

        Assert.That(results[0].Status, Is.EqualTo(expected));
        Assert.That(results[0].Quantity, Is.EqualTo(expected == AdmissionStatus.Admitted ? 100 : 0));
    }

    [Test]
    public void TheFeeAtTheLimitCountsInTheWorstCase()
    {
        // A 0.1% fee on $5,000 is $5: the margin and the fee, no less.
        var engine = new PerpetualEngine([Perpetual(feePpm: 1_000)]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 1_004_999_999);
        engine.Deposit(Bob, 1_005_000_000);
        var results = new OrderAdmission[2];

        engine.Admit(
            [new PerpetualOrder(0, Order.Limit(1, Alice, Side.Buy, Btc, 100, 0), false), new PerpetualOrder(0, Order.Limit(2, Bob, Side.Sell, Btc, 100, 0), false)],
            results);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { AdmissionStatus.InsufficientMargin, AdmissionStatus.Admitted }));
    }

    [Test]
    public void OrdersOfOneAccountAreAdmittedInIdOrderWhateverTheirArrival()
    {
        // Room for 100 lots: of two 60-lot buys, the lower id gets in, arriving first or last.
        PerpetualOrder low = new(0, Order.Limit(7, Alice, Side.Buy, Btc, 60, 0), false);
        PerpetualOrder high = new(0, Order.Limit(9, Alice, Side.Buy, Btc, 60, 0), false);
        foreach (PerpetualOrder[] orders in new[] { new[] { low, high }, new[] { high, low } })
        {
            var engine = new PerpetualEngine([Perpetual()]);
            engine.UpdateOracle([Btc]);
            engine.Deposit(Alice, 1_000_000_000);
            var results = new OrderAdmission[2];
            engine.Admit(orders, results);
            Assert.That(results[Array.IndexOf(orders, low)].Status, Is.EqualTo(AdmissionStatus.Admitted));
            Assert.That(results[Array.IndexOf(orders, high)].Status, Is.EqualTo(AdmissionStatus.InsufficientMargin));
        }
    }

    [Test]
    public void ReduceOnlyOrdersAreCutToWhatIsLeftOfThePosition()
    {
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [30], 10_000 * Dollar);
        var results = new OrderAdmission[4];

        engine.Admit(
        [
            new PerpetualOrder(0, Order.Limit(1, Alice, Side.Sell, Btc, 20, 0), ReduceOnly: true),
            new PerpetualOrder(0, Order.Limit(2, Alice, Side.Sell, Btc, 20, 0), ReduceOnly: true),
            new PerpetualOrder(0, Order.Limit(3, Alice, Side.Sell, Btc, 20, 0), ReduceOnly: true),
            new PerpetualOrder(0, Order.Limit(4, Alice, Side.Buy, Btc, 5, 0), ReduceOnly: true),
        ], results);

        Assert.That(results, Is.EqualTo(new[]
        {
            new OrderAdmission(AdmissionStatus.Admitted, 20),
            new OrderAdmission(AdmissionStatus.Reduced, 10),
            new OrderAdmission(AdmissionStatus.NothingToReduce, 0),
            new OrderAdmission(AdmissionStatus.NothingToReduce, 0),
        }));
    }

    [Test]
    public void AnOrderThatCouldPassTheMaximumPositionIsRefused()
    {
        var engine = new PerpetualEngine([Perpetual(maxPosition: 100)]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 100_000 * Dollar);
        var results = new OrderAdmission[3];

        engine.Admit(
        [
            new PerpetualOrder(0, Order.Limit(1, Alice, Side.Buy, Btc, 100, 0), false),
            new PerpetualOrder(0, Order.Limit(2, Alice, Side.Buy, Btc, 1, 0), false),
            new PerpetualOrder(0, Order.Limit(3, Alice, Side.Sell, Btc, 100, 0), false),
        ], results);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { AdmissionStatus.Admitted, AdmissionStatus.PositionLimit, AdmissionStatus.Admitted }));
    }

    [Test]
    public void AMarketOrdersWorstCaseIsTheMaximumPriceForABuyAndZeroForASell()
    {
        // The market's maximum is 10^12 ticks: a market buy of one lot could cost 10^13 atoms ($10 million).
        var engine = new PerpetualEngine([Perpetual(maxPosition: 100)]);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [10], 100_000 * Dollar);
        var results = new OrderAdmission[4];

        engine.Admit(
        [
            new PerpetualOrder(0, Order.Market(1, Alice, Side.Buy, 1, 0), false),
            new PerpetualOrder(0, Order.Market(2, Alice, Side.Sell, 1, 0), false),
            new PerpetualOrder(0, Order.Market(3, Alice, Side.Sell, 15, 0), ReduceOnly: true),
            new PerpetualOrder(0, Order.Limit(4, Alice, Side.Buy, Btc, 201, 0), false),
        ], results);

        // A sell at 0 loses one lot's worth, $500, which the account can bear; the reduce-only sell is cut to the 10 lots held.
        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[]
        {
            AdmissionStatus.InsufficientMargin, AdmissionStatus.Admitted, AdmissionStatus.Reduced, AdmissionStatus.PositionLimit,
        }));
    }

    [Test]
    public void BadOrdersAreRefusedWithTheirReason()
    {
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 100_000 * Dollar);
        var results = new OrderAdmission[4];

        engine.Admit(
        [
            new PerpetualOrder(1, Order.Limit(1, Alice, Side.Buy, Btc, 1, 0), false),
            new PerpetualOrder(0, Order.Limit(2, Bob, Side.Buy, Btc, 1, 0), false),
            new PerpetualOrder(0, Order.Limit(3, Alice, Side.Buy, 0, 1, 0), false),
            new PerpetualOrder(0, Order.Limit(PerpetualEngine.LiquidationIdFlag | 4, Alice, Side.Buy, Btc, 1, 0), false),
        ], results);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { AdmissionStatus.UnknownMarket, AdmissionStatus.UnknownAccount, AdmissionStatus.InvalidOrder, AdmissionStatus.InvalidOrder }));
    }

    [Test]
    public void AWithdrawalMayLeaveExactlyTheInitialRequirement()
    {
        // 100 lots long with $1,500: TNC $1,500, initial requirement $1,000, so $500 can go and not an atom more.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [100], -3_500 * Dollar);

        Assert.That(engine.TryWithdraw(Alice, (UInt128)(500 * Dollar) + 1), Is.False);
        Assert.That(engine.TryWithdraw(Alice, (UInt128)(500 * Dollar)), Is.True);
        Assert.That(engine.GetNetCollateral(Alice), Is.EqualTo((Int128)(1_000 * Dollar)));
        Assert.That(engine.TryWithdraw(Alice, 1), Is.False);
    }

    [Test]
    public void AnAccountWithoutPositionsWithdrawsDownToZero()
    {
        var engine = new PerpetualEngine([Perpetual()]);
        engine.Deposit(Alice, 1_000);

        Assert.That(engine.TryWithdraw(Alice, 1_001), Is.False);
        Assert.That(engine.TryWithdraw(Alice, 1_000), Is.True);
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(Int128.Zero));
        Assert.That(engine.NetDeposits, Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void FundingRoundsThePayersUpTheReceiversDownAndTheFundTakesTheRest()
    {
        // Oracle 10,001 ticks (one atom a tick), a batch at 10,050: premium 49 / 10,001 = 4,899.51 ppm, truncated to
        // 4,899. A lot owes 10,001 × 4,899 / 10^6 = 48.994899 atoms: longs pay 49, shorts receive 48, the fund 1 a lot.
        var engine = new PerpetualEngine([Perpetual(market: Build.MarketWith(1, 1, 1_000_000, 1_000_000), fundingIntervalBlocks: 2)]);
        engine.UpdateOracle([10_001]);
        engine.Deposit(Alice, 10_000_000);
        engine.Deposit(Bob, 10_000_000);
        Trade(engine, 0, 10_050, Alice, Bob, 100);   // block 1 of the interval, cleared at 10,050
        Int128 alice = engine.GetCollateral(Alice);
        Int128 bob = engine.GetCollateral(Bob);

        engine.EndBlock();                           // block 2: nothing traded, the interval ends

        FundingPayment payment = engine.FundingPayments.ToArray().Single();
        Assert.That(payment, Is.EqualTo(new FundingPayment(0, 4_899, 49, 48, 100)));
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(alice - 4_900));
        Assert.That(engine.GetCollateral(Bob), Is.EqualTo(bob + 4_800));
        Assert.That(engine.InsuranceFund, Is.EqualTo((Int128)100));
        Assert.That(ConservationGap(engine, [Alice, Bob]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void FundingIsClampedToTheCapAndNegativeWhenTheBatchClearsBelowTheOracle()
    {
        var engine = new PerpetualEngine([Perpetual(market: Build.MarketWith(1, 1, 1_000_000, 1_000_000), fundingIntervalBlocks: 1, fundingCapPpm: 1_000)]);
        engine.UpdateOracle([10_000]);
        engine.Deposit(Alice, 10_000_000);
        engine.Deposit(Bob, 10_000_000);
        Int128 before = engine.GetCollateral(Alice);

        Trade(engine, 0, 9_000, Alice, Bob, 100);    // 10% below: clamped to −0.1%, shorts pay longs 10 atoms a lot

        Assert.That(engine.FundingPayments[0].RatePpm, Is.EqualTo(-1_000));
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(before - 900_000 + 1_000));
        Assert.That(ConservationGap(engine, [Alice, Bob]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void AProfitableLiquidationPaysItsFeeToTheFund()
    {
        // dYdX's first case: 100 lots long with TNC $499. The order sells 20 lots at $49,999 (999,980,000 atoms);
        // the bankruptcy quote is $900.2, so the delta is $99.78 and the 0.5% fee, 4,999,900 atoms, is below it.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [100], -4_501 * Dollar);
        engine.ScanLiquidations();
        engine.EndBlock();
        LiquidationOrder order = engine.ReleasedLiquidations.ToArray().Single(o => o.Account == Alice);
        Int128 collateral = engine.GetCollateral(Alice);

        FillAgainstDealer(engine, order, order.LimitPrice);

        Assert.That(engine.InsuranceFund, Is.EqualTo((Int128)4_999_900));
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(collateral + 999_980_000 - 4_999_900));
        Assert.That(engine.GetPosition(Alice, 0), Is.EqualTo(80));
        Assert.That(ConservationGap(engine, [Alice, Dealer]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void TheFundMakesABankruptFillWholeWhileItHasMoney()
    {
        // TNC 0: the bankruptcy price is the oracle; a fill 1% below loses 20 lots × $500 = $10 = 10^7 atoms.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.DepositInsuranceFund(20_000_000);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [100], -5_000 * Dollar);
        engine.ScanLiquidations();
        engine.EndBlock();
        LiquidationOrder order = engine.ReleasedLiquidations.ToArray().Single(o => o.Account == Alice);

        FillAgainstDealer(engine, order, Btc * 99 / 100);

        Assert.That(engine.InsuranceFund, Is.EqualTo((Int128)10_000_000));
        Assert.That(engine.GetNetCollateral(Alice), Is.EqualTo(Int128.Zero));
        engine.EndBlock();
        Assert.That(engine.Deleveragings.Length, Is.Zero);
    }

    [Test]
    public void WhenTheFundRunsOutTheRestIsDeleveragedAtTheBankruptcyPrice()
    {
        // As above with 4 × 10^6 in the fund: it pays what it has, the account is left at TNC −6 × 10^6, and its 80
        // remaining lots go to the only opposite position, the dealer's, at the bankruptcy price.
        var engine = new PerpetualEngine([Perpetual()]);
        engine.DepositInsuranceFund(4_000_000);
        engine.UpdateOracle([Btc]);
        Open(engine, Alice, [100], -5_000 * Dollar);
        engine.ScanLiquidations();
        engine.EndBlock();
        LiquidationOrder order = engine.ReleasedLiquidations.ToArray().Single(o => o.Account == Alice);

        FillAgainstDealer(engine, order, Btc * 99 / 100);
        Assert.That(engine.InsuranceFund, Is.EqualTo(Int128.Zero));
        Assert.That(engine.GetNetCollateral(Alice), Is.EqualTo((Int128)(-6_000_000)));
        engine.EndBlock();

        Deleveraging deleveraging = engine.Deleveragings.ToArray().Single();
        Assert.That(deleveraging.Bankrupt, Is.EqualTo(Alice));
        Assert.That(deleveraging.Counterparty, Is.EqualTo(Dealer));
        Assert.That(deleveraging.Quantity, Is.EqualTo(80));
        Assert.That(deleveraging.Quote, Is.EqualTo((Int128)(80 * Btc * 10) + 6_000_000));
        Assert.That(engine.GetPosition(Alice, 0), Is.Zero);
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(Int128.Zero));
        Assert.That(engine.Insolvencies.Length, Is.Zero);
        Assert.That(ConservationGap(engine, [Alice, Dealer]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void DeleveragingTakesTheHighestProfitRatioTimesLeverageFirst()
    {
        // Two shorts of 40 lots opened at $50,000 (cost −$2,000 each), the oracle now $49,000: both gain $40, a 2%
        // profit ratio. Bob holds $10,000 and Carol $1,000 more than it cost, so Carol's leverage is higher: she goes first.
        Address carol = Build.Trader(3);
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 0);
        engine.Deposit(Bob, (UInt128)(10_000 * Dollar));
        engine.Deposit(carol, (UInt128)(1_000 * Dollar));
        Trade(engine, 0, Btc, Bob, Alice, -40);
        Trade(engine, 0, Btc, carol, Alice, -40);
        engine.UpdateOracle([4_900_000]);          // Alice: 80 lots long with −$4,000 and now −$80 of net collateral
        engine.ScanLiquidations();
        engine.EndBlock();

        Deleveraging[] transfers = engine.Deleveragings.ToArray();

        Assert.That(transfers.Select(t => (t.Counterparty, t.Quantity)), Is.EqualTo(new[] { (carol, 40L), (Bob, 40L) }));
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo(Int128.Zero));
        Assert.That(ConservationGap(engine, [Alice, Bob, carol]), Is.EqualTo(Int128.Zero));
    }

    [Test]
    public void DeleveragingRanksExactlyWhereFloatingPointWouldTie()
    {
        // As above, but Bob holds 10^18 atoms and Carol one atom less: her leverage is higher by one part in 10^18,
        // below a double's 2^-53, so a floating-point rank would tie and fall back to the first depositor (Bob).
        // The exact rank puts Carol first.
        const long Deep = 1_000_000_000_000_000_000;
        Address carol = Build.Trader(3);
        var engine = new PerpetualEngine([Perpetual()]);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 0);
        engine.Deposit(Bob, (UInt128)Deep);
        engine.Deposit(carol, (UInt128)(Deep - 1));
        Trade(engine, 0, Btc, Bob, Alice, -40);
        Trade(engine, 0, Btc, carol, Alice, -40);
        engine.UpdateOracle([4_900_000]);
        engine.ScanLiquidations();
        engine.EndBlock();

        Deleveraging[] transfers = engine.Deleveragings.ToArray();

        Assert.That(transfers.Select(t => (t.Counterparty, t.Quantity)), Is.EqualTo(new[] { (carol, 40L), (Bob, 40L) }));
        Assert.That(ConservationGap(engine, [Alice, Bob, carol]), Is.EqualTo(Int128.Zero));
    }

    [TestCase(0, 1, TestName = "A debt left by fees with the fund empty is reported as an insolvency")]
    [TestCase(1, 0, TestName = "The fund pays a debt left by fees")]
    public void AnAccountThatClosesBelowZeroIsCoveredByTheFundOrReported(long fund, long reported)
    {
        // Two fills of $5,000 with a 0.1% fee: $10 of fees against a deposit of one atom less.
        var engine = new PerpetualEngine([Perpetual(feePpm: 1_000)]);
        engine.DepositInsuranceFund((UInt128)fund);
        engine.UpdateOracle([Btc]);
        engine.Deposit(Alice, 9_999_999);
        engine.Deposit(Bob, 100_000 * Dollar);
        Trade(engine, 0, Btc, Alice, Bob, 100);
        Trade(engine, 0, Btc, Alice, Bob, -100);

        Assert.That(engine.Insolvencies.ToArray(), Is.EqualTo(reported == 0 ? Array.Empty<Insolvency>() : new[] { new Insolvency(Alice, reported) }));
        Assert.That(engine.GetCollateral(Alice), Is.EqualTo((Int128)(-reported)));
        Assert.That(engine.InsuranceFund, Is.EqualTo(Int128.Zero));
        Assert.That(ConservationGap(engine, [Alice, Bob]), Is.EqualTo(Int128.Zero));
    }

    private static void FillAgainstDealer(PerpetualEngine engine, LiquidationOrder order, long price)
    {
        UInt128 quote = (UInt128)order.Quantity * (ulong)price * engine.GetMarket(order.MarketIndex).TickSize;
        Order[] orders = [order.ToOrder(0), Order.Limit(1, Dealer, order.Side == Side.Sell ? Side.Buy : Side.Sell, price, order.Quantity, 0)];
        Fill[] fills = [new(order.Quantity, quote, RejectReason.None), new(order.Quantity, quote, RejectReason.None)];
        engine.ApplyFills(order.MarketIndex, price, orders, fills);
    }
}
