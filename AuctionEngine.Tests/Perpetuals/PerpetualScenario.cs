using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// A random multi-block run of a <see cref="PerpetualEngine"/> over two markets, driven as a venue would drive it
/// (oracle, scan, admission, clearing with the real <see cref="ClearingEngine"/>, fills, end of block), that checks
/// the engine's invariants after every step and records every event, so that two runs can be compared.
/// </summary>
internal sealed class PerpetualScenario : IDisposable
{
    private const int Markets = 2;
    private readonly Random _random;
    private readonly Random? _shuffler;
    private readonly Address[] _accounts;
    private readonly List<string> _violations = [];
    private readonly List<string> _events = [];
    private readonly ClearingEngine _clearing = new(4_096);
    private readonly long[] _oracle = [10_000, 2_500];
    private ulong _nextId = 1;

    public PerpetualScenario(int seed, bool shuffle)
    {
#pragma warning disable CA5394 // A seeded, reproducible scenario; nothing here is a secret.
        _random = new Random(seed);
        _shuffler = shuffle ? new Random(~seed) : null;
        // Merge the liquidation index often or never, so that both its sorted arrays and its dirty list are exercised.
        Engine = new PerpetualEngine([Market(), Market()]) { MinimumDirtyBeforeMerge = new[] { 0, 2, 8, 4_096 }[_random.Next(4)] };
        _accounts = [.. Enumerable.Range(1, _random.Next(3, 9)).Select(Build.Trader)];
        foreach (Address account in _accounts)
        {
            Engine.Deposit(account, (UInt128)_random.NextInt64(20_000, 2_000_000));
        }

        if (_random.Next(3) != 0)
        {
            Engine.DepositInsuranceFund((UInt128)_random.NextInt64(0, 200_000));
        }
    }

    public PerpetualEngine Engine { get; private set; }

    public IReadOnlyList<string> Violations => _violations;

    public IReadOnlyList<string> Events => _events;

    /// <summary>How many deleveraging transfers and liquidation fills the run made (to see that the properties were exercised).</summary>
    public int Deleveragings { get; private set; }

    public int LiquidationFills { get; private set; }

    private static PerpetualMarket Market() => PerpetualSetup.Perpetual(
        market: Build.MarketWith(lotSize: 1, tickSize: 1, maxPrice: 1_000_000_000, maxOrderQuantity: 1_000_000),
        initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000, maxPosition: 100_000, feePpm: 500, fundingIntervalBlocks: 3,
        fundingCapPpm: 5_000, spreadToMaintenanceMarginRatioPpm: 1_500_000, maxLiquidationFeePpm: 15_000,
        minPositionNotionalLiquidated: 50_000, maxPositionPortionLiquidatedPpm: 300_000);

    public void Run(int blocks)
    {
        for (int block = 0; block < blocks; block++)
        {
            Block(block);
        }
    }

    /// <summary>Runs the blocks, replacing the engine after <paramref name="restoreBefore"/> of them by one restored from its snapshot.</summary>
    /// <returns>The snapshot, and the one the restored engine wrote at once.</returns>
    public (byte[] Written, byte[] Restored) Run(int blocks, int restoreBefore)
    {
        (byte[], byte[]) snapshots = default;
        for (int block = 0; block < blocks; block++)
        {
            if (block == restoreBefore)
            {
                snapshots = RestoreEngine();
            }

            Block(block);
        }

        return snapshots;
    }

    /// <summary>Replaces the engine by one restored from its snapshot, as a restarted keeper would.</summary>
    public (byte[] Written, byte[] Restored) RestoreEngine()
    {
        byte[] written = EngineSnapshots.Of(Engine);
        Engine = PerpetualEngine.Restore(written);
        return (written, EngineSnapshots.Of(Engine));
    }

