using System.Buffers;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;

namespace AuctionEngine.Venue;

public sealed partial class PerpetualVenue
{
    /// <summary>What the snapshot is of, in its error messages.</summary>
    internal const string SnapshotKind = "a perpetual venue";

    /// <summary>The version of the format <see cref="WriteSnapshot"/> writes.</summary>
    public const int SnapshotVersion = 1;

    private const uint SnapshotMagic = 0x5650_4541; // "AEPV" little-endian
    private const int HostOrderRecordSize = 8 + 1;

    /// <summary>
    /// The order source a host lists last when it restores each of this venue's batch venues with
    /// <see cref="BatchVenue.Restore"/> (its own sources, normally none, then this one): the waiting liquidation
    /// orders a batch venue's snapshot holds name the venue's liquidation source by index, and
    /// <see cref="Restore"/> puts that source in this one's place. It lists no order; running a block with it throws.
    /// </summary>
    public static IBatchOrderSource RestoringSource { get; } = new PlaceholderSource();

    /// <summary>
    /// Writes the venue's own state between blocks; each batch venue, its manager and the engine have their own snapshots
    /// (<see cref="BatchVenue.WriteSnapshot"/>, <see cref="OrderManager.WriteSnapshot"/>,
    /// <see cref="PerpetualEngine.WriteSnapshot"/>), taken at the same block.
    /// </summary>
    /// <param name="destination">Receives the snapshot.</param>
    /// <remarks>
    /// What survives a block here and nowhere else: which perpetual markets have had a usable oracle, each market's host
    /// orders waiting in an interrupted batch with their reduce-only flags, and the traders whose positions the
    /// deleveraging at the end of the block moved, whom each manager learns at the next block. Everything else is rebuilt
    /// every block. Version 1, little-endian: the magic <c>AEPV</c>, the version (<c>u16</c>), the market and perpetual
    /// counts (<c>i32</c>), a flag per perpetual market, then per market the waiting host orders (count, then id and
    /// reduce-only flag, ascending id) and the moved traders (count, then addresses, ascending). The same state always
    /// gives the same bytes.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void WriteSnapshot(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int size = 4 + 2 + 4 + 4 + _perpetualCount;
        foreach (Lane lane in _lanes)
        {
            size += 4 + (HostOrderRecordSize * lane.HostReduceOnly.Count) + 4 + (Address.Length * lane.Moved.Count);
        }

        var writer = new SnapshotWriter(destination.GetSpan(size)[..size]);
        writer.UInt32(SnapshotMagic);
        writer.UInt16(SnapshotVersion);
        writer.Int32(_lanes.Length);
        writer.Int32(_perpetualCount);
        foreach (bool hasOracle in _hasOracle)
        {
            writer.Boolean(hasOracle);
        }

        foreach (Lane lane in _lanes)
        {
            // Dictionaries and sets keep no order that the same state always reproduces: the snapshot sorts.
            _hostOrderIds.Clear();
            foreach (ulong id in lane.HostReduceOnly.Keys)
            {
                _hostOrderIds.Add(id);
            }

            _hostOrderIds.Sort();
            writer.Int32(_hostOrderIds.Count);
            foreach (ulong id in _hostOrderIds)
            {
                writer.UInt64(id);
                writer.Boolean(lane.HostReduceOnly[id]);
            }

            _movedSorted.Clear();
            _movedSorted.AddRange(lane.Moved);
            _movedSorted.Sort();
            writer.Int32(_movedSorted.Count);
            foreach (Address trader in _movedSorted)
            {
                writer.Address(trader);
            }
        }

        destination.Advance(size);
    }

    /// <summary>
    /// Restores a venue from <see cref="WriteSnapshot"/>'s bytes around its parts restored from their snapshots of the
    /// same block: its later events are exactly those the original venue would have reported.
    /// </summary>
    /// <param name="snapshot">The venue's snapshot.</param>
    /// <param name="venues">
    /// One batch venue per market, each restored by <see cref="BatchVenue.Restore"/> (around its restored manager) with
    /// the host's own sources followed by <see cref="RestoringSource"/>.
    /// </param>
    /// <param name="engine">The margin engine, restored by <see cref="PerpetualEngine.Restore"/>.</param>
    /// <returns>The restored venue.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="venues"/> or <paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// As the constructor's, or a batch venue's last source is not <see cref="RestoringSource"/>.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a perpetual venue snapshot of a version this library reads, are cut short or run on, count
    /// other markets than the venues and the engine hold, or their waiting host orders are not those the batch venues
    /// hold (the parts were not all taken at the same block).
    /// </exception>
    public static PerpetualVenue Restore(ReadOnlySpan<byte> snapshot, IReadOnlyList<BatchVenue> venues, PerpetualEngine engine)
    {
        var venue = new PerpetualVenue(venues, engine, restoring: true);
        var reader = new SnapshotReader(snapshot, SnapshotKind);
        if (reader.UInt32() != SnapshotMagic)
        {
            ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("the magic is not AEPV.");
        }

        if (reader.UInt16() != SnapshotVersion)
        {
            ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("the version is not 1.");
        }

        if (reader.Int32() != venue._lanes.Length || reader.Int32() != venue._perpetualCount)
        {
            ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("it counts other markets than the venues and the engine hold.");
        }

        for (int m = 0; m < venue._perpetualCount; m++)
        {
            venue._hasOracle[m] = reader.Boolean();
            if (venue._hasOracle[m] && engine.GetOraclePrice(m) == 0)
            {
                ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("a market had an oracle that the engine never had.");
            }
        }

        var waiting = new List<ulong>();
        foreach (Lane lane in venue._lanes)
        {
            int hostOrders = reader.Count(HostOrderRecordSize);
            waiting.Clear();
            lane.Venue.CollectWaitingHostOrders(waiting);
            waiting.Sort();
            if (hostOrders != waiting.Count)
            {
                ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("its waiting host orders are not those the batch venue holds.");
            }

            for (int i = 0; i < hostOrders; i++)
            {
                ulong id = reader.UInt64();
                if (id != waiting[i])
                {
                    ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("its waiting host orders are not those the batch venue holds.");
                }

                lane.HostReduceOnly.Add(id, reader.Boolean());
            }

            int moved = reader.Count(Address.Length);
            for (int i = 0; i < moved; i++)
            {
                if (!lane.Moved.Add(reader.Address()))
                {
                    ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("a moved trader appears twice.");
                }
            }
        }

        if (!reader.AtEnd)
        {
            ThrowHelper.ThrowInvalidData_PerpetualVenueSnapshot("bytes follow the end of the snapshot.");
        }

        return venue;
    }

    /// <summary>Holds a restored batch venue's place for the lane (see <see cref="RestoringSource"/>).</summary>
    private sealed class PlaceholderSource : IBatchOrderSource
    {
        public void ListOrders(long batch, BatchOrderSink orders) => ThrowHelper.ThrowInvalidOperation_RestoringSource();

        public void OnOrderDone(long block, long batch, in Order order, in Fill fill, long? clearingPrice) => ThrowHelper.ThrowInvalidOperation_RestoringSource();
    }
}
