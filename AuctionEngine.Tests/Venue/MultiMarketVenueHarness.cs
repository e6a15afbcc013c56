using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Tests.Perpetuals;
using AuctionEngine.Tests.Support;
using AuctionEngine.Venue;

namespace AuctionEngine.Tests.Venue;

/// <summary>
/// A <see cref="PerpetualVenue"/> over five markets: two perpetuals (ticks of 10 and 5 quote atoms) and three option
/// series, a call and a put on perpetual 0 and a call on perpetual 1, each with a batch venue and a manager of its own
/// market address. One block is one day.
/// </summary>
internal sealed class MultiMarketVenueHarness : IDisposable
{
    public const int Perp0 = 0;
    public const int Perp1 = 1;
    public const int Call0 = 2;
    public const int Put0 = 3;
    public const int Call1 = 4;
    public const int MarketCount = 5;
    public const long Timestamp0 = 1_700_000_000;
    public const long Day = 86_400;

    private static ulong _nextId = 1;
    private readonly ClearingEngine _clearing = new(4_096);
    private readonly CircuitBreakerSettings _breaker;

    public MultiMarketVenueHarness(
        long callExpiry = 6, long putExpiry = 12, long call1Expiry = 9, int fundingIntervalBlocks = 4, int perpFeePpm = 0, int seriesFeePpm = 0,
        UInt128? minPositionNotionalLiquidated = null, CircuitBreakerSettings? breaker = null)
    {
        _breaker = breaker ?? CircuitBreakerSettings.Off;
        Engine = new PerpetualEngine(
        [
            PerpetualSetup.Perpetual(MarketOf(Perp0), initialMarginPpm: 100_000, maintenanceMarginPpm: 50_000, feePpm: perpFeePpm,
                fundingIntervalBlocks: fundingIntervalBlocks, minPositionNotionalLiquidated: minPositionNotionalLiquidated ?? 50_000, maxPositionPortionLiquidatedPpm: 500_000),
            PerpetualSetup.Perpetual(MarketOf(Perp1), initialMarginPpm: 200_000, maintenanceMarginPpm: 100_000, feePpm: perpFeePpm,
                fundingIntervalBlocks: fundingIntervalBlocks, minPositionNotionalLiquidated: minPositionNotionalLiquidated ?? 50_000, maxPositionPortionLiquidatedPpm: 500_000),
        ]);
        Engine.ListSeries(new OptionSeries(MarketOf(Call0), Perp0, OptionType.Call, 10_000, callExpiry, Timestamp(callExpiry), 2, 100_000, seriesFeePpm));
        Engine.ListSeries(new OptionSeries(MarketOf(Put0), Perp0, OptionType.Put, 9_500, putExpiry, Timestamp(putExpiry), 1, 100_000, seriesFeePpm));
        Engine.ListSeries(new OptionSeries(MarketOf(Call1), Perp1, OptionType.Call, 2_000, call1Expiry, Timestamp(call1Expiry), 5, 100_000, seriesFeePpm));
        BatchVenue[] venues = [.. Enumerable.Range(0, MarketCount).Select(m => new BatchVenue(
            new OrderManager(new OrderManagerSettings(MarketOf(m), MarketAddress(m), 256, 256, 64, 64, maxOracleAgeBlocks: 2), ManagerHarness.Domain),
            _clearing, _breaker, new ClearingOptions(PriceRule.Midpoint)))];
        Venue = new PerpetualVenue(venues, Engine);
        Volatilities = [.. Enumerable.Repeat(0.6, Engine.SeriesCount)];
    }

    public PerpetualEngine Engine { get; private set; }

    public PerpetualVenue Venue { get; private set; }

    /// <summary>Every series' volatility for the next block.</summary>
    public double[] Volatilities { get; }

    public List<PerpetualVenueEvent> Events { get; } = [];

    public static long Timestamp(long block) => Timestamp0 + (block * Day);

    /// <summary>Each market's lots and ticks: the series' premiums tick in 1 or 3 quote atoms.</summary>
    public static Market MarketOf(int market) => market switch
    {
        Perp0 => Build.MarketWith(1, 10, 1_000_000_000, 1_000_000),
        Perp1 => Build.MarketWith(1, 5, 1_000_000_000, 1_000_000),
        Put0 => Build.MarketWith(1, 3, 1_000_000_000, 1_000_000),
        _ => Build.MarketWith(1, 1, 1_000_000_000, 1_000_000),
    };

    public static Address MarketAddress(int market) => Build.Trader(0x0a_0000 + market);

    public static Address Account(int trader) => Build.Trader(trader);

