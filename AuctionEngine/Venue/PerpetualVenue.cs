using System.Collections.ObjectModel;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Management.Internal;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue.Internal;

namespace AuctionEngine.Venue;

/// <summary>
/// The block loop of a <see cref="PerpetualEngine"/>'s markets, perpetuals and option series: one
/// <see cref="BatchVenue"/> per market (standing instructions, host orders, circuit breaker) whose every batch is admitted
/// against, and settled into, the engine's cross-margin accounts, with the engine's liquidation orders joining each
/// market's batch as an order source.
/// </summary>
/// <remarks>
/// <para>
/// The venue composes them rather than changing either: it registers a liquidation <see cref="IBatchOrderSource"/> and
/// an <see cref="IBatchHook"/> with every batch venue. <c>venues[i]</c> runs engine market <c>i</c>: the perpetual
/// markets first, then the option series in listing order. A block N runs as:
/// </para>
/// <list type="number">
/// <item><description>oracles: the engine's <see cref="PerpetualEngine.UpdateOracle"/> with every perpetual market's
/// observation that is usable (published at or before N, at most its manager's
/// <see cref="OrderManagerSettings.MaxOracleAgeBlocks"/> old; a market without one keeps its last price), then, with series
/// listed, <see cref="PerpetualEngine.UpdateVolatilities(long, long, ReadOnlySpan{double})"/> (series marks); every
/// series whose expiry block has come and whose underlying has a usable observation in this block, published at or after
/// the expiry block, is settled at that price (<see cref="PerpetualEngine.SettleSeries"/>); then <see cref="PerpetualEngine.ScanLiquidations"/>: liquidation
/// orders for batch N + 1;</description></item>
/// <item><description>for every market in index order, its batch venue's submissions (the instructions and cancellations
/// naming its market address) and batch N with the host's orders for it, the liquidation orders scanned in N − 1 for it
/// and its manager's released orders, every one but the liquidations admitted by <see cref="PerpetualEngine.Admit"/> (a
/// rejection becomes an event; a reduce-only order is cut down), and after the clearing
/// <see cref="PerpetualEngine.ApplyFills"/> at the uniform price. Markets clear one after another against the one
/// engine, so a fill in market 0 already counts for the admission in market 1;</description></item>
/// <item><description>once every market has cleared: <see cref="OrderManager.Close"/> on the manager of every option series
/// whose expiry block has come (once, at the first block at or after it, settled or not); then
/// <see cref="OrderManager.UpdatePosition"/> on each market's manager
/// for every trader whose position there moved (a fill, the last block's deleveraging, a settlement) or who submitted an
/// instruction to it; then <see cref="OrderManager.UpdateExposure"/> on every open manager with the portfolio exposure on its
/// underlying of every trader with a live delta hedge or quote in it, every block (its Greeks move with the oracle and
/// time, fills or not): <see cref="PerpetualEngine.GetPortfolioGreeks"/>'s delta in the underlying's lots and vega in
/// quote atoms per 1.00 of volatility, each rounded to the nearest integer, ties away from zero, and held within
/// <see cref="long"/>;</description></item>
/// <item><description>every manager's evaluation, in index order. A perpetual market's manager sees the block's
/// observation as given; an open series' manager sees the series' fair value as its oracle: the Black-76 mark of one lot
/// (<see cref="PerpetualEngine.GetSeriesMark"/>) in premium ticks, rounded to the nearest tick (ties away from zero), at
/// least 1 and at most the series' maximum price, published in the block of the underlying's observation, so that
/// staleness carries over; no fair value when the underlying has no usable observation in the block. From its expiry
/// block a series' manager is closed: it evaluates to nothing, so no fair value from before the expiry ever prices a
/// release, and it reports no <see cref="ManagementEventKind.Stale"/>;</description></item>
/// <item><description><see cref="PerpetualEngine.EndBlock"/>: funding, deleveraging, the release of the scanned liquidations.</description></item>
/// </list>
/// <para>
/// Expiry: from its expiry block an option series' orders, the host's and its manager's, are refused as
/// <see cref="AdmissionStatus.SeriesExpired"/> (the engine's rule); at the first such block whose underlying observation
/// is usable and published at or after the expiry block the venue settles it and reports
/// <see cref="PerpetualVenueEventKind.SeriesSettled"/>. Its manager closes at the expiry block itself, whether or not the
/// series can be settled then (settlement may wait for a price published at or after the expiry; the manager does not):
/// after the expiry block's batch, every instruction still live for the series ends as
/// <see cref="ManagementEventKind.Cancelled"/> with <see cref="CancelCause.MarketClosed"/> (one submitted in the expiry
/// block itself is accepted in its submission step, then cancelled so), freeing its trader's quota, and from then on the
/// manager refuses instructions as <see cref="InstructionRejectReason.MarketClosed"/> and releases nothing. A
/// cancellation for the series then names no live instruction
/// (<see cref="InstructionRejectReason.UnknownInstruction"/>).
/// </para>
/// <para>
/// Nothing a submitter sends sinks a block: a host order naming no market is refused as
/// <see cref="AdmissionStatus.UnknownMarket"/>, an instruction or cancellation naming no market's address as
/// <see cref="PerpetualVenueEventKind.InstructionRejected"/> or <see cref="PerpetualVenueEventKind.CancellationRejected"/>;
/// the rest of the block runs as if it had not come.
/// </para>
/// <para>
/// Reduce-only: a host order says so itself (<see cref="PerpetualOrder.ReduceOnly"/>), a manager's release when its
/// instruction was signed so (<see cref="ManagedOrder.ReduceOnly"/>: a limit or iceberg, a TWAP's parts, an OCO's legs,
/// a bracket's entry); the manager's stops, trailing stops and bracket exits always are, signed so or not. A liquidation order kept waiting by a circuit breaker is dropped when its batch
/// finally clears if the engine has released newer ones since (it rescans every block), and so is every liquidation
/// order of a series that has been settled.
/// </para>
/// <para>
/// <see cref="Events"/> lists the block in this order: the series settled (ascending market); the submissions naming no
/// market (cancellations, then instructions, then host orders, each ascending by id); for every market in index order,
/// the margin engine's rejections and reductions (batch order: host's orders by id, then the manager's in release
/// order) and then its batch venue's submission, batch and fill events (see <see cref="BatchVenue.Events"/>); for every
/// market in index order, its manager's close events (a series at its expiry block: <see cref="ManagementEventKind.Withdrawn"/>
/// and <see cref="ManagementEventKind.Cancelled"/>, ascending instruction id), position and evaluation events; then funding, deleveraging and insolvency in the
/// engine's order; the liquidation orders released for batch N + 1 (scanned at block N's oracle, cut to what batch N left
/// of each position; ascending account); and the insurance fund's balance if it changed. Every event says its market
/// (<see cref="PerpetualVenueEvent.MarketIndex"/>). The same inputs, in any order, always give the same events.
/// </para>
/// <para>
/// The engine's markets must not change while the venue runs them (a series listed later has no batch venue). A host
/// deposits into and withdraws from <see cref="Engine"/> between blocks. Once warm, a block allocates nothing. Not
/// thread-safe.
/// </para>
/// </remarks>
public sealed partial class PerpetualVenue
{
    // 2^63 as a double: the first value a long cannot hold.
    private const double LongLimit = 9223372036854775808.0;

