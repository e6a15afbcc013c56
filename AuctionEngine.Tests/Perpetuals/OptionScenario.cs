using AuctionEngine.Clearing;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// A random multi-block run of a <see cref="PerpetualEngine"/> with one perpetual market and option series on it,
/// driven as a venue would (oracle and volatilities, settlement of expired series, scan, admission, clearing with the
/// real <see cref="ClearingEngine"/>, fills, end of block). It checks exact conservation after every step, that
/// settlement is zero-sum, that exactly the accounts below maintenance are liquidated and that no account that met
/// its initial requirement is put below it by its own admitted orders filling; and it records every event.
/// </summary>
internal sealed class OptionScenario : IDisposable
{
    private const int Perpetual = 0;
    private static readonly int[] ShortOptionMinimums = [0, 10_000, 100_000];
    private readonly Random _random;
    private readonly Random? _shuffler;
    private readonly Address[] _accounts;
    private readonly List<string> _violations = [];
    private readonly List<string> _events = [];
    private readonly ClearingEngine _clearing = new(4_096);
    private readonly int[] _series;
    private long _oracle = OptionSetup.Oracle;
    private ulong _nextId = 1;

    /// <param name="seed">The scenario's seed.</param>
    /// <param name="shuffle">Whether a block's orders arrive shuffled.</param>
    /// <param name="shortOptionMinimumPpm">
    /// The short option minimum; by default 0, the default 1% or 10%, drawn from a stream of its own so that a seed's
    /// orders and prices are those it had before the minimum existed.
    /// </param>
    public OptionScenario(int seed, bool shuffle, int? shortOptionMinimumPpm = null)
    {
#pragma warning disable CA5394 // A seeded, reproducible scenario; nothing here is a secret.
        _random = new Random(seed);
        _shuffler = shuffle ? new Random(~seed) : null;
        Engine = new PerpetualEngine([PerpetualSetup.Perpetual(
            market: OptionSetup.PerpMarket(), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000, maxPosition: 100_000, feePpm: 500,
            fundingIntervalBlocks: 3, fundingCapPpm: 5_000, spreadToMaintenanceMarginRatioPpm: 1_500_000, maxLiquidationFeePpm: 15_000,
            minPositionNotionalLiquidated: 50_000, maxPositionPortionLiquidatedPpm: 300_000)])
        {
            MinimumDirtyBeforeMerge = new[] { 0, 8, 4_096 }[_random.Next(3)],
            PortfolioMargin = new PortfolioMarginParameters(PriceMovePpm: _random.Next(50_000, 250_000), PriceSteps: 2 * _random.Next(1, 8) + 1,
                VolatilityMovePpm: _random.Next(0, 500_000), VolatilitySteps: 2 * _random.Next(0, 3) + 1, LiquidationPortionPpm: _random.Next(1, 1_000_001),
                ShortOptionMinimumPpm: shortOptionMinimumPpm ?? ShortOptionMinimums[new Random(seed ^ 0x5bd1e995).Next(ShortOptionMinimums.Length)]),
        };
        _series =
        [
            Engine.ListSeries(OptionSetup.Series(OptionType.Call, 10_000, expiryBlock: 8, contractSize: 2, feePpm: 400)),
            Engine.ListSeries(OptionSetup.Series(OptionType.Put, 9_500, expiryBlock: 8, contractSize: 1, tickSize: 3, feePpm: 0)),
            Engine.ListSeries(OptionSetup.Series(OptionType.Call, 11_000, expiryBlock: 14, contractSize: 5, feePpm: 1_000)),
            Engine.ListSeries(OptionSetup.Series(OptionType.Put, 10_500, expiryBlock: 1_000, contractSize: 1, feePpm: 200)),
        ];
        _accounts = [.. Enumerable.Range(1, _random.Next(3, 8)).Select(Build.Trader)];
        foreach (Address account in _accounts)
        {
            Engine.Deposit(account, (UInt128)_random.NextInt64(50_000, 3_000_000));
        }

        if (_random.Next(2) == 0)
        {
            Engine.DepositInsuranceFund((UInt128)_random.NextInt64(0, 2_000_000));
        }
    }

    public PerpetualEngine Engine { get; private set; }

    public IReadOnlyList<string> Violations => _violations;