    private void Block(int block)
    {
        for (int m = 0; m < Markets; m++)
        {
            // Moves up to ±8% a block: enough to liquidate 10x positions, and now and then to bankrupt them.
            _oracle[m] = Math.Max(100, _oracle[m] + (_oracle[m] * _random.Next(-80, 81) / 1_000));
        }

        Engine.UpdateOracle(_oracle);
        LiquidationOrder[] scanned = Engine.ScanLiquidations().ToArray();
        CheckScan(block, scanned);

        LiquidationOrder[] released = Engine.ReleasedLiquidations.ToArray();
        var reduceOnlyAccounts = _accounts.Where(_ => _random.Next(4) == 0).ToHashSet();
        List<PerpetualOrder> submitted = [];
        foreach (Address account in _accounts)
        {
            int count = _random.Next(0, 4);
            for (int i = 0; i < count; i++)
            {
                int m = _random.Next(Markets);
                Side side = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
                long limit = Math.Max(1, _oracle[m] + (_oracle[m] * _random.Next(-30, 31) / 1_000));
                long quantity = _random.Next(1, 4) == 1 ? _random.Next(100, 2_000) : _random.Next(1, 100);
                Order order = _random.Next(10) == 0
                    ? Order.Market(_nextId++, account, side, quantity, (ulong)_random.NextInt64())
                    : Order.Limit(_nextId++, account, side, limit, quantity, (ulong)_random.NextInt64());
                submitted.Add(new PerpetualOrder(m, order, reduceOnlyAccounts.Contains(account) || _random.Next(6) == 0));
            }
        }

        PerpetualOrder[] orders = [.. submitted];
        // Its own generator, so that shuffling draws nothing from the scenario's.
        _shuffler?.Shuffle(orders);

        var snapshot = Snapshot();
        var admissions = new OrderAdmission[orders.Length];
        Engine.Admit(orders, admissions);
        foreach ((PerpetualOrder order, OrderAdmission admission) in orders.Zip(admissions).OrderBy(p => p.First.Order.Id))
        {
            _events.Add($"{block} admit {order.Order.Id} {admission}");
        }

        CheckAdmissions(block, orders, admissions);

        for (int m = 0; m < Markets; m++)
        {
            List<Order> batch = [];
            for (int i = 0; i < orders.Length; i++)
            {
                if (orders[i].MarketIndex == m && admissions[i].IsAdmitted)
                {
                    Order o = orders[i].Order;
                    // A sealed market order carries its worst price: the clearing engine takes it as a bounded limit.
                    long limit = o.IsMarket ? (o.Side == Side.Buy ? _oracle[m] * 2 : 1) : o.LimitPrice;
                    batch.Add(Order.Limit(o.Id, o.Trader, o.Side, limit, admissions[i].Quantity, o.PriorityKey));
                }
            }

            batch.AddRange(released.Where(l => l.MarketIndex == m).Select(l => l.ToOrder((ulong)_random.NextInt64())));
            Order[] book = [.. batch.OrderBy(o => o.Id)];
            var fills = new Fill[book.Length];
            ClearingResult result = _clearing.Clear(Build.MarketWith(1, 1, 1_000_000_000, 1_000_000), book, fills, new ClearingOptions(PriceRule.Midpoint, ReferencePrice: _oracle[m]));
            if (result.Price is not long price || result.Volume == 0)
            {
                continue;
            }

            var before = Snapshot();
            Int128 fundBefore = Engine.InsuranceFund;
            Engine.ApplyFills(m, price, book, fills);
            _events.Add($"{block} cleared {m} at {price}");
            CheckLiquidationFills(block, m, book, fills, reduceOnly: orders.Where(o => o.ReduceOnly && o.MarketIndex == m).Select(o => o.Order.Trader).ToHashSet(), before, fundBefore);
            CheckConservation(block, "fills");
        }

        CheckMarginAfterFills(block, orders, admissions, snapshot, released);
        CheckReduceOnly(block, orders, admissions, snapshot, released);

        Int128 collateralBefore = _accounts.Aggregate(Int128.Zero, (s, a) => s + Engine.GetCollateral(a));
        Int128 fundBeforeEnd = Engine.InsuranceFund;
        Engine.EndBlock();
        Int128 collateralAfter = _accounts.Aggregate(Int128.Zero, (s, a) => s + Engine.GetCollateral(a));
        Int128 toFund = 0;
        foreach (FundingPayment payment in Engine.FundingPayments)
        {
            _events.Add($"{block} funding {payment}");
            toFund += payment.ToInsuranceFund;
            Int128 rounding = payment.PaidPerLot - payment.ReceivedPerLot;
            if (rounding < 0 || rounding > 1)
            {
                _violations.Add($"block {block}: funding rounds by more than an atom a lot: {payment}");
            }

            if (payment.ToInsuranceFund != (payment.PaidPerLot - payment.ReceivedPerLot) * Engine.GetOpenInterest(payment.MarketIndex))
            {
                _violations.Add($"block {block}: funding remainder is not the rounding times the open interest: {payment}");
            }
        }

        // Funding is zero-sum (the accounts pay exactly what the fund gets), deleveraging moves money only between
        // accounts, and the fund can only pay out beyond that (the debt of an account that closed below zero).
        Int128 fundMoved = Engine.InsuranceFund - fundBeforeEnd;
        if (collateralAfter - collateralBefore != -fundMoved || fundMoved > toFund)
        {
            _violations.Add($"block {block}: end of block moved {collateralAfter - collateralBefore} collateral and {Engine.InsuranceFund - fundBeforeEnd} fund for {toFund} funding");
        }

        foreach (Deleveraging deleveraging in Engine.Deleveragings)
        {
            _events.Add($"{block} deleveraged {deleveraging}");
            Deleveragings++;
        }

        if (Engine.Deleveragings.Length > 0 && Engine.InsuranceFund > 0)
        {
            _violations.Add($"block {block}: deleveraged while the insurance fund held {Engine.InsuranceFund}");
        }

        foreach (Insolvency insolvency in Engine.Insolvencies)
        {
            _events.Add($"{block} insolvent {insolvency}");
        }

        CheckConservation(block, "end of block");
        _events.Add($"{block} fund {Engine.InsuranceFund} fees {Engine.FeeAccount}");
    }

