using System.Buffers;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Venue;

public sealed partial class BatchVenue
{
    /// <summary>What the snapshot is of, in its error messages.</summary>
    internal const string SnapshotKind = "a batch venue";

    /// <summary>The version of the format <see cref="WriteSnapshot"/> writes.</summary>
    public const int SnapshotVersion = 1;

    private const uint SnapshotMagic = 0x4E56_4541; // "AEVN" little-endian
    private const int HeldOrderSize = 8 + Address.Length + 1 + 1 + 8 + 8 + 8 + 4 + 8;

    /// <summary>
    /// Writes the venue's own state (the manager has its own <see cref="OrderManager.WriteSnapshot"/>): the last block,
    /// the last clearing price, the last oracle observation, and an interruption with every order it holds.
    /// </summary>
    /// <param name="destination">Receives the snapshot.</param>
    /// <remarks>
    /// Version 1, little-endian: the magic <c>AEVN</c>, the version (<c>u16</c>), the last block, the last clearing price
    /// (a flag and the price), the last observation (a flag, price, published block), the interruption's end block
    /// (<see cref="long.MinValue"/> for none) and first batch, the manager's waiting batches, and the waiting host and
    /// source orders (id, trader, side, type, limit, quantity, priority key, source index, batch). Take it between blocks,
    /// with the manager's; the same state always gives the same bytes.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void WriteSnapshot(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int size = 4 + 2 + 8 + 1 + 8 + 1 + 8 + 8 + 8 + 8 + 4 + (8 * _managerBatches.Count) + 4 + (HeldOrderSize * _held.Count);
        var writer = new SnapshotWriter(destination.GetSpan(size)[..size]);
        writer.UInt32(SnapshotMagic);
        writer.UInt16((ushort)SnapshotVersion);
        writer.Int64(_lastBlock);
        writer.Boolean(_hasLastPrice);
        writer.Int64(_lastPrice);
        writer.Boolean(_hasOracle);
        writer.Int64(_oracle.Price);
        writer.Int64(_oracle.PublishedBlock);
        writer.Int64(_interruptedUntil);
        writer.Int64(_firstWaitingBatch);
        writer.Int32(_managerBatches.Count);
        foreach (long batch in _managerBatches.Span)
        {
            writer.Int64(batch);
        }

        writer.Int32(_held.Count);
        foreach (HeldOrder held in _held.Span)
        {
            Order order = held.Order;
            writer.UInt64(order.Id);
            writer.Address(order.Trader);
            writer.Byte((byte)order.Side);
            writer.Byte((byte)order.Type);
            writer.Int64(order.LimitPrice);
            writer.Int64(order.Quantity);
            writer.UInt64(order.PriorityKey);
            writer.Int32(held.Source);
            writer.Int64(held.Batch);
        }

        destination.Advance(size);
    }

    /// <summary>
    /// Restores a venue from <see cref="WriteSnapshot"/>'s bytes around a manager restored from the snapshot taken at the
    /// same block; its later events are exactly those the original venue would have reported.
    /// </summary>
    /// <param name="snapshot">The venue's snapshot.</param>
    /// <param name="manager">The manager, restored from its snapshot of the same block.</param>
    /// <param name="engine">The clearing engine.</param>
    /// <param name="circuitBreaker">The circuit breaker's settings (not part of the snapshot).</param>
    /// <param name="sources">The order sources, in the order the original venue added them.</param>
    /// <param name="options">The price rule and reference price.</param>
    /// <returns>The restored venue.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a venue snapshot of a version this library reads, are cut short, or name a source not given.
    /// </exception>
    public static BatchVenue Restore(
        ReadOnlySpan<byte> snapshot,
        OrderManager manager,
        ClearingEngine engine,
        CircuitBreakerSettings circuitBreaker,
        IReadOnlyList<IBatchOrderSource> sources,
        ClearingOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var venue = new BatchVenue(manager, engine, circuitBreaker, options);
        foreach (IBatchOrderSource source in sources)
        {
            venue.AddSource(source);
        }

        var reader = new SnapshotReader(snapshot, SnapshotKind);
        if (reader.UInt32() != SnapshotMagic)
        {
            ThrowHelper.ThrowInvalidData_VenueSnapshot("the magic is not AEVN.");
        }

        if (reader.UInt16() != SnapshotVersion)
        {
            ThrowHelper.ThrowInvalidData_VenueSnapshot("the version is not 1.");
        }

        venue._lastBlock = reader.Int64();
        venue._hasLastPrice = reader.Byte() != 0;
        venue._lastPrice = reader.Int64();
        venue._hasOracle = reader.Byte() != 0;
        venue._oracle = new OracleObservation(reader.Int64(), reader.Int64());
        venue._interruptedUntil = reader.Int64();
        venue._firstWaitingBatch = reader.Int64();
        int batches = reader.Count(8);
        for (int i = 0; i < batches; i++)
        {
            venue._managerBatches.Add(reader.Int64());
        }

        int held = reader.Count(HeldOrderSize);
        for (int i = 0; i < held; i++)
        {
            ulong id = reader.UInt64();
            var trader = new Address(reader.Bytes(Address.Length));
            var side = (Side)reader.Byte();
            var type = (OrderType)reader.Byte();
            long limit = reader.Int64();
            long quantity = reader.Int64();
            ulong key = reader.UInt64();
            int source = reader.Int32();
            long batch = reader.Int64();
            if (source != HostSource && (source < 0 || source >= sources.Count))
            {
                ThrowHelper.ThrowInvalidData_VenueSnapshot($"a waiting order names source {source}, but {sources.Count} were given.");
            }

            venue._held.Add(new HeldOrder(new Order(id, trader, side, type, limit, quantity, key), source, batch));
        }

        if (!reader.AtEnd)
        {
            ThrowHelper.ThrowInvalidData_VenueSnapshot("bytes follow the end of the snapshot.");
        }

        return venue;
    }
}
