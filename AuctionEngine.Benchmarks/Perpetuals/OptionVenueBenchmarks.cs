using System.Security.Cryptography;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue;
using BenchmarkDotNet.Attributes;

namespace AuctionEngine.Benchmarks.Perpetuals;

/// <summary>
/// One warm block of a <see cref="PerpetualVenue"/> over one perpetual and 40 option series (calls and puts, 10 strikes,
/// 2 expiries far beyond the run) with 1,000 market makers. Each holds 10 series and a perpetual position, quotes 5 of
/// its series (<see cref="Instruction.Quote"/>: a bid and an ask into every batch) and delta-hedges on the perpetual
/// (<see cref="Instruction.DeltaHedge"/>, band 2 lots). The oracle alternates between 10,000 and 10,100 ticks, so every
/// maker's delta and vega change every block: the venue restates 1,000 portfolios' Greeks, the series managers post
/// about 10,000 quotes and the perpetual's manager several hundred hedges, every one admitted against the maker's
/// portfolio margin. Host traders open and close a lot in 4 series and 3 on the perpetual every block, so those
/// batches clear (at fair value, inside every quote) besides the hedges, which cross one another.
/// </summary>
/// <remarks>
/// <para>
/// Three shapes from one setup, so their ratios compare like with like:
/// <c>quotes and hedges</c> is the block described; <c>no instructions</c> (the baseline) is the same venue, book,
/// positions and host orders without a single quote or hedge: what the quoting and hedging machinery adds;
/// <c>perpetual only</c> is a venue of the perpetual alone, with the same makers' perpetual positions and the host's
/// perpetual orders: what the 40 series add. One more method times the valuation inside the venue's per-block exposure
/// restatement on the quoting book: <see cref="PerpetualEngine.GetPortfolioGreeks"/> for the 1,000 makers (Black-76 per
/// held series).
/// </para>
/// <para>
/// Signatures are taken as checked upstream (the verified path, as in the management benchmarks); the timed block goes
/// through the public <see cref="PerpetualVenue.ProcessBlock(PerpetualVenueBlock)"/> with no new submissions.
/// </para>
/// </remarks>
[MemoryDiagnoser]
public class OptionVenueBenchmarks : IDisposable
{
    private const int Makers = 1_000;
    private const int SeriesCount = 40;
    private const int HeldPerMaker = 10;
    private const int QuotedPerMaker = 5;
    private const int Hosts = 4;
    private const int HostSeries = 4;
    private const long LowOracle = 10_000;
    private const long HighOracle = 10_100;
    private const long Timestamp0 = 1_700_000_000;
    private const long Day = 86_400;

