using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Tests.Perpetuals;
using AuctionEngine.Venue;

namespace AuctionEngine.Tests.Venue;

/// <summary>Drives a <see cref="PerpetualVenue"/> over the manager's test market (lot 1, tick 1) and keeps every event.</summary>
internal sealed class PerpetualVenueHarness
{
    private static ulong _nextId = 1;

    public PerpetualVenueHarness(
        int initialMarginPpm = 200_000, int maintenanceMarginPpm = 100_000, int feePpm = 0, int fundingIntervalBlocks = 1_000,
        int fundingCapPpm = 10_000, UInt128? minPositionNotionalLiquidated = null, int maxPositionPortionLiquidatedPpm = 1_000_000,
        CircuitBreakerSettings? breaker = null)
    {
        PerpetualMarket market = PerpetualSetup.Perpetual(
            ManagerHarness.Market, initialMarginPpm, maintenanceMarginPpm, feePpm: feePpm, fundingIntervalBlocks: fundingIntervalBlocks,
            fundingCapPpm: fundingCapPpm, minPositionNotionalLiquidated: minPositionNotionalLiquidated ?? 0,
            maxPositionPortionLiquidatedPpm: maxPositionPortionLiquidatedPpm);
        Engine = new PerpetualEngine([market]);
        var venue = new BatchVenue(new OrderManager(ManagerHarness.Settings(), ManagerHarness.Domain), new ClearingEngine(4_096), breaker ?? CircuitBreakerSettings.Off);
        Venue = new PerpetualVenue(venue, Engine);
    }

    public PerpetualEngine Engine { get; }

    public PerpetualVenue Venue { get; }

    public OrderManager Manager => Venue.Venue.Manager;

    public List<PerpetualVenueEvent> Events { get; } = [];

    public static Address Account(int trader) => ManagerHarness.Trader(trader);

    public static PerpetualOrder Buy(int trader, long price, long quantity, bool reduceOnly = false) =>
        new(0, new Order(_nextId++, Account(trader), Side.Buy, OrderType.Limit, price, quantity, 0), reduceOnly);

    public static PerpetualOrder Sell(int trader, long price, long quantity, bool reduceOnly = false) =>
        new(0, new Order(_nextId++, Account(trader), Side.Sell, OrderType.Limit, price, quantity, 0), reduceOnly);

    public void Deposit(int trader, long amount) => Engine.Deposit(Account(trader), (UInt128)amount);

    public long Position(int trader) => Engine.HasAccount(Account(trader)) ? Engine.GetPosition(Account(trader), 0) : 0;

    public List<PerpetualVenueEvent> Block(long block, long? oracle, PerpetualOrder[]? orders = null, Instruction[]? instructions = null, InstructionCancellation[]? cancellations = null)
    {
        OracleObservation? observation = oracle is { } price ? new OracleObservation(price, block) : null;
        List<PerpetualVenueEvent> events = [.. Venue.ProcessVerifiedBlock(
            block, observation, cancellations ?? [], instructions ?? [], orders ?? [],
            ManagerHarness.Randomness(block), ManagerHarness.Randomness(block + 1)).ToArray()];
        Events.AddRange(events);
        return events;
    }

    /// <summary>Collateral, the insurance fund and the fee account sum to the net deposits: nothing created or lost.</summary>
    public bool Conserves(IEnumerable<int> traders)
    {
        Int128 sum = Engine.InsuranceFund + Engine.FeeAccount;
        foreach (int trader in traders)
        {
            if (Engine.HasAccount(Account(trader)))
            {
                sum += Engine.GetCollateral(Account(trader));
            }
        }

        return sum == Engine.NetDeposits;
    }
}

internal static class PerpetualVenueEventQueries
{
    public static IEnumerable<PerpetualVenueEvent> OfKind(this IEnumerable<PerpetualVenueEvent> events, PerpetualVenueEventKind kind) => events.Where(e => e.Kind == kind);

    public static IEnumerable<ManagementEvent> Managed(this IEnumerable<PerpetualVenueEvent> events, ManagementEventKind kind) =>
        events.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == VenueEventKind.Management && e.Venue.Management.Kind == kind)
            .Select(e => e.Venue.Management);

    public static IEnumerable<VenueEvent> Venue(this IEnumerable<PerpetualVenueEvent> events, VenueEventKind kind) =>
        events.Where(e => e.Kind == PerpetualVenueEventKind.Venue && e.Venue.Kind == kind).Select(e => e.Venue);
}
