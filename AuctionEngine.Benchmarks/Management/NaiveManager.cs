using AuctionEngine.Management;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Benchmarks.Management;

/// <summary>
/// The baseline: what a manager without indexes does each block. It scans every stop against the oracle and every
/// trailing stop's record, then sorts what triggered by instruction id and builds the released orders the same way
/// the indexed manager does, so both produce the same orders.
/// </summary>
internal sealed class NaiveManager
{
    private readonly Record[] _records;
    private readonly List<int> _triggered = [];
    private readonly List<Order> _released = [];
    private int _count;

    public NaiveManager(int capacity) => _records = new Record[capacity];

    public int Released => _released.Count;

    public void Add(Instruction instruction)
    {
        InstructionLeg leg = instruction.First;
        _records[_count++] = new Record
        {
            Id = instruction.ComputeDigest(ManagedBook.Domain), Trader = instruction.Trader, Type = leg.Type, Side = leg.Side,
            Falling = (leg.Side == Side.Sell) == (leg.StopKind == StopKind.StopLoss), Trigger = leg.Price, Quantity = leg.Quantity,
            SlippageBps = leg.SlippageBps, TrailingBps = leg.TrailingBps, Extreme = ManagedBook.Oracle,
        };
    }

    /// <summary>Untriggers every stop (between benchmark iterations).</summary>
    public void Reset()
    {
        for (int i = 0; i < _count; i++)
        {
            _records[i].Triggered = false;
        }
    }

    public int Evaluate(long oracle, Hash32 randomness)
    {
        _triggered.Clear();
        _released.Clear();
        for (int i = 0; i < _count; i++)
        {
            ref Record record = ref _records[i];
            if (record.Triggered)
            {
                continue;
            }

            bool triggers;
            if (record.Type == LegType.TrailingStop)
            {
                record.Extreme = record.Side == Side.Sell ? Math.Max(record.Extreme, oracle) : Math.Min(record.Extreme, oracle);
                triggers = record.Side == Side.Sell
                    ? oracle * 10_000 <= record.Extreme * (10_000 - record.TrailingBps)
                    : oracle * 10_000 >= record.Extreme * (10_000 + record.TrailingBps);
            }
            else
            {
                triggers = record.Falling ? oracle <= record.Trigger : oracle >= record.Trigger;
            }

            if (triggers)
            {
                record.Triggered = true;
                _triggered.Add(i);
            }
        }

        _triggered.Sort((a, b) => _records[a].Id.CompareTo(_records[b].Id));
        foreach (int i in _triggered)
        {
            ref Record record = ref _records[i];
            long limit = record.Side == Side.Buy ? ((oracle * (10_000 + record.SlippageBps)) + 9_999) / 10_000 : oracle * (10_000 - record.SlippageBps) / 10_000;
            _released.Add(Order.Limit(ReleaseIds.OrderId(record.Id, 0), record.Trader, record.Side, limit, record.Quantity, ReleaseIds.PriorityKey(record.Id, 0, randomness)));
        }

        return _released.Count;
    }

    private struct Record
    {
        public Hash32 Id;
        public Address Trader;
        public LegType Type;
        public Side Side;
        public bool Falling;
        public bool Triggered;
        public long Trigger;
        public long Quantity;
        public int SlippageBps;
        public int TrailingBps;
        public long Extreme;
    }
}
