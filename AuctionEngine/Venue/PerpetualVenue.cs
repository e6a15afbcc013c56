using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Management.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Venue;

/// <summary>
/// A perpetual futures market's block loop: a <see cref="BatchVenue"/> (standing instructions, host orders, circuit
/// breaker) whose every batch is admitted against, and settled into, the cross-margin accounts of a
/// <see cref="PerpetualEngine"/>, with the engine's liquidation orders joining the batches as an order source.
/// </summary>
/// <remarks>
/// <para>
/// The venue composes the two rather than changing either: it registers a liquidation <see cref="IBatchOrderSource"/>
/// and an <see cref="IBatchHook"/> with the batch venue. <see cref="ProcessBlock"/> runs block N as:
/// </para>
/// <list type="number">
/// <item><description>the engine's <see cref="PerpetualEngine.UpdateOracle"/> with the block's observation when it is
/// usable (published at or before N, at most the manager's <see cref="OrderManagerSettings.MaxOracleAgeBlocks"/> old),
/// then <see cref="PerpetualEngine.ScanLiquidations"/>: liquidation orders for batch N + 1;</description></item>
/// <item><description>the batch venue's block: the manager's submissions; batch N with the host's orders, the liquidation
/// orders scanned in N − 1 and the manager's released orders, every one but the liquidations admitted by
/// <see cref="PerpetualEngine.Admit"/> (rejections become events; a reduce-only order is cut down); after the clearing,
/// <see cref="PerpetualEngine.ApplyFills"/> at the uniform price, and <see cref="OrderManager.UpdatePosition"/> for every
/// trader whose position moved (by a fill, or by the last block's deleveraging) or who submitted an instruction, before the
/// manager's evaluation;</description></item>
/// <item><description><see cref="PerpetualEngine.EndBlock"/>: funding, deleveraging, the release of the scanned liquidations.</description></item>
/// </list>
/// <para>
/// Reduce-only: a host order says so itself (<see cref="PerpetualOrder.ReduceOnly"/>), a manager's release when its
/// instruction was signed so (<see cref="ManagedOrder.ReduceOnly"/>: a limit or iceberg, a TWAP's parts, an OCO's legs,
/// a bracket's entry); the manager's stops, trailing stops and bracket exits always are, signed so or not. A liquidation order kept waiting by a circuit breaker is dropped when its batch
/// finally clears if the engine has released newer ones since (it rescans every block).
/// </para>
/// <para>
/// <see cref="Events"/> lists the block in this order: the margin engine's rejections and reductions (batch order: host's
/// orders by id, then the manager's in release order); the batch venue's events (see <see cref="BatchVenue.Events"/>);
/// then funding, deleveraging and insolvency in the engine's order; the liquidation orders released for batch N + 1
/// (scanned at block N's oracle, cut to what batch N left of each position; ascending account); and the insurance
/// fund's balance if it changed. The same inputs always give the same events.
/// </para>
/// <para>
/// The engine must have exactly one market, the batch venue's (same lot and tick size): one venue drives its block steps.
/// A host deposits into and withdraws from <see cref="Engine"/> between blocks. Not thread-safe.
/// </para>
/// </remarks>
public sealed class PerpetualVenue
{
    private const int MarketIndex = 0;

    private readonly BatchVenue _venue;
    private readonly PerpetualEngine _engine;
    private readonly ValueList<PerpetualVenueEvent> _events = new(64);
    private readonly ValueList<PerpetualVenueEvent> _admissionEvents = new(16);
    private readonly Dictionary<ulong, bool> _hostReduceOnly = [];   // host orders waiting for their batch: id -> reduce-only
    private readonly Dictionary<ulong, ManagedOrder> _managedById = [];
    private readonly HashSet<Address> _moved = [];
    private readonly List<Address> _movedSorted = [];
    private readonly long[] _oraclePrice = new long[1];
    private PerpetualOrder[] _admitOrders = new PerpetualOrder[64];
    private OrderAdmission[] _admitResults = new OrderAdmission[64];
    private int[] _admitIndex = new int[64];
    private readonly HashSet<ulong> _foreignMarket = [];      // host orders naming another market: refused as UnknownMarket
    private Order[] _plain = new Order[64];
    private Order[] _settleOrders = new Order[64];
    private bool _hasOracle;
    private bool _fundChangedInBatch;