    // Refused submissions: cancellations, then instructions, then host orders; within each, by every field the event
    // sets, so that equal keys are equal events and the order they came in never shows.
    private static readonly Comparison<PerpetualVenueEvent> CompareRefused = static (x, y) =>
    {
        int byKind = KindRank(x.Kind).CompareTo(KindRank(y.Kind));
        int byInstruction = x.Instruction.CompareTo(y.Instruction);
        int byOrder = x.OrderId.CompareTo(y.OrderId);
        int byTrader = x.Trader.CompareTo(y.Trader);
        int byMarket = x.MarketIndex.CompareTo(y.MarketIndex);
        return byKind != 0 ? byKind : byInstruction != 0 ? byInstruction : byOrder != 0 ? byOrder : byTrader != 0 ? byTrader
            : byMarket != 0 ? byMarket : x.MarketAddress.CompareTo(y.MarketAddress);

        static int KindRank(PerpetualVenueEventKind kind) => kind switch
        {
            PerpetualVenueEventKind.CancellationRejected => 0,
            PerpetualVenueEventKind.InstructionRejected => 1,
            _ => 2,
        };
    };

    private readonly Lane[] _lanes;
    private readonly ReadOnlyCollection<BatchVenue> _venues;
    private readonly PerpetualEngine _engine;
    private readonly int _perpetualCount;
    private readonly Dictionary<Address, int> _marketByAddress = [];
    private readonly ValueList<PerpetualVenueEvent> _events = new(64);
    private readonly ValueList<PerpetualVenueEvent> _admissionEvents = new(16);
    private readonly ValueList<PerpetualVenueEvent> _refused = new(8);
    private readonly Dictionary<ulong, ManagedOrder> _managedById = [];
    private readonly List<Address> _movedSorted = [];
    private readonly List<ulong> _hostOrderIds = []; // a lane's waiting host orders, sorted for a snapshot
    private readonly HashSet<Address> _exposureTraders = []; // every trader with a live hedge or quote in some manager
    private readonly Dictionary<Address, int> _exposureSlot = []; // its row in _exposureDelta and _exposureVega
    private long[] _exposureDelta = new long[16];     // row × perpetual count + underlying
    private long[] _exposureVega = new long[16];
    private readonly ValueList<TraderExposure> _exposures = new(16);
    private readonly long[] _oraclePrices;
    private readonly bool[] _hasOracle;
    private readonly bool[] _usable;
    private readonly OracleObservation?[] _oneObservation = new OracleObservation?[1];
    private readonly Routed<Order> _orders;
    private readonly Routed<SignedCancellation> _signedCancellations;
    private readonly Routed<SignedInstruction> _signedInstructions;
    private readonly Routed<InstructionCancellation> _cancellations;
    private readonly Routed<Instruction> _instructions;
    private PerpetualOrder[] _admitOrders = new PerpetualOrder[64];
    private OrderAdmission[] _admitResults = new OrderAdmission[64];
    private int[] _admitIndex = new int[64];
    private Order[] _plain = new Order[64];
    private Order[] _settleOrders = new Order[64];
    private bool _fundChangedInBatch;

    /// <summary>Creates a perpetual venue of one market around a batch venue and a margin engine.</summary>
    /// <param name="venue">The batch venue; from now on it must be driven only through this venue.</param>
    /// <param name="engine">The margin engine, with one perpetual market (the venue's) and no option series.</param>
    /// <exception cref="ArgumentNullException"><paramref name="venue"/> or <paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException">The engine does not have exactly one market, or its lot or tick size differs from the venue's market.</exception>
    public PerpetualVenue(BatchVenue venue, PerpetualEngine engine)
        : this(One(venue), engine)
    {
    }

