using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    private Order[] _batchOrders = [];
    private Fill[] _batchFills = [];

    /// <summary>
    /// A whole block for a host with a plain <see cref="ClearingEngine"/> and no circuit breaker: clears
    /// <see cref="Events"/>, then <see cref="Submit"/>, clears batch <paramref name="block"/> (the host's
    /// <paramref name="orders"/> with the orders released for it), <see cref="ApplyFills"/> and <see cref="Evaluate"/>.
    /// </summary>
    /// <param name="block">The block.</param>
    /// <param name="observation">This block's oracle observation, if any.</param>
    /// <param name="cancellations">Signed cancellations that arrived in the block.</param>
    /// <param name="instructions">Signed instructions that arrived in the block.</param>
    /// <param name="engine">The engine that clears the batch; its capacity must hold the host's and the released orders.</param>
    /// <param name="orders">The host's own orders for batch <paramref name="block"/>; their ids must differ from the released orders'.</param>
    /// <param name="fills">Receives one fill per order of <paramref name="orders"/>.</param>
    /// <param name="nextBatchRandomness">The randomness of batch <c>block + 1</c>, for the priority keys of what this block releases.</param>
    /// <param name="options">The price rule and reference price.</param>
    /// <returns>The batch's clearing result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fills"/> is shorter than <paramref name="orders"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="block"/> is not after the last evaluated block, or the observation's price is out of the market's bounds.
    /// </exception>
    public ClearingResult ProcessBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<SignedCancellation> cancellations,
        ReadOnlySpan<SignedInstruction> instructions,
        ClearingEngine engine,
        ReadOnlySpan<Order> orders,
        Span<Fill> fills,
        Hash32 nextBatchRandomness,
        ClearingOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (fills.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_FillsTooShort(fills.Length, orders.Length, nameof(fills));
        }

        ClearEvents();
        Submit(block, cancellations, instructions);
        ReadOnlySpan<ManagedOrder> released = ReleasedOrders(block);
        int total = orders.Length + released.Length;
        if (_batchOrders.Length < total)
        {
            _batchOrders = new Order[total];
            _batchFills = new Fill[total];
        }

        orders.CopyTo(_batchOrders);
        for (int i = 0; i < released.Length; i++)
        {
            _batchOrders[orders.Length + i] = released[i].Order;
        }

        ClearingResult result = engine.Clear(_settings.Market, _batchOrders.AsSpan(0, total), _batchFills.AsSpan(0, total), options);
        _batchFills.AsSpan(0, orders.Length).CopyTo(fills);
        ApplyFills(block, block, _batchFills.AsSpan(orders.Length, released.Length), result.Price);
        Evaluate(block, observation, nextBatchRandomness);
        return result;
    }
}
