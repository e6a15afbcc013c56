using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Venue;

/// <summary>
/// Another producer of orders for a <see cref="BatchVenue"/>'s batches (liquidations, hedges, a market maker): it lists
/// its orders for each block's batch and learns how each one ended. Register it with <see cref="BatchVenue.AddSource"/>.
/// </summary>
/// <remarks>
/// The venue keeps a source's orders while a circuit breaker holds their batch, so a source lists each order once and
/// hears about it once, when its batch finally clears (or finds no price). Calls come in the venue's block order:
/// <see cref="ListOrders"/> in step 2 of every block, then <see cref="OnOrderDone"/> for each of its orders in the batch
/// that clears. A source must not call back into the venue.
/// </remarks>
public interface IBatchOrderSource
{
    /// <summary>Lists the source's orders for batch <paramref name="batch"/> (the block being processed).</summary>
    /// <param name="batch">The batch, which is also the block.</param>
    /// <param name="orders">Where to add them; its <see cref="BatchOrderSink.Add"/> copies each order.</param>
    void ListOrders(long batch, BatchOrderSink orders);

    /// <summary>How one of the source's orders ended: the batch holding it cleared or found no price.</summary>
    /// <param name="block">The block the batch cleared in.</param>
    /// <param name="batch">The batch the order was listed for (earlier than <paramref name="block"/> after an interruption).</param>
    /// <param name="order">The order as listed, with its priority key as cleared.</param>
    /// <param name="fill">Its fill; a rejected order's carries the reason.</param>
    /// <param name="clearingPrice">The uniform price, or null when the batch found no price.</param>
    void OnOrderDone(long block, long batch, in Order order, in Fill fill, long? clearingPrice);
}
