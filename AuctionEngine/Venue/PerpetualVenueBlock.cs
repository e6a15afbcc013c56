using AuctionEngine.Management;
using AuctionEngine.Options;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Venue;

/// <summary>
/// What the host brings to one block of a <see cref="PerpetualVenue"/> over several markets: the block, its oracle
/// observations and volatilities, the signed submissions and host orders of every market, and the batch randomness.
/// A view over the caller's spans; <see cref="PerpetualVenue.ProcessBlock(PerpetualVenueBlock)"/> copies what it keeps.
/// </summary>
public readonly ref struct PerpetualVenueBlock
{
    /// <summary>The block; after the last one processed.</summary>
    public long Block { get; init; }

    /// <summary>The block's timestamp in seconds since the Unix epoch: option series are valued with the years from it to their expiry.</summary>
    public long Timestamp { get; init; }

    /// <summary>
    /// One entry per perpetual market (<see cref="PerpetualEngine.MarketCount"/>), by index: this block's oracle
    /// observation of the market's index price, or null when the host has none.
    /// </summary>
    public ReadOnlySpan<OracleObservation?> Observations { get; init; }

    /// <summary>
    /// One volatility per listed option series (σ per √year), in listing order, settled series included (ignored);
    /// empty when <see cref="Surfaces"/> is given or no series is listed.
    /// </summary>
    public ReadOnlySpan<double> Volatilities { get; init; }

    /// <summary>
    /// Instead of <see cref="Volatilities"/>: one surface per perpetual market (null for a market without open series),
    /// each series' volatility read at its log-moneyness and years to expiry (see
    /// <see cref="PerpetualEngine.UpdateVolatilities(long, long, IReadOnlyList{VolatilitySurface})"/>).
    /// </summary>
    public IReadOnlyList<VolatilitySurface?>? Surfaces { get; init; }

    /// <summary>Signed cancellations that arrived in the block, for any market: each goes to the market whose address it names.</summary>
    public ReadOnlySpan<SignedCancellation> Cancellations { get; init; }

    /// <summary>Signed instructions that arrived in the block, for any market: each goes to the market whose address it names.</summary>
    public ReadOnlySpan<SignedInstruction> Instructions { get; init; }

    /// <summary>The host's orders for this block's batches: each goes to the batch of its <see cref="PerpetualOrder.MarketIndex"/>.</summary>
    public ReadOnlySpan<PerpetualOrder> Orders { get; init; }

    /// <summary>This block's batch randomness, used by every market's batch (priority keys only matter within a batch).</summary>
    public Hash32 BatchRandomness { get; init; }

    /// <summary>The next block's batch randomness, for the orders the managers release now.</summary>
    public Hash32 NextBatchRandomness { get; init; }
}