    /// <summary>Creates a perpetual venue over every market of a margin engine, perpetuals and option series.</summary>
    /// <param name="venues">
    /// One batch venue per market of the engine: <c>venues[i]</c> runs market <c>i</c>, the perpetual markets first, then
    /// the option series in listing order (<see cref="PerpetualEngine.ListSeries"/>); each with its market's lot and tick
    /// size, a market address of its own (instructions are routed by it) and the same number of order sources as the
    /// others (normally none). From now on they must be driven only through this venue.
    /// </param>
    /// <param name="engine">The margin engine; list every series before building the venue.</param>
    /// <exception cref="ArgumentNullException"><paramref name="venues"/> or <paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// There is not one venue per market of the engine, a venue is null or its lot or tick size differs from its market's,
    /// two venues' managers share a market address, or the venues have different numbers of order sources.
    /// </exception>
    public PerpetualVenue(IReadOnlyList<BatchVenue> venues, PerpetualEngine engine)
        : this(venues, engine, restoring: false)
    {
    }

    /// <summary>
    /// Builds the venue; when <paramref name="restoring"/>, each venue's last source is <see cref="RestoringSource"/>,
    /// which the lane takes the place of, so that the waiting liquidation orders it names keep their source index.
    /// </summary>
    private PerpetualVenue(IReadOnlyList<BatchVenue> venues, PerpetualEngine engine, bool restoring)
    {
        ArgumentNullException.ThrowIfNull(venues);
        ArgumentNullException.ThrowIfNull(engine);
        int perpetuals = engine.MarketCount;
        if (venues.Count != perpetuals + engine.SeriesCount)
        {
            ThrowHelper.ThrowArgumentException_PerpetualVenueMarketCount(venues.Count, perpetuals, engine.SeriesCount, nameof(venues));
        }

        var batchVenues = new BatchVenue[venues.Count];
        for (int i = 0; i < batchVenues.Length; i++)
        {
            BatchVenue? venue = venues[i];
            Market market = i < perpetuals ? engine.GetMarket(i).Market : engine.GetSeries(i).Market;
            if (venue is null || venue.Manager.Settings.Market.LotSize != market.LotSize || venue.Manager.Settings.Market.TickSize != market.TickSize)
            {
                ThrowHelper.ThrowArgumentException_PerpetualVenueMarket(i, nameof(venues));
            }

            if (!_marketByAddress.TryAdd(venue.Manager.Settings.MarketAddress, i))
            {
                ThrowHelper.ThrowArgumentException_PerpetualVenueAddress(i, nameof(venues));
            }

            if (i > 0 && venue.SourceCount != batchVenues[0].SourceCount)
            {
                ThrowHelper.ThrowArgumentException_PerpetualVenueSources(i, nameof(venues));
            }

            if (restoring && !ReferenceEquals(venue.LastSource, RestoringSource))
            {
                ThrowHelper.ThrowArgumentException_PerpetualVenueNotRestoring(i, nameof(venues));
            }

            batchVenues[i] = venue;
        }

        _engine = engine;
        _perpetualCount = perpetuals;
        _venues = Array.AsReadOnly(batchVenues);
        _lanes = new Lane[batchVenues.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            Lane lane = _lanes[i] = new Lane(this, i, batchVenues[i], i < perpetuals ? null : engine.GetSeries(i));
            lane.Source = restoring ? batchVenues[i].ReplaceLastSource(lane) : batchVenues[i].AddSource(lane);
            batchVenues[i].SetHook(lane);
        }

        LiquidationSource = _lanes[0].Source;
        _oraclePrices = new long[perpetuals];
        _hasOracle = new bool[perpetuals];
        _usable = new bool[perpetuals];
        _orders = new Routed<Order>(_lanes.Length);
        _signedCancellations = new Routed<SignedCancellation>(_lanes.Length);
        _signedInstructions = new Routed<SignedInstruction>(_lanes.Length);
        _cancellations = new Routed<InstructionCancellation>(_lanes.Length);
        _instructions = new Routed<Instruction>(_lanes.Length);
    }

    /// <summary>Market 0's batch venue: the only one of a venue built over one market.</summary>
    public BatchVenue Venue => _lanes[0].Venue;

    /// <summary>Every market's batch venue, by market index.</summary>
    public IReadOnlyList<BatchVenue> Venues => _venues;

    /// <summary>The margin engine holding the accounts.</summary>
    public PerpetualEngine Engine => _engine;

    /// <summary>The <see cref="VenueEvent.Source"/> of liquidation orders in every batch venue's events.</summary>
    public int LiquidationSource { get; }

    /// <summary>The events of the last block processed, in the documented order; valid until the next call.</summary>
    public ReadOnlySpan<PerpetualVenueEvent> Events => _events.Span;

    /// <summary>
    /// The exposures given in the last block, in the order the managers learned them: by ascending market (closed markets
    /// left out: a series' from its expiry block), then ascending address, one for each trader with a live delta hedge or
    /// quote in that market's manager.
    /// </summary>
    internal ReadOnlySpan<TraderExposure> Exposures => _exposures.Span;