    public IReadOnlyList<string> Events => _events;

    public int OptionFills { get; private set; }

    public int OptionLiquidations { get; private set; }

    public int Settlements { get; private set; }

    public int OptionLiquidationOrders { get; private set; }

    public void Run(int blocks)
    {
        for (int block = 1; block <= blocks; block++)
        {
            Block(block);
        }
    }

    /// <summary>Runs the blocks, replacing the engine before block <paramref name="restoreBefore"/> by one restored from its snapshot.</summary>
    /// <returns>The snapshot, and the one the restored engine wrote at once.</returns>
    public (byte[] Written, byte[] Restored) Run(int blocks, int restoreBefore)
    {
        (byte[], byte[]) snapshots = default;
        for (int block = 1; block <= blocks; block++)
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

    public string FinalState() => string.Join("\n", _accounts.Select(a =>
        $"{a} {Engine.GetCollateral(a)} {string.Join(",", Enumerable.Range(0, 1 + _series.Length).Select(m => Engine.GetPosition(a, m)))}"));

    public void Dispose() => _clearing.Dispose();

    private void Block(int block)
    {
        _oracle = Math.Max(1_000, _oracle + (_oracle * _random.Next(-100, 101) / 1_000));
        Engine.UpdateOracle([_oracle]);
        Engine.UpdateVolatilities(block, OptionSetup.Timestamp + (block * 86_400), [.. _series.Select(_ => _random.Next(20, 120) / 100.0)]);

        foreach (int series in _series)
        {
            if (!Engine.IsSeriesSettled(series) && block >= Engine.GetSeries(series).ExpiryBlock)
            {
                Int128 before = Total();
                SeriesSettlement settlement = Engine.SettleSeries(series, _oracle);
                Settlements++;
                _events.Add($"{block} settled {settlement}");
                if (Total() != before)
                {
                    _violations.Add($"block {block}: settling {series} moved {Total() - before} out of the accounts");
                }

                CheckConservation(block, "settlement");
            }
        }

        LiquidationOrder[] scanned = Engine.ScanLiquidations().ToArray();
        CheckScan(block, scanned);
        OptionLiquidationOrders += scanned.Count(o => o.MarketIndex != Perpetual);
        LiquidationOrder[] released = Engine.ReleasedLiquidations.ToArray();

        List<PerpetualOrder> submitted = [];
        foreach (Address account in _accounts)
        {
            int count = _random.Next(0, 4);
            for (int i = 0; i < count; i++)
            {
                int market = _random.Next(3) == 0 ? Perpetual : _series[_random.Next(_series.Length)];
                Side side = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
                long reference = ReferencePrice(market);
                long limit = Math.Max(1, reference + (reference * _random.Next(-300, 301) / 1_000));
                long quantity = _random.Next(1, 5) == 1 ? _random.Next(20, 200) : _random.Next(1, 20);
                Order order = Order.Limit(_nextId++, account, side, limit, quantity, (ulong)_random.NextInt64());
                submitted.Add(new PerpetualOrder(market, order, _random.Next(6) == 0));
            }
        }

        // Liquidators: now and then an account takes the other side of a released liquidation order at its limit.
        foreach (LiquidationOrder liquidation in released)
        {
            Address taker = _accounts[_random.Next(_accounts.Length)];
            if (taker != liquidation.Account && _random.Next(2) == 0)
            {
                Side side = liquidation.Side == Side.Buy ? Side.Sell : Side.Buy;
                submitted.Add(new PerpetualOrder(liquidation.MarketIndex, Order.Limit(_nextId++, taker, side, liquidation.LimitPrice, liquidation.Quantity, (ulong)_random.NextInt64()), false));
            }
        }

        PerpetualOrder[] orders = [.. submitted];
        _shuffler?.Shuffle(orders);
        var admissions = new OrderAdmission[orders.Length];
        Engine.Admit(orders, admissions);
        foreach ((PerpetualOrder order, OrderAdmission admission) in orders.Zip(admissions).OrderBy(p => p.First.Order.Id))
        {
            _events.Add($"{block} admit {order.Order.Id} {admission}");
            if (admission.Status == AdmissionStatus.SeriesExpired && !Engine.IsSeriesSettled(order.MarketIndex))
            {
                _violations.Add($"block {block}: {order} refused as expired before its series settled");
            }
        }

        for (int market = 0; market <= _series.Length; market++)
        {
            List<Order> batch = [];
            for (int i = 0; i < orders.Length; i++)
            {
                if (orders[i].MarketIndex == market && admissions[i].IsAdmitted)
                {
                    Order o = orders[i].Order;
                    batch.Add(Order.Limit(o.Id, o.Trader, o.Side, o.LimitPrice, admissions[i].Quantity, o.PriorityKey));
                }
            }

            batch.AddRange(released.Where(l => l.MarketIndex == market).Select(l => l.ToOrder((ulong)_random.NextInt64())));
            Order[] book = [.. batch.OrderBy(o => o.Id)];
            var fills = new Fill[book.Length];
            var marketSpec = market == Perpetual ? OptionSetup.PerpMarket() : Engine.GetSeries(market).Market;
            ClearingResult result = _clearing.Clear(marketSpec, book, fills, new ClearingOptions(PriceRule.Midpoint, ReferencePrice: ReferencePrice(market)));
            if (result.Price is not long price || result.Volume == 0)
            {
                continue;
            }

            Engine.ApplyFills(market, price, book, fills);
            _events.Add($"{block} cleared {market} at {price} volume {result.Volume}");
            if (market != Perpetual)
            {
                OptionFills++;
                OptionLiquidations += book.Zip(fills).Count(p => (p.First.Id & PerpetualEngine.LiquidationIdFlag) != 0 && p.Second.FilledQuantity > 0);
            }

            CheckConservation(block, $"fills of {market}");
        }

        // Admission took the worst case of every subset of an account's orders filling at their limits: whatever
        // filled, an account that placed orders and was not being liquidated still meets its initial requirement.
        var liquidatedNow = released.Select(l => l.Account).ToHashSet();
        foreach (Address account in orders.Where((o, i) => admissions[i].IsAdmitted && !o.ReduceOnly).Select(o => o.Order.Trader).Distinct())
        {
            if (!liquidatedNow.Contains(account) && Engine.GetNetCollateral(account) * 1_000_000 < Engine.GetInitialRequirementScaled(account))
            {
                _violations.Add($"block {block}: {account}'s admitted orders took it below its initial requirement: net {Engine.GetNetCollateral(account)}, initial {Engine.GetInitialRequirementScaled(account) / 1_000_000}, orders {string.Join("; ", orders.Select((o, i) => (o, a: admissions[i])).Where(p => p.o.Order.Trader == account && p.a.IsAdmitted).Select(p => $"{p.o.MarketIndex} {p.o.Order.Side} {p.a.Quantity}@{p.o.Order.LimitPrice} ro={p.o.ReduceOnly}"))}; positions {string.Join(",", Enumerable.Range(0, 1 + _series.Length).Select(m => Engine.GetPosition(account, m)))}");
            }
        }

        Engine.EndBlock();
        CheckConservation(block, "end of block");
        _events.Add($"{block} fund {Engine.InsuranceFund} fees {Engine.FeeAccount}");
    }

    /// <summary>The oracle for the perpetual, the mark in premium ticks (at least 1) for a series.</summary>
    private long ReferencePrice(int market) => market == Perpetual
        ? _oracle
        : Math.Max(1, (long)(Engine.GetSeriesMark(market) / (double)Engine.GetSeries(market).Market.TickSize));

    private Int128 Total() => _accounts.Aggregate(Int128.Zero, (sum, a) => sum + Engine.GetCollateral(a));

    private void CheckConservation(int block, string step) => PerpetualSetup.CheckConservation(Engine, _accounts, block, step, _violations);

    private void CheckScan(int block, LiquidationOrder[] scanned)
    {
        PerpetualSetup.CheckScanRule(Engine, _accounts, 1 + _series.Length, block, scanned, _violations);
        foreach (LiquidationOrder order in scanned)
        {
            if (order.MarketIndex != Perpetual)
            {
                long mark = ReferencePrice(order.MarketIndex);
                if (order.Side == Side.Sell ? order.LimitPrice > mark : order.LimitPrice < mark)
                {
                    _violations.Add($"block {block}: {order} is priced better than the mark {mark} for the account");
                }
            }

            _events.Add($"{block} liquidation {order}");
        }
    }
}