    private Dictionary<Address, (long[] Lots, Int128 Net)> Snapshot() => _accounts.ToDictionary(
        a => a,
        a => (Enumerable.Range(0, Markets).Select(m => Engine.GetPosition(a, m)).ToArray(), Engine.GetNetCollateral(a)));

    private void CheckConservation(int block, string step) => PerpetualSetup.CheckConservation(Engine, _accounts, block, step, _violations);

    private void CheckScan(int block, LiquidationOrder[] scanned)
    {
        PerpetualSetup.CheckScanRule(Engine, _accounts, Markets, block, scanned, _violations);
        foreach (LiquidationOrder order in scanned)
        {
            long oracle = _oracle[order.MarketIndex];
            if (order.Side == Side.Sell ? order.LimitPrice > oracle : order.LimitPrice < oracle)
            {
                _violations.Add($"block {block}: {order} is priced better than the oracle {oracle} for the account");
            }

            (long quantity, long limit, long bankruptcy) = Reference(order.Account, order.MarketIndex);
            if (order.Quantity != quantity || order.LimitPrice != limit || order.BankruptcyPrice != bankruptcy)
            {
                _violations.Add($"block {block}: {order} should be {quantity} lots at {limit} (bankrupt at {bankruptcy})");
            }

            _events.Add($"{block} liquidation {order}");
        }
    }

    private void CheckAdmissions(int block, PerpetualOrder[] orders, OrderAdmission[] admissions)
    {
        for (int i = 0; i < orders.Length; i++)
        {
            if (admissions[i].IsAdmitted && (admissions[i].Quantity <= 0 || admissions[i].Quantity > orders[i].Order.Quantity))
            {
                _violations.Add($"block {block}: {orders[i]} admitted with {admissions[i].Quantity} lots");
            }
        }
    }

    /// <summary>
    /// No order admitted beyond the initial margin: an account that sent only ordinary orders, none of them a market
    /// order and none liquidated, meets its initial requirement after the batch at the same oracle (every fill is at
    /// or better than its limit, so it is one of the cases admission bounded).
    /// </summary>
    private void CheckMarginAfterFills(int block, PerpetualOrder[] orders, OrderAdmission[] admissions, Dictionary<Address, (long[] Lots, Int128 Net)> before, LiquidationOrder[] released)
    {
        foreach (Address account in _accounts)
        {
            var own = orders.Select((o, i) => (Order: o, Admission: admissions[i])).Where(p => p.Order.Order.Trader == account).ToArray();
            if (own.Length == 0 || !own.Any(p => p.Admission.IsAdmitted) || own.Any(p => p.Order.ReduceOnly) || released.Any(l => l.Account == account))
            {
                continue;
            }

            Int128 initial = Engine.GetInitialRequirementScaled(account);
            if (Engine.GetNetCollateral(account) * 1_000_000 < initial)
            {
                _violations.Add($"block {block}: {account} was admitted orders that took it below its initial requirement");
            }
        }
    }

    /// <summary>An account that sent only reduce-only orders (and was not liquidated) never has a larger or turned position after the batch.</summary>
    private void CheckReduceOnly(int block, PerpetualOrder[] orders, OrderAdmission[] admissions, Dictionary<Address, (long[] Lots, Int128 Net)> before, LiquidationOrder[] released)
    {
        foreach (Address account in _accounts)
        {
            var own = orders.Where(o => o.Order.Trader == account).ToArray();
            if (own.Length == 0 || !own.All(o => o.ReduceOnly))
            {
                continue;
            }

            for (int m = 0; m < Markets; m++)
            {
                long was = before[account].Lots[m];
                long now = Engine.GetPosition(account, m);
                if (Math.Abs(now) > Math.Abs(was) || (now != 0 && Math.Sign(now) != Math.Sign(was)))
                {
                    _violations.Add($"block {block}: reduce-only orders took {account}'s position in {m} from {was} to {now}");
                }
            }
        }
    }

