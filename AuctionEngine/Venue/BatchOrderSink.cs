using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;

namespace AuctionEngine.Venue;

/// <summary>Collects an <see cref="IBatchOrderSource"/>'s orders for one batch into the venue's reusable buffer.</summary>
public sealed class BatchOrderSink
{
    private readonly ValueList<BatchVenue.HeldOrder> _held;
    private int _source;
    private long _batch;

    internal BatchOrderSink(ValueList<BatchVenue.HeldOrder> held) => _held = held;

    /// <summary>Adds one order to the batch; its priority key is replaced by the batch's (see <see cref="BatchVenue.PriorityKey"/>).</summary>
    /// <param name="order">The order; the engine validates it when the batch clears, refusing a bad one alone.</param>
    public void Add(in Order order) => _held.Add(new BatchVenue.HeldOrder(order, _source, _batch));

    internal void Begin(int source, long batch)
    {
        _source = source;
        _batch = batch;
    }
}