    private static readonly Address QuoteToken = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address BaseToken = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, Address.Parse("0x00000000000000000000000000000000000000c0"));
    private static readonly Market PerpMarket = new(BaseToken, QuoteToken, 1, 10, 1_000_000_000, 1_000_000);
    private static readonly Market PremiumMarket = new(BaseToken, QuoteToken, 1, 100, 1_000_000_000, 1_000_000);

    private readonly OracleObservation?[] _observations = new OracleObservation?[1];
    private readonly Address[] _makers = [.. Enumerable.Range(0, Makers).Select(Maker)];
    private readonly Hash32[] _randomness = new Hash32[64];
    private ClearingEngine _clearing = null!;
    private PerpetualEngine _engine = null!;
    private PerpetualVenue _venue = null!;
    private double[] _volatilities = [];
    private PerpetualOrder[][] _hostOrders = [];   // by oracle phase: open on the low oracle, close on the high one
    private ulong _nextOrderId = 1;
    private long _block;

    /// <summary>What the last block did (the setup checks that the block does what the summary says).</summary>
    public BlockCounts LastBlock { get; private set; }

    [GlobalSetup(Targets = [nameof(QuotesAndHedges), nameof(ExposureRestatement)])]
    public void SetupQuotesAndHedges() => Setup(series: true, instructions: true);

    [GlobalSetup(Target = nameof(NoInstructions))]
    public void SetupNoInstructions() => Setup(series: true, instructions: false);

    [GlobalSetup(Target = nameof(PerpetualOnly))]
    public void SetupPerpetualOnly() => Setup(series: false, instructions: false);

    [Benchmark(Baseline = true, Description = "same book, no quotes or hedges")]
    public int NoInstructions() => Block();

    [Benchmark(Description = "1,000 makers: 5,000 quotes + 1,000 hedges on 40 series + perp")]
    public int QuotesAndHedges() => Block();

    [Benchmark(Description = "perpetual only: same makers' perp positions and host orders")]
    public int PerpetualOnly() => Block();

    [Benchmark(Description = "exposure restatement alone: GetPortfolioGreeks x 1,000 makers")]
    public double ExposureRestatement()
    {
        double sum = 0;
        for (int i = 0; i < Makers; i++)
        {
            PortfolioGreeks greeks = _engine.GetPortfolioGreeks(_makers[i], 0);
            sum += greeks.Delta + greeks.Vega;
        }

        return sum;
    }

    /// <summary>Releases the clearing engine.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _clearing?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds the venue, trades every maker into its positions, submits the instructions and runs warm-up blocks.</summary>
    public void Setup(bool series, bool instructions)
    {
        for (int i = 0; i < _randomness.Length; i++)
        {
            _randomness[i] = new Hash32(SHA256.HashData(BitConverter.GetBytes((long)i)));
        }

        _clearing = new ClearingEngine(32_768);
        _engine = new PerpetualEngine([new PerpetualMarket(PerpMarket, 100_000, 50_000, 1_000_000, 0, 8, 10_000, 1_000_000, 100_000, 5_000, 1_000_000_000, 100_000)], Makers + Hosts);
        int seriesCount = series ? SeriesCount : 0;
        var random = new Random(20_261_205);
        _volatilities = new double[seriesCount];
        for (int s = 0; s < seriesCount; s++)
        {
            // Series s: expiry s / 20 (60 or 150 days), strike (s % 20) / 2 (8,000 to 12,050), a call when even.
            long expiry = Timestamp0 + ((s < 20 ? 60 : 150) * Day);
            _engine.ListSeries(new OptionSeries(PremiumMarket, 0, s % 2 == 0 ? OptionType.Call : OptionType.Put, 8_000 + ((s % 20 / 2) * 450), 1_000_000_000, expiry, 10, 100_000, 0));
            _volatilities[s] = 0.5 + (random.NextDouble() * 0.2);
        }

        var venues = new BatchVenue[1 + seriesCount];
        for (int m = 0; m < venues.Length; m++)
        {
            // A series' manager holds about 125 quotes (250 releases); the perpetual's 1,000 hedges.
            var settings = new OrderManagerSettings(m == 0 ? PerpMarket : PremiumMarket, MarketAddress(m), 4_096, 4_096, 16, 16, maxOracleAgeBlocks: 2);
            venues[m] = new BatchVenue(new OrderManager(settings, Domain), _clearing, CircuitBreakerSettings.Off, new ClearingOptions(PriceRule.Midpoint));
        }

        _venue = new PerpetualVenue(venues, _engine);
        for (int i = 0; i < Makers; i++)
        {
            _engine.Deposit(Maker(i), UInt128.One << 50);
        }

        for (int h = 0; h < Hosts; h++)
        {
            _engine.Deposit(Host(h), UInt128.One << 50);
        }

        // Fair values at both oracles (as the venue gives its series managers), for the host's orders and the positions.
        long[] lowFair = FairValues(LowOracle);
        long[] highFair = FairValues(HighOracle);

        // Pair p's two makers take opposite sides: 10 series each and a perpetual position.
        var opening = new List<PerpetualOrder>();
        for (int i = 0; i < Makers; i += 2)
        {
            int pair = i / 2;
            long perpLots = 5 + (pair % 20);
            opening.Add(Order(0, Maker(i), Side.Buy, LowOracle, perpLots));
            opening.Add(Order(0, Maker(i + 1), Side.Sell, LowOracle, perpLots));
            for (int j = 0; j < HeldPerMaker && series; j++)
            {
                int s = HeldSeries(pair, j);
                long lots = 1 + ((pair + j) % 10);
                opening.Add(Order(1 + s, Maker(i), Side.Buy, lowFair[s], lots));
                opening.Add(Order(1 + s, Maker(i + 1), Side.Sell, lowFair[s], lots));
            }
        }

        _block = 1;
        Run(LowOracle, [.. opening], []);
        if (instructions)
        {
            var submitted = new List<Instruction>();
            for (int i = 0; i < Makers; i++)
            {
                submitted.Add(Instruction.DeltaHedge(Maker(i), MarketAddress(0), 0, 0, targetDelta: 0, band: 2, maxQuantity: 50, toleranceBps: 50));
                for (int j = 0; j < QuotedPerMaker; j++)
                {
                    submitted.Add(Instruction.Quote(Maker(i), MarketAddress(1 + HeldSeries(i / 2, j)), (UInt128)(1 + j), 0, quantity: 1 + (i % 3), halfSpreadBps: 50,
                        minHalfSpread: 5, vegaSpreadBps: 10, vegaUnit: 10_000_000, deltaSpreadBps: 5, deltaUnit: 100, maxPosition: 0));
                }
            }

            Run(HighOracle, [], [.. submitted]);
        }

        // Host traders 0 and 1 open a lot in 4 series on the low oracle and close it on the high one, at fair value
        // (inside every quote); traders 2 and 3 do the same with 3 perpetual lots at the oracle.
        _hostOrders = new PerpetualOrder[2][];
        for (int phase = 0; phase < 2; phase++)
        {
            bool open = phase == 0;
            long oracle = open ? LowOracle : HighOracle;
            var orders = new List<PerpetualOrder>
            {
                Order(0, Host(2), open ? Side.Buy : Side.Sell, oracle, 3),
                Order(0, Host(3), open ? Side.Sell : Side.Buy, oracle, 3),
            };
            for (int k = 0; k < HostSeries && series; k++)
            {
                int s = k * 9;
                long fair = open ? lowFair[s] : highFair[s];
                orders.Add(Order(1 + s, Host(0), open ? Side.Buy : Side.Sell, fair, 1));
                orders.Add(Order(1 + s, Host(1), open ? Side.Sell : Side.Buy, fair, 1));
            }

            _hostOrders[phase] = [.. orders];
        }

        for (int warm = 0; warm < 200; warm++)
        {
            Block();
        }

        // Refuse to time a block that does not do what the summary says.
        BlockCounts last = LastBlock;
        bool shaped = last.Cleared == 1 + (series ? HostSeries : 0) && last.HostFills > 0
            && (!instructions || (last.Released >= Makers * QuotedPerMaker * 2 && last.ManagedFills >= Makers / 2 && last.Exposures == Makers * (QuotedPerMaker + 1)));
        if (!shaped)
        {
            throw new InvalidOperationException($"The warm block is not the benchmark's: {last}.");
        }
    }

    private int Block()
    {
        long block = _block++;
        int phase = (int)(block & 1);
        _observations[0] = new OracleObservation(phase == 0 ? LowOracle : HighOracle, block);
        ReadOnlySpan<PerpetualVenueEvent> events = _venue.ProcessBlock(new PerpetualVenueBlock
        {
            Block = block, Timestamp = Timestamp0 + block, Observations = _observations, Volatilities = _volatilities, Orders = _hostOrders[phase],
            BatchRandomness = _randomness[block & 63], NextBatchRandomness = _randomness[(block + 1) & 63],
        });
        int cleared = 0, hostFills = 0, managedFills = 0, released = 0;
        foreach (PerpetualVenueEvent e in events)
        {
            if (e.Kind == PerpetualVenueEventKind.Venue)
            {
                cleared += e.Venue.Kind == VenueEventKind.Cleared ? 1 : 0;
                hostFills += e.Venue.Kind == VenueEventKind.Fill ? 1 : 0;
                managedFills += e.Venue.Kind == VenueEventKind.Management && e.Venue.Management.Kind == ManagementEventKind.Fill ? 1 : 0;
                released += e.Venue.Kind == VenueEventKind.Management && e.Venue.Management.Kind == ManagementEventKind.Released ? 1 : 0;
            }
        }

        LastBlock = new BlockCounts(cleared, hostFills, managedFills, released, _venue.Exposures.Length);
        return events.Length;
    }

    private void Run(long oracle, PerpetualOrder[] orders, Instruction[] instructions)
    {
        long block = _block++;
        _observations[0] = new OracleObservation(oracle, block);
        _venue.ProcessVerifiedBlock(
            new PerpetualVenueBlock
            {
                Block = block, Timestamp = Timestamp0 + block, Observations = _observations, Volatilities = _volatilities, Orders = orders,
                BatchRandomness = _randomness[block & 63], NextBatchRandomness = _randomness[(block + 1) & 63],
            },
            [], instructions);
    }

    /// <summary>Every series' fair value in premium ticks at an oracle, as the venue computes it (set on the engine before the venue's first block).</summary>
    private long[] FairValues(long oracle)
    {
        var fair = new long[_engine.SeriesCount];
        if (fair.Length == 0)
        {
            return fair;
        }

        _engine.UpdateOracle([oracle]);
        _engine.UpdateVolatilities(0, Timestamp0, _volatilities);
        for (int s = 0; s < fair.Length; s++)
        {
            fair[s] = Math.Max(1, (long)Math.Round(_engine.GetSeriesMark(1 + s) / (double)PremiumMarket.TickSize, MidpointRounding.AwayFromZero));
        }

        return fair;
    }

    /// <summary>One block's batches cleared, host and managed fills, releases for the next batch, and exposures the managers were told.</summary>
    public readonly record struct BlockCounts(int Cleared, int HostFills, int ManagedFills, int Released, int Exposures);

    /// <summary>Pair p's j-th series: 10 distinct series per pair, every series held by about 250 makers.</summary>
    private static int HeldSeries(int pair, int j) => ((pair * 7) + (j * 3)) % SeriesCount;

    private PerpetualOrder Order(int market, Address trader, Side side, long price, long quantity) =>
        new(market, new Order(_nextOrderId++, trader, side, OrderType.Limit, price, quantity, 0), false);

    private static Address MarketAddress(int market) => Trader(0x0a_0000 + market);

    private static Address Maker(int index) => Trader(1 + index);

    private static Address Host(int index) => Trader(100_000 + index);

    private static Address Trader(int index) => new([.. new byte[16], (byte)(index >> 24), (byte)(index >> 16), (byte)(index >> 8), (byte)index]);
}