    /// <summary>Creates a perpetual venue around a batch venue and a margin engine.</summary>
    /// <param name="venue">The batch venue; from now on it must be driven only through this venue.</param>
    /// <param name="engine">The margin engine, with one market: the venue's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="venue"/> or <paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException">The engine does not have exactly one market, or its lot or tick size differs from the venue's market.</exception>
    public PerpetualVenue(BatchVenue venue, PerpetualEngine engine)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(engine);
        Market market = venue.Manager.Settings.Market;
        if (engine.MarketCount != 1 || engine.GetMarket(MarketIndex).Market.LotSize != market.LotSize
            || engine.GetMarket(MarketIndex).Market.TickSize != market.TickSize)
        {
            ThrowHelper.ThrowArgumentException_PerpetualVenueMarket(nameof(engine));
        }

        _venue = venue;
        _engine = engine;
        LiquidationSource = venue.AddSource(new LiquidationOrders(engine));
        venue.SetHook(new MarginHook(this));
    }

    /// <summary>The batch venue whose batches this venue guards.</summary>
    public BatchVenue Venue => _venue;

    /// <summary>The margin engine holding the accounts.</summary>
    public PerpetualEngine Engine => _engine;

    /// <summary>The <see cref="VenueEvent.Source"/> of liquidation orders in the batch venue's events.</summary>
    public int LiquidationSource { get; }

    /// <summary>The events of the last <see cref="ProcessBlock"/>, in the documented order; valid until the next call.</summary>
    public ReadOnlySpan<PerpetualVenueEvent> Events => _events.Span;

    /// <summary>Runs one block (see the remarks of <see cref="PerpetualVenue"/>).</summary>
    /// <param name="block">The block; after the last one processed.</param>
    /// <param name="observation">This block's oracle observation, if the host has one.</param>
    /// <param name="cancellations">Signed cancellations that arrived in the block.</param>
    /// <param name="instructions">Signed instructions that arrived in the block.</param>
    /// <param name="orders">The host's orders for batch <paramref name="block"/>; <see cref="PerpetualOrder.MarketIndex"/> must be 0.</param>
    /// <param name="batchRandomness">Batch <paramref name="block"/>'s randomness.</param>
    /// <param name="nextBatchRandomness">Batch <c>block + 1</c>'s randomness.</param>
    /// <returns><see cref="Events"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// As <see cref="BatchVenue.ProcessBlock"/>, or the observation's price is above the perpetual market's maximum; the
    /// venue is then unchanged.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// No usable oracle observation has been seen yet (a perpetual market needs an index price before its first batch), or
    /// an order's id has <see cref="PerpetualEngine.LiquidationIdFlag"/> set; the venue is then unchanged.
    /// </exception>
    public ReadOnlySpan<PerpetualVenueEvent> ProcessBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<SignedCancellation> cancellations,
        ReadOnlySpan<SignedInstruction> instructions,
        ReadOnlySpan<PerpetualOrder> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        Span<Order> plain = BeginBlock(block, observation, orders);
        foreach (SignedInstruction instruction in instructions)
        {
            _moved.Add(instruction.Instruction.Trader);
        }

        AddVenueEvents(_venue.ProcessBlock(block, observation, cancellations, instructions, plain, batchRandomness, nextBatchRandomness));
        EndBlock(block);
        return _events.Span;
    }

    /// <summary><see cref="ProcessBlock"/> for instructions whose signatures the caller has already checked (tests).</summary>
    internal ReadOnlySpan<PerpetualVenueEvent> ProcessVerifiedBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<InstructionCancellation> cancellations,
        ReadOnlySpan<Instruction> instructions,
        ReadOnlySpan<PerpetualOrder> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        Span<Order> plain = BeginBlock(block, observation, orders);
        foreach (Instruction instruction in instructions)
        {
            _moved.Add(instruction.Trader);
        }

        AddVenueEvents(_venue.ProcessVerifiedBlock(block, observation, cancellations, instructions, plain, batchRandomness, nextBatchRandomness));
        EndBlock(block);
        return _events.Span;
    }

    private Span<Order> BeginBlock(long block, OracleObservation? observation, ReadOnlySpan<PerpetualOrder> orders)
    {
        if (block <= _venue.LastBlock || block <= _venue.Manager.LastEvaluatedBlock)
        {
            ThrowHelper.ThrowArgumentOutOfRange_BlockAlreadyEvaluated(block, Math.Max(_venue.LastBlock, _venue.Manager.LastEvaluatedBlock));
        }

        bool usable = observation is { } given && given.PublishedBlock <= block
            && block - given.PublishedBlock <= _venue.Manager.Settings.MaxOracleAgeBlocks;
        if (!usable && !_hasOracle)
        {
            ThrowHelper.ThrowArgumentException_PerpetualVenueNoOracle(block, nameof(observation));
        }

        long maxPrice = Math.Min(_venue.Manager.Settings.Market.MaxPrice, _engine.GetMarket(MarketIndex).Market.MaxPrice);
        if (observation is { } any && (any.Price < 1 || any.Price > maxPrice))
        {
            ThrowHelper.ThrowArgumentOutOfRange_OraclePrice(any.Price, maxPrice, nameof(observation));
        }

        foreach (PerpetualOrder order in orders)
        {
            if ((order.Order.Id & PerpetualEngine.LiquidationIdFlag) != 0)
            {
                ThrowHelper.ThrowArgumentException_LiquidationIdTaken(order.Order.Id, nameof(orders));
            }
        }

        _events.Clear();
        _admissionEvents.Clear();
        if (usable)
        {
            _oraclePrice[0] = observation!.Value.Price;
            _engine.UpdateOracle(_oraclePrice);
            _hasOracle = true;
        }

        _engine.ScanLiquidations();

        if (_plain.Length < orders.Length)
        {
            _plain = new Order[Math.Max(orders.Length, _plain.Length * 2)];
        }

        for (int i = 0; i < orders.Length; i++)
        {
            _plain[i] = orders[i].Order;
            _hostReduceOnly[orders[i].Order.Id] = orders[i].ReduceOnly;
            if (orders[i].MarketIndex != MarketIndex)
            {
                // Remembered, so that the engine refuses it as UnknownMarket rather than trading it here.
                _foreignMarket.Add(orders[i].Order.Id);
            }
        }

        return _plain.AsSpan(0, orders.Length);
    }

    private void AddVenueEvents(ReadOnlySpan<VenueEvent> venueEvents)
    {
        foreach (PerpetualVenueEvent e in _admissionEvents.Span)
        {
            _events.Add(e);
        }

        foreach (VenueEvent e in venueEvents)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Venue, Block = e.Block, Venue = e });
        }
    }

    private void EndBlock(long block)
    {
        Int128 fundBefore = _engine.InsuranceFund;
        _engine.EndBlock();
        foreach (FundingPayment payment in _engine.FundingPayments)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Funding, Block = block, Funding = payment });
        }

        foreach (Deleveraging deleveraging in _engine.Deleveragings)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Deleveraged, Block = block, Deleveraging = deleveraging });
            _moved.Add(deleveraging.Bankrupt);
            _moved.Add(deleveraging.Counterparty);
        }

        foreach (Insolvency insolvency in _engine.Insolvencies)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Insolvent, Block = block, Insolvency = insolvency });
        }

        // Reported as released, not as scanned: the release drops or cuts what this block's batch already closed.
        foreach (LiquidationOrder liquidation in _engine.ReleasedLiquidations)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Liquidation, Block = block, Liquidation = liquidation });
        }

        if (_engine.InsuranceFund != fundBefore || _fundChangedInBatch)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.InsuranceFund, Block = block, Balance = _engine.InsuranceFund });
        }

        _fundChangedInBatch = false;
    }

    private void Admit(long block, ReadOnlySpan<Order> orders, Span<long> quantities)
    {
        _managedById.Clear();
        foreach (ManagedOrder managed in _venue.Manager.PendingOrders)
        {
            _managedById[managed.Order.Id] = managed;
        }

        if (_admitOrders.Length < orders.Length)
        {
            int size = Math.Max(orders.Length, _admitOrders.Length * 2);
            _admitOrders = new PerpetualOrder[size];
            _admitResults = new OrderAdmission[size];
            _admitIndex = new int[size];
        }

        ReadOnlySpan<LiquidationOrder> released = _engine.ReleasedLiquidations;
        int count = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            Order order = orders[i];
            bool reduceOnly;
            if (_hostReduceOnly.TryGetValue(order.Id, out bool hostReduceOnly))
            {
                reduceOnly = hostReduceOnly;
            }
            else if (_managedById.TryGetValue(order.Id, out ManagedOrder managed))
            {
                reduceOnly = managed.ReduceOnly || IsProtective(managed);
                order = WithoutLiquidationFlag(order);
            }
            else
            {
                // A liquidation order. Only the engine's current ones may trade: one held back by an interruption is stale.
                if (!IsReleased(released, order.Id))
                {
                    quantities[i] = 0;
                }

                continue;
            }

            int market = _foreignMarket.Contains(order.Id) ? -1 : MarketIndex;
            _admitOrders[count] = new PerpetualOrder(market, order, reduceOnly);
            _admitIndex[count] = i;
            count++;
        }

        _engine.Admit(_admitOrders.AsSpan(0, count), _admitResults.AsSpan(0, count));
        for (int k = 0; k < count; k++)
        {
            OrderAdmission result = _admitResults[k];
            int i = _admitIndex[k];
            Order order = orders[i];
            if (result.IsAdmitted && result.Quantity == order.Quantity)
            {
                continue;
            }

            quantities[i] = result.IsAdmitted ? result.Quantity : 0;
            _admissionEvents.Add(new PerpetualVenueEvent
            {
                Kind = result.IsAdmitted ? PerpetualVenueEventKind.Reduced : PerpetualVenueEventKind.Rejected,
                Block = block, OrderId = order.Id, Trader = order.Trader,
                Instruction = _managedById.TryGetValue(order.Id, out ManagedOrder managed) ? managed.Instruction : default,
                Admission = result.Status, Quantity = quantities[i],
            });
        }
    }

    /// <summary>
    /// The manager's order ids are digests, so half of them have the bit the engine reserves for its liquidation orders;
    /// the engine sees them with it cleared (it only sorts and matches by id), so they are never taken for liquidations.
    /// </summary>
    private static Order WithoutLiquidationFlag(in Order order) =>
        new(order.Id & ~PerpetualEngine.LiquidationIdFlag, order.Trader, order.Side, order.Type, order.LimitPrice, order.Quantity, order.PriorityKey);

    private static bool IsReleased(ReadOnlySpan<LiquidationOrder> released, ulong id)
    {
        foreach (LiquidationOrder liquidation in released)
        {
            if (liquidation.OrderId == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stops, trailing stops and bracket exits protect a position: on a perpetual they only ever reduce it.</summary>
    private static bool IsProtective(in ManagedOrder order) =>
        order.Kind is InstructionKind.Stop or InstructionKind.TrailingStop
        || (order.Kind == InstructionKind.Bracket && order.Role is LegRole.TakeProfit or LegRole.StopLoss);

    private void Settle(long block, long? clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills)
    {
        Int128 fundBefore = _engine.InsuranceFund;
        if (clearingPrice is { } price)
        {
            if (_settleOrders.Length < orders.Length)
            {
                _settleOrders = new Order[Math.Max(orders.Length, _settleOrders.Length * 2)];
            }

            for (int i = 0; i < orders.Length; i++)
            {
                _settleOrders[i] = _managedById.ContainsKey(orders[i].Id) ? WithoutLiquidationFlag(orders[i]) : orders[i];
            }

            _engine.ApplyFills(MarketIndex, price, _settleOrders.AsSpan(0, orders.Length), fills);
            for (int i = 0; i < orders.Length; i++)
            {
                if (!fills[i].IsRejected && fills[i].FilledQuantity > 0)
                {
                    _moved.Add(orders[i].Trader);
                }
            }
        }

        _fundChangedInBatch |= _engine.InsuranceFund != fundBefore;

        // Every waiting order of the batch is done now.
        _hostReduceOnly.Clear();
        _foreignMarket.Clear();

        // The manager learns the positions before it evaluates, so this block's releases already respect them.
        _movedSorted.Clear();
        _movedSorted.AddRange(_moved);
        _movedSorted.Sort();
        _moved.Clear();
        foreach (Address trader in _movedSorted)
        {
            _venue.Manager.UpdatePosition(block, trader, _engine.HasAccount(trader) ? _engine.GetPosition(trader, MarketIndex) : 0);
        }
    }

    /// <summary>The engine's released liquidation orders, listed into each batch.</summary>
    private sealed class LiquidationOrders(PerpetualEngine engine) : IBatchOrderSource
    {
        public void ListOrders(long batch, BatchOrderSink orders)
        {
            foreach (LiquidationOrder liquidation in engine.ReleasedLiquidations)
            {
                orders.Add(liquidation.ToOrder(0));
            }
        }

        public void OnOrderDone(long block, long batch, in Order order, in Fill fill, long? clearingPrice)
        {
            // The whole batch settles in the hook, liquidations with the rest.
        }
    }

    private sealed class MarginHook(PerpetualVenue owner) : IBatchHook
    {
        public void AdmitBatch(long block, ReadOnlySpan<Order> orders, Span<long> quantities) => owner.Admit(block, orders, quantities);

        public void OnBatchDone(long block, long? clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills) =>
            owner.Settle(block, clearingPrice, orders, fills);
    }
}