    /// <summary>Runs one block of a venue of one market (see the remarks of <see cref="PerpetualVenue"/>).</summary>
    /// <param name="block">The block; after the last one processed.</param>
    /// <param name="observation">This block's oracle observation, if the host has one.</param>
    /// <param name="cancellations">Signed cancellations that arrived in the block.</param>
    /// <param name="instructions">Signed instructions that arrived in the block.</param>
    /// <param name="orders">The host's orders for batch <paramref name="block"/>; one whose <see cref="PerpetualOrder.MarketIndex"/> is not 0 is refused as <see cref="AdmissionStatus.UnknownMarket"/>.</param>
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
    /// <exception cref="InvalidOperationException">The venue runs more than one market, or a series was listed on the engine after the venue was built.</exception>
    public ReadOnlySpan<PerpetualVenueEvent> ProcessBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<SignedCancellation> cancellations,
        ReadOnlySpan<SignedInstruction> instructions,
        ReadOnlySpan<PerpetualOrder> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        RequireSingleMarket();
        _oneObservation[0] = observation;
        var input = new PerpetualVenueBlock
        {
            Block = block, Observations = _oneObservation, Cancellations = cancellations, Instructions = instructions, Orders = orders,
            BatchRandomness = batchRandomness, NextBatchRandomness = nextBatchRandomness,
        };
        RunSigned(input, nameof(observation), nameof(orders));
        return _events.Span;
    }

    /// <summary>Runs one block over every market (see the remarks of <see cref="PerpetualVenue"/>).</summary>
    /// <param name="input">The block, its timestamp, oracle observations and volatilities, submissions, host orders and randomness.</param>
    /// <returns><see cref="Events"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The block is not after the last one processed or evaluated by every market's venue and manager, an observation's
    /// price is not between 1 and its market's maximum (the engine's and the manager's), or a volatility is negative or
    /// not finite; the venue is then unchanged.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// There is not one observation per perpetual market; a perpetual market has no usable observation in this block and
    /// had none before; with series listed, there is not one volatility per series, or not one surface per perpetual
    /// market with a surface for every market with an open series, or both volatilities and surfaces are given; or an
    /// order's id has <see cref="PerpetualEngine.LiquidationIdFlag"/> set. The venue is then unchanged.
    /// </exception>
    /// <exception cref="InvalidOperationException">A series was listed on the engine after the venue was built.</exception>
    public ReadOnlySpan<PerpetualVenueEvent> ProcessBlock(PerpetualVenueBlock input)
    {
        RunSigned(input, nameof(input), nameof(input));
        return _events.Span;
    }

    /// <summary>The one-market <see cref="ProcessBlock(long, OracleObservation?, ReadOnlySpan{SignedCancellation}, ReadOnlySpan{SignedInstruction}, ReadOnlySpan{PerpetualOrder}, Hash32, Hash32)"/> for instructions whose signatures the caller has already checked (tests).</summary>
    internal ReadOnlySpan<PerpetualVenueEvent> ProcessVerifiedBlock(
        long block,
        OracleObservation? observation,
        ReadOnlySpan<InstructionCancellation> cancellations,
        ReadOnlySpan<Instruction> instructions,
        ReadOnlySpan<PerpetualOrder> orders,
        Hash32 batchRandomness,
        Hash32 nextBatchRandomness)
    {
        RequireSingleMarket();
        _oneObservation[0] = observation;
        var input = new PerpetualVenueBlock
        {
            Block = block, Observations = _oneObservation, Orders = orders, BatchRandomness = batchRandomness, NextBatchRandomness = nextBatchRandomness,
        };
        RunVerified(input, cancellations, instructions, nameof(observation), nameof(orders));
        return _events.Span;
    }

    /// <summary><see cref="ProcessBlock(PerpetualVenueBlock)"/> for instructions whose signatures the caller has already checked (tests); the input's signed ones are ignored.</summary>
    internal ReadOnlySpan<PerpetualVenueEvent> ProcessVerifiedBlock(
        PerpetualVenueBlock input, ReadOnlySpan<InstructionCancellation> cancellations, ReadOnlySpan<Instruction> instructions)
    {
        RunVerified(input, cancellations, instructions, nameof(input), nameof(input));
        return _events.Span;
    }

    private void RequireSingleMarket()
    {
        if (_lanes.Length != 1)
        {
            ThrowHelper.ThrowInvalidOperation_PerpetualVenueNotSingle(_lanes.Length);
        }
    }

    private void RunSigned(scoped in PerpetualVenueBlock input, string observationsName, string ordersName)
    {
        BeginBlock(input, observationsName, ordersName);
        Span<int> markets = _signedCancellations.MarketsFor(input.Cancellations.Length);
        for (int i = 0; i < markets.Length; i++)
        {
            markets[i] = RouteCancellation(input.Block, input.Cancellations[i].Cancellation);
        }

        markets = _signedInstructions.MarketsFor(input.Instructions.Length);
        for (int i = 0; i < markets.Length; i++)
        {
            markets[i] = RouteInstruction(input.Block, input.Instructions[i].Instruction);
        }

        _signedCancellations.Partition(input.Cancellations);
        _signedInstructions.Partition(input.Instructions);
        AddRefused();
        foreach (Lane lane in _lanes)
        {
            lane.Venue.ClearBlock(
                input.Block, lane.Observation, _signedCancellations.For(lane.Index), _signedInstructions.For(lane.Index), _orders.For(lane.Index), input.BatchRandomness);
            AddClearEvents(lane);
        }

        FinishBlock(input.Block, input.NextBatchRandomness);
    }

    private void RunVerified(
        scoped in PerpetualVenueBlock input, ReadOnlySpan<InstructionCancellation> cancellations, ReadOnlySpan<Instruction> instructions,
        string observationsName, string ordersName)
    {
        BeginBlock(input, observationsName, ordersName);
        Span<int> markets = _cancellations.MarketsFor(cancellations.Length);
        for (int i = 0; i < markets.Length; i++)
        {
            markets[i] = RouteCancellation(input.Block, cancellations[i]);
        }

        markets = _instructions.MarketsFor(instructions.Length);
        for (int i = 0; i < markets.Length; i++)
        {
            markets[i] = RouteInstruction(input.Block, instructions[i]);
        }

        _cancellations.Partition(cancellations);
        _instructions.Partition(instructions);
        AddRefused();
        foreach (Lane lane in _lanes)
        {
            lane.Venue.ClearVerifiedBlock(
                input.Block, lane.Observation, _cancellations.For(lane.Index), _instructions.For(lane.Index), _orders.For(lane.Index), input.BatchRandomness);
            AddClearEvents(lane);
        }

        FinishBlock(input.Block, input.NextBatchRandomness);
    }

    /// <summary>Checks everything, then the block's first step: oracles, volatilities, settlements, the liquidation scan, each market's observation, the host's orders by market.</summary>
    private void BeginBlock(scoped in PerpetualVenueBlock input, string observationsName, string ordersName)
    {
        long block = input.Block;
        CheckBlock(input, observationsName, ordersName);

        _events.Clear();
        _refused.Clear();
        bool anyUsable = false;
        for (int m = 0; m < _perpetualCount; m++)
        {
            OracleObservation? observation = input.Observations[m];
            _usable[m] = observation is { } given && given.PublishedBlock <= block
                && block - given.PublishedBlock <= _lanes[m].Venue.Manager.Settings.MaxOracleAgeBlocks;
            if (_usable[m])
            {
                _oraclePrices[m] = observation!.Value.Price;
                _hasOracle[m] = true;
                anyUsable = true;
            }
            else
            {
                _oraclePrices[m] = _engine.GetOraclePrice(m);
            }
        }

        if (anyUsable)
        {
            _engine.UpdateOracle(_oraclePrices);
        }

        if (_lanes.Length > _perpetualCount)
        {
            if (input.Surfaces is { } surfaces)
            {
                _engine.UpdateVolatilities(block, input.Timestamp, surfaces);
            }
            else
            {
                _engine.UpdateVolatilities(block, input.Timestamp, input.Volatilities);
            }
        }

        for (int m = _perpetualCount; m < _lanes.Length; m++)
        {
            Lane lane = _lanes[m];
            // Only a price published at or after the expiry settles it: a usable but older observation is a pre-expiry price.
            if (!_engine.IsSeriesSettled(m) && block >= lane.Series!.ExpiryBlock && _usable[lane.Underlying]
                && input.Observations[lane.Underlying]!.Value.PublishedBlock >= lane.Series.ExpiryBlock)
            {
                SeriesSettlement settlement = _engine.SettleSeries(m, _oraclePrices[lane.Underlying]);
                _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.SeriesSettled, Block = block, MarketIndex = m, Settlement = settlement });
                foreach (Address account in _engine.LastSettledAccounts)
                {
                    lane.Moved.Add(account);
                }
            }
        }

        _engine.ScanLiquidations();

        foreach (Lane lane in _lanes)
        {
            if (lane.Series is null)
            {
                lane.Observation = input.Observations[lane.Index];
            }
            else if (block < lane.Series.ExpiryBlock && _usable[lane.Underlying])
            {
                lane.Observation = new OracleObservation(FairValue(lane), input.Observations[lane.Underlying]!.Value.PublishedBlock);
            }
            else
            {
                lane.Observation = null;
            }
        }

        RouteOrders(block, input.Orders);
    }

    private void CheckBlock(scoped in PerpetualVenueBlock input, string observationsName, string ordersName)
    {
        long block = input.Block;
        if (_engine.MarketCount + _engine.SeriesCount != _lanes.Length)
        {
            ThrowHelper.ThrowInvalidOperation_PerpetualVenueMarketsChanged(_lanes.Length, _engine.MarketCount + _engine.SeriesCount);
        }

        foreach (Lane lane in _lanes)
        {
            if (block <= lane.Venue.LastBlock || block <= lane.Venue.Manager.LastEvaluatedBlock)
            {
                ThrowHelper.ThrowArgumentOutOfRange_BlockAlreadyEvaluated(block, Math.Max(lane.Venue.LastBlock, lane.Venue.Manager.LastEvaluatedBlock));
            }
        }

        if (input.Observations.Length != _perpetualCount)
        {
            ThrowHelper.ThrowArgumentException_Observations(input.Observations.Length, _perpetualCount, observationsName);
        }

        for (int m = 0; m < _perpetualCount; m++)
        {
            OracleObservation? observation = input.Observations[m];
            bool usable = observation is { } given && given.PublishedBlock <= block
                && block - given.PublishedBlock <= _lanes[m].Venue.Manager.Settings.MaxOracleAgeBlocks;
            if (!usable && !_hasOracle[m])
            {
                ThrowHelper.ThrowArgumentException_PerpetualVenueNoOracle(block, m, observationsName);
            }

            long maxPrice = Math.Min(_lanes[m].Venue.Manager.Settings.Market.MaxPrice, _engine.GetMarket(m).Market.MaxPrice);
            if (observation is { } any && (any.Price < 1 || any.Price > maxPrice))
            {
                ThrowHelper.ThrowArgumentOutOfRange_OraclePrice(any.Price, maxPrice, observationsName);
            }
        }

        if (_lanes.Length > _perpetualCount)
        {
            if (input.Surfaces is { } surfaces)
            {
                if (!input.Volatilities.IsEmpty)
                {
                    ThrowHelper.ThrowArgumentException_VolatilitiesAndSurfaces(observationsName);
                }

                _engine.CheckSurfaces(surfaces, observationsName);
            }
            else
            {
                _engine.CheckVolatilities(input.Volatilities, observationsName);
            }
        }

        foreach (PerpetualOrder order in input.Orders)
        {
            if ((order.Order.Id & PerpetualEngine.LiquidationIdFlag) != 0)
            {
                ThrowHelper.ThrowArgumentException_LiquidationIdTaken(order.Order.Id, ordersName);
            }
        }
    }

    /// <summary>An open series' fair value in premium ticks: its mark of one lot over its tick size, rounded to nearest, within 1 and its maximum price.</summary>
    private long FairValue(Lane lane)
    {
        double ticks = Math.Round(_engine.GetSeriesMark(lane.Index) / (double)lane.Series!.Market.TickSize, MidpointRounding.AwayFromZero);
        return ticks >= lane.MaxPrice ? lane.MaxPrice : Math.Max((long)ticks, 1);
    }

    private void RouteOrders(long block, ReadOnlySpan<PerpetualOrder> orders)
    {
        if (_plain.Length < orders.Length)
        {
            _plain = new Order[Math.Max(orders.Length, _plain.Length * 2)];
        }

        Span<int> markets = _orders.MarketsFor(orders.Length);
        for (int i = 0; i < orders.Length; i++)
        {
            PerpetualOrder order = orders[i];
            _plain[i] = order.Order;
            if ((uint)order.MarketIndex < (uint)_lanes.Length)
            {
                markets[i] = order.MarketIndex;
                _lanes[order.MarketIndex].HostReduceOnly[order.Order.Id] = order.ReduceOnly;
            }
            else
            {
                markets[i] = -1;
                _refused.Add(new PerpetualVenueEvent
                {
                    Kind = PerpetualVenueEventKind.Rejected, Block = block, MarketIndex = order.MarketIndex, OrderId = order.Order.Id,
                    Trader = order.Order.Trader, Admission = AdmissionStatus.UnknownMarket,
                });
            }
        }

        _orders.Partition(_plain.AsSpan(0, orders.Length));
    }

    /// <summary>The market a cancellation goes to, or −1 (refused) when it names none.</summary>
    private int RouteCancellation(long block, in InstructionCancellation cancellation)
    {
        if (_marketByAddress.TryGetValue(cancellation.Market, out int market))
        {
            return market;
        }

        _refused.Add(new PerpetualVenueEvent
        {
            Kind = PerpetualVenueEventKind.CancellationRejected, Block = block, MarketIndex = -1, Trader = cancellation.Trader,
            Instruction = cancellation.Instruction, MarketAddress = cancellation.Market, Reason = InstructionRejectReason.WrongMarket,
        });
        return -1;
    }

    /// <summary>The market an instruction goes to, or −1 (refused) when it names none; its trader's position and exposure are told to the managers this block.</summary>
    private int RouteInstruction(long block, in Instruction instruction)
    {
        if (_marketByAddress.TryGetValue(instruction.Market, out int market))
        {
            _lanes[market].Moved.Add(instruction.Trader);
            return market;
        }

        Hash32 id = default;
        if (Enum.IsDefined(instruction.Kind))
        {
            Span<byte> digest = stackalloc byte[Keccak256.HashSize];
            instruction.ComputeDigest(_lanes[0].Venue.Manager.Domain, Keccak256.PerThread, digest);
            id = new Hash32(digest);
        }

        _refused.Add(new PerpetualVenueEvent
        {
            Kind = PerpetualVenueEventKind.InstructionRejected, Block = block, MarketIndex = -1, Trader = instruction.Trader,
            Instruction = id, MarketAddress = instruction.Market, Reason = InstructionRejectReason.WrongMarket,
        });
        return -1;
    }

    /// <summary>The refused submissions, in an order that does not depend on the order they came in.</summary>
    private void AddRefused()
    {
        _refused.Span.Sort(CompareRefused);
        foreach (PerpetualVenueEvent e in _refused.Span)
        {
            _events.Add(e);
        }
    }

    private void AddClearEvents(Lane lane)
    {
        foreach (PerpetualVenueEvent e in _admissionEvents.Span)
        {
            _events.Add(e);
        }

        _admissionEvents.Clear();
        ReadOnlySpan<VenueEvent> venueEvents = lane.Venue.Events;
        AddVenueEvents(lane, venueEvents);
        lane.ClearedEventCount = venueEvents.Length;
    }

    private void AddVenueEvents(Lane lane, ReadOnlySpan<VenueEvent> venueEvents)
    {
        foreach (VenueEvent e in venueEvents)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Venue, Block = e.Block, MarketIndex = lane.Index, Venue = e });
        }
    }

    /// <summary>After every market cleared: expired series' managers closed, positions and exposures, every manager's evaluation, the engine's end of block.</summary>
    private void FinishBlock(long block, Hash32 nextBatchRandomness)
    {
        CloseExpiredSeries(block);
        UpdatePositions(block);
        ComputeExposures(block);
        foreach (Lane lane in _lanes)
        {
            lane.Venue.EvaluateBlock(block, lane.Observation, nextBatchRandomness);
            AddVenueEvents(lane, lane.Venue.Events[lane.ClearedEventCount..]);
        }

        EndBlock(block);
    }

    /// <summary>
    /// Closes the manager of every series whose expiry block has come (<see cref="OrderManager.Close"/>), settled or not:
    /// from its expiry block the engine refuses the series' orders, so its manager must release nothing more, and its last
    /// fair value, published before the expiry, must never price anything again. It runs after the series' batch, whose
    /// fills the manager has learnt, and before any evaluation; its events stay in the manager's until the lane's
    /// evaluation collects them, first of that lane's evaluation-phase events.
    /// </summary>
    private void CloseExpiredSeries(long block)
    {
        for (int m = _perpetualCount; m < _lanes.Length; m++)
        {
            OrderManager manager = _lanes[m].Venue.Manager;
            if (!manager.IsClosed && block >= _lanes[m].Series!.ExpiryBlock)
            {
                manager.Close(block);
            }
        }
    }

    /// <summary>Each manager learns the positions of its market's moved traders before it evaluates, so this block's releases already respect them.</summary>
    private void UpdatePositions(long block)
    {
        foreach (Lane lane in _lanes)
        {
            if (lane.Moved.Count == 0)
            {
                continue;
            }

            _movedSorted.Clear();
            _movedSorted.AddRange(lane.Moved);
            _movedSorted.Sort();
            lane.Moved.Clear();
            foreach (Address trader in _movedSorted)
            {
                lane.Venue.Manager.UpdatePosition(block, trader, _engine.HasAccount(trader) ? _engine.GetPosition(trader, lane.Index) : 0);
            }
        }
    }

    /// <summary>
    /// Each open manager learns, every block, the exposure of every trader with a live delta hedge or quote in it
    /// (<see cref="OrderManager.UpdateExposure"/>, and <see cref="Exposures"/>): the portfolio delta and vega of
    /// <see cref="PerpetualEngine.GetPortfolioGreeks"/> on the manager's underlying, rounded to the nearest integer, ties
    /// away from zero, held within <see cref="long"/>; 0 and 0 for a trader without an account. Every block, fills or
    /// not, since an option's Greeks move with the oracle, the volatility and time; only those traders, since no other
    /// instruction reads an exposure. Each trader's Greeks are computed once per underlying, however many managers
    /// learn them.
    /// </summary>
    private void ComputeExposures(long block)
    {
        _exposures.Clear();
        _exposureTraders.Clear();
        foreach (Lane lane in _lanes)
        {
            lane.ExposureTraders.Clear();
            if (!lane.Venue.Manager.IsClosed)
            {
                lane.Venue.Manager.CollectExposureTraders(lane.ExposureTraders);
                foreach (Address trader in lane.ExposureTraders)
                {
                    _exposureTraders.Add(trader);
                }
            }
        }

        if (_exposureTraders.Count == 0)
        {
            return;
        }

        int rows = _exposureTraders.Count * _perpetualCount;
        if (_exposureDelta.Length < rows)
        {
            _exposureDelta = new long[Math.Max(rows, _exposureDelta.Length * 2)];
            _exposureVega = new long[_exposureDelta.Length];
        }

        _exposureSlot.Clear();
        foreach (Address trader in _exposureTraders)
        {
            int row = _exposureSlot.Count * _perpetualCount;
            _exposureSlot.Add(trader, _exposureSlot.Count);
            bool known = _engine.HasAccount(trader);
            for (int u = 0; u < _perpetualCount; u++)
            {
                PortfolioGreeks greeks = known ? _engine.GetPortfolioGreeks(trader, u) : default;
                _exposureDelta[row + u] = RoundToLong(greeks.Delta);
                _exposureVega[row + u] = RoundToLong(greeks.Vega);
            }
        }

        foreach (Lane lane in _lanes)
        {
            if (lane.ExposureTraders.Count == 0)
            {
                continue;
            }

            _movedSorted.Clear();
            _movedSorted.AddRange(lane.ExposureTraders);
            _movedSorted.Sort();
            foreach (Address trader in _movedSorted)
            {
                int at = (_exposureSlot[trader] * _perpetualCount) + lane.Underlying;
                _exposures.Add(new TraderExposure(lane.Index, trader, _exposureDelta[at], _exposureVega[at]));
                lane.Venue.Manager.UpdateExposure(block, trader, _exposureDelta[at], _exposureVega[at]);
            }
        }
    }

    /// <summary>Rounds to the nearest integer, ties away from zero, and holds the result within <see cref="long"/>.</summary>
    internal static long RoundToLong(double value)
    {
        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded >= LongLimit ? long.MaxValue : rounded <= -LongLimit ? long.MinValue : (long)rounded;
    }

    private void EndBlock(long block)
    {
        Int128 fundBefore = _engine.InsuranceFund;
        _engine.EndBlock();
        foreach (FundingPayment payment in _engine.FundingPayments)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Funding, Block = block, MarketIndex = payment.MarketIndex, Funding = payment });
        }

        foreach (Deleveraging deleveraging in _engine.Deleveragings)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Deleveraged, Block = block, MarketIndex = deleveraging.MarketIndex, Deleveraging = deleveraging });
            Lane lane = _lanes[deleveraging.MarketIndex];
            lane.Moved.Add(deleveraging.Bankrupt);
            lane.Moved.Add(deleveraging.Counterparty);
        }

        foreach (Insolvency insolvency in _engine.Insolvencies)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Insolvent, Block = block, MarketIndex = -1, Insolvency = insolvency });
        }

        // Reported as released, not as scanned: the release drops or cuts what this block's batch already closed.
        foreach (LiquidationOrder liquidation in _engine.ReleasedLiquidations)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.Liquidation, Block = block, MarketIndex = liquidation.MarketIndex, Liquidation = liquidation });
        }

        if (_engine.InsuranceFund != fundBefore || _fundChangedInBatch)
        {
            _events.Add(new PerpetualVenueEvent { Kind = PerpetualVenueEventKind.InsuranceFund, Block = block, MarketIndex = -1, Balance = _engine.InsuranceFund });
        }

        _fundChangedInBatch = false;
    }

    private void Admit(Lane lane, long block, ReadOnlySpan<Order> orders, Span<long> quantities)
    {
        _managedById.Clear();
        foreach (ManagedOrder managed in lane.Venue.Manager.PendingOrders)
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
        bool settled = lane.Series is not null && _engine.IsSeriesSettled(lane.Index);
        int count = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            Order order = orders[i];
            bool reduceOnly;
            if (lane.HostReduceOnly.TryGetValue(order.Id, out bool hostReduceOnly))
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
                // A liquidation order. Only the engine's current ones may trade: one held back by an interruption is
                // stale, and a settled series' positions are closed already.
                if (settled || !IsReleased(released, order.Id))
                {
                    quantities[i] = 0;
                }

                continue;
            }

            _admitOrders[count] = new PerpetualOrder(lane.Index, order, reduceOnly);
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
                Block = block, MarketIndex = lane.Index, OrderId = order.Id, Trader = order.Trader,
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

    private void Settle(Lane lane, long? clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills)
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

            _engine.ApplyFills(lane.Index, price, _settleOrders.AsSpan(0, orders.Length), fills);
            for (int i = 0; i < orders.Length; i++)
            {
                if (!fills[i].IsRejected && fills[i].FilledQuantity > 0)
                {
                    lane.Moved.Add(orders[i].Trader);
                }
            }
        }

        _fundChangedInBatch |= _engine.InsuranceFund != fundBefore;

        // Every waiting order of the batch is done now.
        lane.HostReduceOnly.Clear();
    }

    private static BatchVenue[] One(BatchVenue venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        return [venue];
    }

    /// <summary>One market: its batch venue, the liquidation source and margin hook registered with it, and its per-block state.</summary>
    private sealed class Lane : IBatchOrderSource, IBatchHook
    {
        private readonly PerpetualVenue _owner;

        public Lane(PerpetualVenue owner, int index, BatchVenue venue, OptionSeries? series)
        {
            _owner = owner;
            Index = index;
            Venue = venue;
            Series = series;
            Underlying = series?.UnderlyingMarketIndex ?? index;
            MaxPrice = Math.Min(venue.Manager.Settings.Market.MaxPrice, series?.Market.MaxPrice ?? long.MaxValue);
        }

        public int Index { get; }

        public BatchVenue Venue { get; }

        /// <summary>The option series, or null for a perpetual market.</summary>
        public OptionSeries? Series { get; }

        /// <summary>The perpetual market whose exposure the manager learns: itself, or the series' underlying.</summary>
        public int Underlying { get; }

        /// <summary>The highest fair value a series' manager may be given.</summary>
        public long MaxPrice { get; }

        public int Source { get; set; }

        /// <summary>This block's observation for the manager and the circuit breaker.</summary>
        public OracleObservation? Observation { get; set; }

        /// <summary>How many of the batch venue's events the clear phase reported.</summary>
        public int ClearedEventCount { get; set; }

        /// <summary>Host orders waiting for their batch: id → reduce-only.</summary>
        public Dictionary<ulong, bool> HostReduceOnly { get; } = [];

        /// <summary>The traders with a live delta hedge or quote in this market's manager, gathered each block.</summary>
        public HashSet<Address> ExposureTraders { get; } = [];

        /// <summary>Traders whose position in this market the manager must learn.</summary>
        public HashSet<Address> Moved { get; } = [];

        public void ListOrders(long batch, BatchOrderSink orders)
        {
            foreach (LiquidationOrder liquidation in _owner._engine.ReleasedLiquidations)
            {
                if (liquidation.MarketIndex == Index)
                {
                    orders.Add(liquidation.ToOrder(0));
                }
            }
        }

        public void OnOrderDone(long block, long batch, in Order order, in Fill fill, long? clearingPrice)
        {
            // The whole batch settles in the hook, liquidations with the rest.
        }

        public void AdmitBatch(long block, ReadOnlySpan<Order> orders, Span<long> quantities) => _owner.Admit(this, block, orders, quantities);

        public void OnBatchDone(long block, long? clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills) =>
            _owner.Settle(this, clearingPrice, orders, fills);
    }

    /// <summary>A block's submissions of one kind, grouped by market in a reusable buffer (a stable counting sort).</summary>
    private sealed class Routed<T>(int markets)
    {
        private readonly int[] _starts = new int[markets + 1];
        private readonly int[] _next = new int[markets];
        private int[] _markets = new int[16];
        private T[] _items = new T[16];

        /// <summary>Where the caller writes each item's market (−1: none) before <see cref="Partition"/>.</summary>
        public Span<int> MarketsFor(int count)
        {
            if (_markets.Length < count)
            {
                _markets = new int[Math.Max(count, _markets.Length * 2)];
            }

            return _markets.AsSpan(0, count);
        }

        public void Partition(ReadOnlySpan<T> items)
        {
            Array.Clear(_starts);
            for (int i = 0; i < items.Length; i++)
            {
                if (_markets[i] >= 0)
                {
                    _starts[_markets[i] + 1]++;
                }
            }

            for (int m = 1; m < _starts.Length; m++)
            {
                _starts[m] += _starts[m - 1];
            }

            if (_items.Length < _starts[^1])
            {
                _items = new T[Math.Max(_starts[^1], _items.Length * 2)];
            }

            Array.Copy(_starts, _next, _next.Length);
            for (int i = 0; i < items.Length; i++)
            {
                if (_markets[i] >= 0)
                {
                    _items[_next[_markets[i]]++] = items[i];
                }
            }
        }

        public ReadOnlySpan<T> For(int market) => _items.AsSpan(_starts[market], _starts[market + 1] - _starts[market]);
    }
}
