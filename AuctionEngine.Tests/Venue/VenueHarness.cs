using System.Buffers;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Management;
using AuctionEngine.Venue;

namespace AuctionEngine.Tests.Venue;

/// <summary>Drives a <see cref="BatchVenue"/> block by block and keeps every event; host orders are built from (trader, side, price, quantity).</summary>
internal sealed class VenueHarness
{
    private static ulong _nextId = 1;

    public VenueHarness(CircuitBreakerSettings breaker, int maxOracleAge = 3)
    {
        Breaker = breaker;
        Engine = new ClearingEngine(4_096);
        Venue = new BatchVenue(new OrderManager(ManagerHarness.Settings(maxOracleAge: maxOracleAge), ManagerHarness.Domain), Engine, breaker);
    }

    public CircuitBreakerSettings Breaker { get; }

    public ClearingEngine Engine { get; }

    public BatchVenue Venue { get; private set; }

    public List<VenueEvent> Events { get; } = [];

    public static Order Buy(long price, long quantity = 1, int trader = 1) =>
        new(_nextId++, ManagerHarness.Trader(trader), Side.Buy, OrderType.Limit, price, quantity, 0);

    public static Order Sell(long price, long quantity = 1, int trader = 2) =>
        new(_nextId++, ManagerHarness.Trader(trader), Side.Sell, OrderType.Limit, price, quantity, 0);

    /// <summary>A buy and a sell of one lot at <paramref name="price"/>: a batch whose only price is <paramref name="price"/>.</summary>
    public static Order[] CrossAt(long price) => [Buy(price), Sell(price)];

    public List<VenueEvent> Block(long block, long? oracle, Order[]? orders = null, Instruction[]? instructions = null, InstructionCancellation[]? cancellations = null, long? publishedBlock = null)
    {
        OracleObservation? observation = oracle is { } price ? new OracleObservation(price, publishedBlock ?? block) : null;
        List<VenueEvent> events = [.. Venue.ProcessVerifiedBlock(
            block, observation, cancellations ?? [], instructions ?? [], orders ?? [],
            ManagerHarness.Randomness(block), ManagerHarness.Randomness(block + 1)).ToArray()];
        Events.AddRange(events);
        return events;
    }

    public (byte[] Manager, byte[] Venue) Snapshot()
    {
        var manager = new ArrayBufferWriter<byte>();
        Venue.Manager.WriteSnapshot(manager);
        var venue = new ArrayBufferWriter<byte>();
        Venue.WriteSnapshot(venue);
        return (manager.WrittenSpan.ToArray(), venue.WrittenSpan.ToArray());
    }

    public void RestoreFrom((byte[] Manager, byte[] Venue) snapshot, IReadOnlyList<IBatchOrderSource>? sources = null)
    {
        OrderManager manager = OrderManager.Restore(snapshot.Manager, Venue.Manager.Settings, ManagerHarness.Domain);
        Venue = BatchVenue.Restore(snapshot.Venue, manager, Engine, Breaker, sources ?? []);
    }
}

/// <summary>A source that lists the orders it is given per block and records how each ended.</summary>
internal sealed class RecordingSource(Func<long, IEnumerable<Order>> orders) : IBatchOrderSource
{
    public List<(long Batch, Order Order)> Listed { get; } = [];

    public List<(long Block, long Batch, Order Order, Fill Fill, long? Price)> Done { get; } = [];

    public void ListOrders(long batch, BatchOrderSink sink)
    {
        foreach (Order order in orders(batch))
        {
            Listed.Add((batch, order));
            sink.Add(order);
        }
    }

    public void OnOrderDone(long block, long batch, in Order order, in Fill fill, long? clearingPrice) => Done.Add((block, batch, order, fill, clearingPrice));
}

internal static class VenueEventQueries
{
    public static IEnumerable<VenueEvent> OfKind(this IEnumerable<VenueEvent> events, VenueEventKind kind) => events.Where(e => e.Kind == kind);

    public static IEnumerable<ManagementEvent> Managed(this IEnumerable<VenueEvent> events, ManagementEventKind kind) =>
        events.Where(e => e.Kind == VenueEventKind.Management && e.Management.Kind == kind).Select(e => e.Management);
}
