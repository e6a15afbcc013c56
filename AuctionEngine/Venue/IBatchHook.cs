using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Venue;

/// <summary>
/// A layer that guards and follows every batch a <see cref="BatchVenue"/> clears (a perpetual market's margin engine):
/// it admits the batch's orders just before the clearing and learns the whole outcome just after it. Register it with
/// <see cref="BatchVenue.SetHook"/>.
/// </summary>
/// <remarks>
/// Both calls come inside <see cref="BatchVenue.ProcessBlock"/>, in step 2 and 3: <see cref="AdmitBatch"/> once the batch
/// holds every order (host's, sources', the manager's), and <see cref="OnBatchDone"/> after the host, the sources and
/// the manager have learned their fills and before the manager's evaluation, so what the hook tells the manager (a
/// position) already counts for the releases of the same block. A batch the circuit breaker interrupts is admitted again
/// when it finally clears. A hook must not call back into the venue.
/// </remarks>
public interface IBatchHook
{
    /// <summary>Decides how much of each order may enter the batch.</summary>
    /// <param name="block">The block the batch clears in.</param>
    /// <param name="orders">The batch's orders, with their priority keys.</param>
    /// <param name="quantities">
    /// On entry, each order's quantity (<c>quantities[i]</c> for <c>orders[i]</c>); the hook lowers it to cut an order
    /// down, or to 0 to keep the order out of the batch (the venue then treats it as unfilled, not as a rejection: the
    /// hook reports its own reasons). A value above the order's quantity or below 0 counts as the nearest bound.
    /// </param>
    void AdmitBatch(long block, ReadOnlySpan<Order> orders, Span<long> quantities);

    /// <summary>The outcome of a batch that cleared or found no price.</summary>
    /// <param name="block">The block it cleared in.</param>
    /// <param name="clearingPrice">The uniform price, or null when the batch found no price.</param>
    /// <param name="orders">The orders that entered the clearing, each with its admitted quantity.</param>
    /// <param name="fills">Their fills: <c>fills[i]</c> for <c>orders[i]</c>.</param>
    void OnBatchDone(long block, long? clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills);
}