    public static int Underlying(int market) => market switch { Call1 => Perp1, Call0 or Put0 => Perp0, _ => market };

    public OrderManager Manager(int market) => Venue.Venues[market].Manager;

    public static PerpetualOrder Order(int market, int trader, Side side, long price, long quantity, bool reduceOnly = false) =>
        new(market, new Order(_nextId++, Account(trader), side, OrderType.Limit, price, quantity, 0), reduceOnly);

    public static Instruction Limit(int market, int trader, Side side, long price, long quantity, int nonce = 0, bool reduceOnly = false) =>
        Instruction.Limit(Account(trader), MarketAddress(market), (UInt128)nonce, 0, InstructionLeg.Limit(side, price, quantity)) with { ReduceOnly = reduceOnly };

    public static Hash32 IdOf(Instruction instruction) => ManagerHarness.IdOf(instruction);

    public void Deposit(int trader, long amount) => Engine.Deposit(Account(trader), (UInt128)amount);

    public long Position(int trader, int market) => Engine.HasAccount(Account(trader)) ? Engine.GetPosition(Account(trader), market) : 0;

    /// <summary>An open series' fair value in premium ticks at the engine's current oracle and volatility, as the venue gives its manager.</summary>
    public long FairValue(int series) =>
        Math.Max(1, (long)Math.Round(Engine.GetSeriesMark(series) / (double)Engine.GetSeries(series).Market.TickSize, MidpointRounding.AwayFromZero));

    public List<PerpetualVenueEvent> Block(
        long block, long? oracle0, long? oracle1, PerpetualOrder[]? orders = null, Instruction[]? instructions = null, InstructionCancellation[]? cancellations = null,
        long? published = null)
    {
        OracleObservation?[] observations =
        [
            oracle0 is { } p0 ? new OracleObservation(p0, published ?? block) : null,
            oracle1 is { } p1 ? new OracleObservation(p1, published ?? block) : null,
        ];
        var input = new PerpetualVenueBlock
        {
            Block = block, Timestamp = Timestamp(block), Observations = observations, Volatilities = Volatilities, Orders = orders ?? [],
            BatchRandomness = ManagerHarness.Randomness(block), NextBatchRandomness = ManagerHarness.Randomness(block + 1),
        };
        List<PerpetualVenueEvent> events = [.. Venue.ProcessVerifiedBlock(input, cancellations ?? [], instructions ?? []).ToArray()];
        Events.AddRange(events);
        return events;
    }

    /// <summary>Every part's snapshot between blocks: the engine's, the perpetual venue's, and each market's batch venue and manager.</summary>
    public MultiMarketSnapshot Snapshot() => new(
        Write(Engine.WriteSnapshot), Write(Venue.WriteSnapshot),
        [.. Venue.Venues.Select(v => Write(v.WriteSnapshot))], [.. Venue.Venues.Select(v => Write(v.Manager.WriteSnapshot))]);

    /// <summary>Replaces every part by one restored from its snapshot, as a restarted keeper would.</summary>
    public void RestoreFrom(MultiMarketSnapshot snapshot)
    {
        BatchVenue[] venues = [.. Enumerable.Range(0, MarketCount).Select(m => BatchVenue.Restore(
            snapshot.Venues[m], OrderManager.Restore(snapshot.Managers[m], Manager(m).Settings, ManagerHarness.Domain),
            _clearing, _breaker, [PerpetualVenue.RestoringSource], new ClearingOptions(PriceRule.Midpoint)))];
        PerpetualEngine engine = PerpetualEngine.Restore(snapshot.Engine);
        Venue = PerpetualVenue.Restore(snapshot.Venue, venues, engine);
        Engine = engine;
    }

    public Int128 ConservationGap(IEnumerable<int> traders) => PerpetualSetup.ConservationGap(Engine, traders.Select(Account));

    public void Dispose() => _clearing.Dispose();

    private static byte[] Write(Action<System.Buffers.IBufferWriter<byte>> write)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}

/// <summary>A <see cref="MultiMarketVenueHarness"/>'s snapshots of one block.</summary>
internal sealed record MultiMarketSnapshot(byte[] Engine, byte[] Venue, byte[][] Venues, byte[][] Managers)
{
    /// <summary>Whether two snapshots hold the same bytes, part by part.</summary>
    public bool SameBytes(MultiMarketSnapshot other) =>
        Engine.AsSpan().SequenceEqual(other.Engine) && Venue.AsSpan().SequenceEqual(other.Venue)
        && Venues.Zip(other.Venues).All(p => p.First.AsSpan().SequenceEqual(p.Second))
        && Managers.Zip(other.Managers).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
