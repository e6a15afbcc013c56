namespace AuctionEngine.Venue;

/// <summary>What a <see cref="VenueEvent"/> reports; the fields each kind sets are listed on the member.</summary>
public enum VenueEventKind : byte
{
    /// <summary>Something the order manager did: see <see cref="VenueEvent.Management"/>. No other field is set.</summary>
    Management = 1,

    /// <summary>
    /// The block's batch cleared. Sets <see cref="VenueEvent.Batch"/> (the block), <see cref="VenueEvent.Price"/>,
    /// <see cref="VenueEvent.Volume"/> and <see cref="VenueEvent.FirstBatch"/> (the earliest batch whose orders it held:
    /// below <see cref="VenueEvent.Batch"/> after an interruption).
    /// </summary>
    Cleared = 2,

    /// <summary>
    /// The block's batch found no price (<see cref="Clearing.ClearingStatus.NothingExecutable"/> or
    /// <see cref="Clearing.ClearingStatus.ReferencePriceRequired"/>); its orders are done, unfilled. Sets
    /// <see cref="VenueEvent.Batch"/>, <see cref="VenueEvent.Status"/> and <see cref="VenueEvent.FirstBatch"/>.
    /// </summary>
    NotCleared = 3,

    /// <summary>
    /// The circuit breaker stopped the block's batch: its would-be price lay outside a band. Its orders wait, with those
    /// of the blocks before <see cref="VenueEvent.Until"/>, and clear together then. Sets <see cref="VenueEvent.Batch"/>,
    /// <see cref="VenueEvent.Price"/> (the would-be price), <see cref="VenueEvent.Band"/>, <see cref="VenueEvent.Until"/>
    /// and <see cref="VenueEvent.FirstBatch"/>.
    /// </summary>
    Interrupted = 4,

    /// <summary>
    /// An order of a host or an <see cref="IBatchOrderSource"/> traded (the manager's orders report their fills as
    /// <see cref="Management.ManagementEventKind.Fill"/> events). Sets <see cref="VenueEvent.Batch"/> (the batch it was listed for),
    /// <see cref="VenueEvent.Source"/>, <see cref="VenueEvent.OrderId"/>, <see cref="VenueEvent.Price"/> (the clearing
    /// price) and <see cref="VenueEvent.Quantity"/> (lots filled).
    /// </summary>
    Fill = 5,

    /// <summary>
    /// The clearing engine refused an order of a host or an <see cref="IBatchOrderSource"/>. Sets
    /// <see cref="VenueEvent.Batch"/>, <see cref="VenueEvent.Source"/>, <see cref="VenueEvent.OrderId"/> and
    /// <see cref="VenueEvent.Rejection"/>.
    /// </summary>
    OrderRejected = 6,
}