    /// <summary>
    /// While the fund still has money after a market's fills, a liquidation never leaves an account that was solvent
    /// before them (and traded nothing else there) with negative net collateral.
    /// </summary>
    private void CheckLiquidationFills(int block, int m, Order[] book, Fill[] fills, HashSet<Address> reduceOnly, Dictionary<Address, (long[] Lots, Int128 Net)> before, Int128 fundBefore)
    {
        var traders = book.Select((o, i) => (Order: o, Fill: fills[i])).Where(p => p.Fill.FilledQuantity > 0).ToArray();
        foreach (var liquidation in traders.Where(p => (p.Order.Id & PerpetualEngine.LiquidationIdFlag) != 0))
        {
            LiquidationFills++;
            Address account = liquidation.Order.Trader;
            _events.Add($"{block} liquidation fill {liquidation.Order.Id} {liquidation.Fill}");
            bool alone = traders.Count(p => p.Order.Trader == account) == 1 && !reduceOnly.Contains(account);
            if (alone && before[account].Net >= 0 && Engine.InsuranceFund > 0 && Engine.GetNetCollateral(account) < 0)
            {
                _violations.Add($"block {block}: liquidating {account} left it at {Engine.GetNetCollateral(account)} with {Engine.InsuranceFund} in the fund (was {fundBefore})");
            }
        }
    }

    public void Dispose() => _clearing.Dispose();

    /// <summary>
    /// dYdX's partial size, fillable price and bankruptcy price, recomputed from the public state in
    /// <see cref="BigInteger"/> rationals: <c>q = clamp(⌊max(min(MPNL, N), N × portion) / U⌋, 1, |n|)</c>,
    /// <c>FP = O × (1 ∓ SMMR × MMF × ABR)</c> rounded against the account, <c>BP = (±q × U − TNC × q × U × MMF / TMMR) / (q × T)</c>
    /// rounded up for a sell and down for a buy.
    /// </summary>
    private (long Quantity, long Limit, long Bankruptcy) Reference(Address account, int m)
    {
        PerpetualMarket market = Engine.GetMarket(m);
        long lots = Engine.GetPosition(account, m);
        int sign = Math.Sign(lots);
        BigInteger size = Math.Abs(lots);
        BigInteger oracle = _oracle[m];
        BigInteger tick = (BigInteger)market.TickSize;
        BigInteger unit = oracle * tick;
        BigInteger notional = size * unit;
        BigInteger minimum = BigInteger.Min((BigInteger)market.MinPositionNotionalLiquidated, notional);
        BigInteger maximum = BigInteger.Max(minimum, notional * market.MaxPositionPortionLiquidatedPpm / 1_000_000);
        BigInteger quantity = BigInteger.Min(BigInteger.Max(maximum / unit, 1), size);

        BigInteger net = (BigInteger)Engine.GetNetCollateral(account);
        BigInteger maintenance = (BigInteger)Engine.GetMaintenanceRequirementScaled(account);   // 10^6 × TMMR
        BigInteger abrNumerator = market.BankruptcyAdjustmentPpm * (maintenance - (net * 1_000_000));
        BigInteger abrDenominator = 1_000_000 * maintenance;
        abrNumerator = BigInteger.Min(BigInteger.Max(abrNumerator, 0), abrDenominator);
        BigInteger offsetNumerator = oracle * market.SpreadToMaintenanceMarginRatioPpm * market.MaintenanceMarginPpm * abrNumerator;
        BigInteger offsetDenominator = BigInteger.Pow(10, 12) * abrDenominator;
        BigInteger offset = (offsetNumerator + offsetDenominator - 1) / offsetDenominator;
        BigInteger limit = sign > 0 ? BigInteger.Max(oracle - offset, 1) : BigInteger.Min(oracle + offset, market.Market.MaxPrice);

        // BP × 10^6 × TMMR = ±q × U × 10^6 × TMMR − TNC × q × U × maintenance ppm; the quote is that over 10^6 × TMMR, rounded up.
        BigInteger scaledQuote = (sign * quantity * unit * maintenance) - (net * quantity * unit * market.MaintenanceMarginPpm);
        BigInteger quote = CeilDiv(scaledQuote, maintenance);
        BigInteger perOrder = quantity * tick;
        BigInteger bankruptcy = sign > 0 ? CeilDiv(quote, perOrder) : -CeilDiv(quote, perOrder);
        return ((long)quantity, (long)limit, (long)bankruptcy);
    }

    private static BigInteger CeilDiv(BigInteger a, BigInteger b)
    {
        BigInteger quotient = BigInteger.DivRem(a, b, out BigInteger remainder);
        return remainder.Sign > 0 ? quotient + 1 : quotient;
    }

    /// <summary>Every account's final balances and positions, for comparing runs.</summary>
    public string FinalState() => string.Join("\n", _accounts.Select(a =>
        $"{a} {Engine.GetCollateral(a)} {string.Join(",", Enumerable.Range(0, Markets).Select(m => $"{Engine.GetPosition(a, m)}/{Engine.GetPositionCost(a, m)}"))}"))
        + $"\nfund {Engine.InsuranceFund} fees {Engine.FeeAccount}";
#pragma warning restore CA5394
}
