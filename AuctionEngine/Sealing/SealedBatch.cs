using System.Diagnostics;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Sealing;

/// <summary>
/// One market's batch for one block, from sealed submissions to a cleared result that a settlement contract can
/// verify. Nobody can read or reorder an order before the batch closes: traders submit either a commitment (revealed
/// later) or a ciphertext sealed to the batch's threshold key (decrypted once keypers release enough shares).
/// </summary>
/// <remarks>
/// <para>
/// The host drives the batch with the block numbers it observes; the batch never reads a clock. Phases only move
/// forward: <see cref="BatchPhase.Collecting"/> (in the batch's own block) → <see cref="Close"/> →
/// <see cref="BeginReveal"/> → <see cref="Reveal"/> and <see cref="OpenEncrypted"/> → <see cref="Clear"/> →
/// <see cref="MarkSettled"/>. Calling an operation in another phase throws <see cref="BatchPhaseException"/>.
/// </para>
/// <para>
/// The batch mirrors the reference settlement contract's rules, so that what it clears always settles: a commitment
/// is keyed by its trader and the hash (a hash copied by someone else is that someone's own commitment, which only
/// they are charged for); it binds exactly one signed order (<see cref="Commitments"/>); it reserved funds when it was
/// registered (<see cref="Reservation"/>), and an order its reservation cannot pay for at its worst is refused as
/// <see cref="SealRejectReason.Unfunded"/>; and a signed order opened by two commitments trades only once. Every
/// commitment ends up in the result once: as an opened order (which may trade nothing) or as a void with its reason.
/// </para>
/// <para>
/// A refused submission or reveal is answered with a <see cref="SealRejectReason"/> and affects nothing else. The
/// outcome never depends on arrival order: opened orders are cleared in ascending commitment order, with rationing
/// ties broken by <see cref="Commitments.PriorityKey"/>.
/// </para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class SealedBatch
{
    private readonly SealedBatchSettings _settings;
    private readonly Eip712Domain _domain;
    private readonly Dictionary<(Address Trader, Hash32 Commitment), Entry> _entries = [];
    private readonly Dictionary<Address, int> _ordersPerTrader = [];
    private int _unresolvedCiphertexts;
    private byte[] _batchKey = [];
    private Hash32 _randomness;
    private readonly List<ManagedOrder> _released = [];

    /// <summary>Opens the batch of block <paramref name="block"/>.</summary>
    /// <param name="settings">The market and the limits every batch enforces.</param>
    /// <param name="domain">The EIP-712 domain orders are signed under (the settlement contract's).</param>
    /// <param name="batchId">The batch's identifier, which signed orders must name.</param>
    /// <param name="block">The block whose orders this batch collects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> or <paramref name="domain"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is negative, or so late that the reveal window would end beyond the largest block number.</exception>
    public SealedBatch(SealedBatchSettings settings, Eip712Domain domain, ulong batchId, long block)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        if (block > LastUsableBlock(settings))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"A batch in block {block} could not close and reveal before the largest block number.");
        }

        _settings = settings;
        _domain = domain;
        BatchId = batchId;
        Block = block;
    }

    /// <summary>The batch's identifier.</summary>
    public ulong BatchId { get; }

    /// <summary>The block whose orders the batch collects.</summary>
    public long Block { get; }

    /// <summary>The current phase.</summary>
    public BatchPhase Phase { get; private set; }

    /// <summary>The first block in which reveals are no longer accepted; set by <see cref="BeginReveal"/>.</summary>
    public long? RevealDeadline { get; private set; }

    /// <summary>How many sealed orders (commitments and ciphertexts) the batch holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether ciphertexts are still waiting for the batch key.</summary>
    public bool IsAwaitingBatchKey => _unresolvedCiphertexts > 0;

    /// <summary>Registers a commit-reveal commitment from <paramref name="trader"/>.</summary>
    /// <param name="trader">The account that registered the commitment; the revealed order must be this trader's.</param>
    /// <param name="commitment"><see cref="Commitments.ForReveal"/> of the order's digest and a secret salt.</param>
    /// <param name="reservation">The funds the commitment set aside (the contract's <c>Committed</c> event).</param>
    /// <param name="block">The block the submission was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the commitment was refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is before the batch's block.</exception>
    public SealRejectReason Commit(Address trader, Hash32 commitment, Reservation reservation, long block) =>
        Register(trader, commitment, reservation, null, block);

    /// <summary>Registers an order encrypted to the batch key.</summary>
    /// <param name="trader">The account that submitted the ciphertext; the decrypted order must be this trader's.</param>
    /// <param name="commitment"><see cref="Commitments.ForEncrypted"/> of the order's digest and the ciphertext; checked when the ciphertext is opened.</param>
    /// <param name="ciphertext">An ECIES ciphertext of <see cref="SealedOrderCodec"/>'s plaintext. It is copied.</param>
    /// <param name="reservation">The funds the commitment set aside.</param>
    /// <param name="block">The block the submission was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the ciphertext was refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is before the batch's block.</exception>
    public SealRejectReason SubmitEncrypted(Address trader, Hash32 commitment, ReadOnlySpan<byte> ciphertext, Reservation reservation, long block)
    {
        if (ciphertext.Length > _settings.MaxCiphertextBytes && IsOpenFor(block))
        {
            return SealRejectReason.CiphertextTooLarge;
        }

        return Register(trader, commitment, reservation, ciphertext.ToArray(), block);
    }

    /// <summary>Ends collection once the batch's block is over.</summary>
    /// <param name="block">The block now observed; after the batch's block.</param>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Collecting"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the batch's block.</exception>
    public void Close(long block)
    {
        RequirePhase(BatchPhase.Collecting, nameof(Close));
        if (block <= Block)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"The batch's block {Block} has not ended.");
        }

        Phase = BatchPhase.Closed;
    }

    /// <summary>Starts the reveal window and fixes the batch's randomness.</summary>
    /// <remarks>
    /// The reference contract accepts reveals in blocks <c>batchId + 1</c> to <c>batchId + revealWindow</c>; a host
    /// settling through it begins reveals in block <c>batchId + 1</c>, so that both windows end together.
    /// </remarks>
    /// <param name="block">The block now observed: reveals are accepted from it for <see cref="SealedBatchSettings.RevealWindowBlocks"/> blocks.</param>
    /// <param name="randomness">Randomness nobody knew while orders were committed, such as the hash of the block after the batch's.</param>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Closed"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="block"/> is not after the batch's block, or so late that the window would end beyond the largest block number.
    /// </exception>
    public void BeginReveal(long block, Hash32 randomness)
    {
        RequirePhase(BatchPhase.Closed, nameof(BeginReveal));
        if (block <= Block)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"Reveals open after the batch's block {Block}.");
        }

        if (block > long.MaxValue - _settings.RevealWindowBlocks)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"A reveal window opening in block {block} would end beyond the largest block number.");
        }

        _randomness = randomness;
        RevealDeadline = block + _settings.RevealWindowBlocks;
        Phase = BatchPhase.Revealing;
    }

    /// <summary>
    /// Opens a commitment with the order it sealed: a commit-reveal order's reveal, or an encrypted order revealed by
    /// its trader on-chain (which opens it even if its ciphertext did not).
    /// </summary>
    /// <param name="commitment">The commitment being opened; it is looked up among the order's trader's commitments.</param>
    /// <param name="order">The order, as signed.</param>
    /// <param name="secret">The salt the commitment was made with, or <c>keccak256(ciphertext)</c> for an encrypted order.</param>
    /// <param name="signature">The trader's 65-byte signature of the order's EIP-712 digest.</param>
    /// <param name="block">The block the reveal was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the reveal was refused (the commitment stays as it was).</returns>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Revealing"/>.</exception>
    public SealRejectReason Reveal(Hash32 commitment, in SealedOrder order, Hash32 secret, ReadOnlySpan<byte> signature, long block)
    {
        RequirePhase(BatchPhase.Revealing, nameof(Reveal));
        if (block >= RevealDeadline)
        {
            return SealRejectReason.RevealWindowClosed;
        }

        if (!_entries.TryGetValue((order.Trader, commitment), out Entry? entry))
        {
            return SealRejectReason.UnknownCommitment;
        }

        if (entry.IsOpened)
        {
            return SealRejectReason.AlreadyRevealed;
        }

        Hash32 digest = order.ComputeDigest(_domain);
        if (Commitments.ForReveal(digest, secret) != commitment)
        {
            return SealRejectReason.RevealMismatch;
        }

        SealRejectReason reason = Authenticate(order, digest, signature, entry.Committer);
        if (reason == SealRejectReason.None)
        {
            Open(entry, order, digest, secret, signature);
        }

        return reason;
    }

    /// <summary>
    /// Authenticates and verifies the keypers' released shares, and if at least the threshold of them are good,
    /// reconstructs the batch key and decrypts every ciphertext not yet opened. Ciphertexts that fail are voided with
    /// their reason.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each share must be signed by the registered keyper of its index for this batch: the EIP-712 message
    /// <see cref="KeyperShareContext"/> describes, under this batch's domain, market address and batch id. See
    /// <see cref="BatchKeyOpener.Open"/> for how shares are judged.
    /// </para>
    /// <para>
    /// Decrypting and checking a signature cost a few hundred microseconds per order, which dominates the batch;
    /// <paramref name="maxDegreeOfParallelism"/> spreads that work over threads. The outcome is the same for any degree
    /// of parallelism: every order is judged on its own, and the results are applied in commitment order.
    /// </para>
    /// </remarks>
    /// <param name="commitments">The batch key's public Feldman commitments.</param>
    /// <param name="keypers">The registered keypers of the sharing, one address per index.</param>
    /// <param name="releasedShares">The signed shares as released, in any order, forged, malformed and bad ones included.</param>
    /// <param name="maxDegreeOfParallelism">How many threads may decrypt at once; 1 (the default) uses only the caller's.</param>
    /// <returns>
    /// The opening: which keypers signed bad shares, which shares were ignored, and whether the key opened. When it
    /// did not, nothing changes and the batch can be opened later with more shares.
    /// </returns>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Revealing"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument or one of the shares is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keypers"/> does not register as many keypers as the sharing has.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is not positive.</exception>
    public BatchKeyOpening OpenEncrypted(FeldmanCommitments commitments, KeyperSet keypers, IEnumerable<SignedKeyperShare> releasedShares, int maxDegreeOfParallelism = 1)
    {
        RequirePhase(BatchPhase.Revealing, nameof(OpenEncrypted));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);
        BatchKeyOpening opening = BatchKeyOpener.Open(new KeyperShareContext(_domain, _settings.MarketAddress, BatchId, commitments), keypers, releasedShares);
        if (opening.Status != BatchKeyOpeningStatus.Opened)
        {
            return opening;
        }

        _batchKey = opening.SecretKey.ToArray();
        Entry[] sealedEntries = [.. _entries.Values.Where(e => e.Ciphertext is not null && !e.IsOpened && e.Rejection == SealRejectReason.None)];
        Array.Sort(sealedEntries, static (a, b) => a.CompareTo(b));
        var outcomes = new Opened[sealedEntries.Length];
        byte[] secretKey = _batchKey;
        Parallel.For(
            0,
            sealedEntries.Length,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => outcomes[i] = Decrypt(sealedEntries[i], secretKey));

        for (int i = 0; i < sealedEntries.Length; i++)
        {
            Opened outcome = outcomes[i];
            if (outcome.Reason == SealRejectReason.None)
            {
                Open(sealedEntries[i], outcome.Order, outcome.Digest, outcome.Secret, outcome.Signature);
            }
            else
            {
                sealedEntries[i].Reject(outcome.Reason);
                _unresolvedCiphertexts--;
            }
        }

        return opening;
    }

    /// <summary>
    /// Clears the opened orders at one price and lists every commitment once, opened or void. Commit-reveal
    /// commitments still unrevealed are forfeited.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Before clearing, each opened order (in commitment order) that repeats an earlier one's digest is refused as
    /// <see cref="SealRejectReason.DuplicateOrder"/>, and each order within the market's bounds that its reservation
    /// cannot pay for at its worst is refused as <see cref="SealRejectReason.Unfunded"/>. The engine judges the rest.
    /// </para>
    /// <para>
    /// A market order's signed worst price bounds it: it takes part only at prices it admits (a buy at or below it,
    /// a sell at or above it), and there it is served before every limit order on its side. The engine first finds
    /// the price with each market order standing as a limit at its worst price (the same demand and supply), then
    /// allocates at that price with the market orders that admit it as market orders
    /// (<see cref="ClearingEngine.ClearAtPrice"/>).
    /// </para>
    /// <para>
    /// If the price rule needs a reference price and <paramref name="options"/> gave none, the result says
    /// <see cref="ClearingStatus.ReferencePriceRequired"/> and the batch stays in <see cref="BatchPhase.Revealing"/>,
    /// to be cleared again with one; otherwise it moves to <see cref="BatchPhase.Cleared"/>.
    /// </para>
    /// </remarks>
    /// <param name="engine">The clearing engine; its capacity must hold every opened order.</param>
    /// <param name="options">The price rule and reference price.</param>
    /// <param name="block">The block now observed; at or after <see cref="RevealDeadline"/> unless every commitment is opened.</param>
    /// <returns>Every opened order with its fill, every void, and what settlement needs.</returns>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Revealing"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reveal window is still open for unrevealed commitments.</exception>
    /// <exception cref="ArgumentException">The engine's capacity is smaller than the number of orders the batch opened.</exception>
    /// <exception cref="InvalidOperationException">Ciphertexts still wait for the batch key (see <see cref="OpenEncrypted"/>).</exception>
    public SealedBatchResult Clear(ClearingEngine engine, ClearingOptions options, long block)
    {
        RequirePhase(BatchPhase.Revealing, nameof(Clear));
        ArgumentNullException.ThrowIfNull(engine);
        if (IsAwaitingBatchKey)
        {
            throw new InvalidOperationException($"{_unresolvedCiphertexts} ciphertexts still wait for the batch key; open it first.");
        }

        Entry[] entries = [.. _entries.Values];
        Array.Sort(entries, static (a, b) => a.CompareTo(b));
        if (block < RevealDeadline && entries.Any(e => !e.IsOpened && e.Rejection == SealRejectReason.None))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"Reveals are open until block {RevealDeadline}.");
        }

        Entry[] opened = [.. entries.Where(e => e.IsOpened)];
        var refusals = new SealRejectReason[opened.Length];
        var seenDigests = new HashSet<Hash32>();
        var cleared = new List<int>(opened.Length);
        for (int i = 0; i < opened.Length; i++)
        {
            refusals[i] = Refusal(opened[i], seenDigests);
            if (refusals[i] == SealRejectReason.None)
            {
                cleared.Add(i);
            }
        }

        if (cleared.Count + _released.Count > engine.Capacity)
        {
            throw new ArgumentException(
                $"The engine's capacity is {engine.Capacity} orders but this batch opened {cleared.Count} and holds {_released.Count} released; clear it with an engine at least that large.", nameof(engine));
        }

        // Released orders follow the opened ones, with engine ids after theirs so that no id repeats.
        Order[] views = [.. opened.Select((entry, i) => EngineOrder((ulong)i, entry, asMarket: false))];
        Order[] releasedViews = [.. _released.Select((order, j) => new Order(
            (ulong)(opened.Length + j), order.Order.Trader, order.Order.Side, order.Order.Type, order.Order.LimitPrice, order.Order.Quantity,
            ManagedOrder.PriorityKey(order.Instruction, order.ReleaseSequence, _randomness)))];
        Order[] orders = [.. cleared.Select(i => views[i]), .. releasedViews];

        var fills = new Fill[orders.Length];
        ClearingResult clearing = engine.Clear(_settings.Market, orders, fills, options);
        if (clearing.Status == ClearingStatus.Cleared && AdmitsMarketOrders(opened, cleared, clearing.Price!.Value))
        {
            long price = clearing.Price.Value;
            for (int k = 0; k < cleared.Count; k++)
            {
                Entry entry = opened[cleared[k]];
                if (entry.Order.Type == OrderType.Market && Admits(entry.Order, price))
                {
                    views[cleared[k]] = orders[k] = EngineOrder((ulong)cleared[k], entry, asMarket: true);
                }
            }

            // The same demand and supply at this price, so the same volume; only who is served first changes.
            ClearingResult allocation = engine.ClearAtPrice(_settings.Market, orders, fills, price);
            Debug.Assert(allocation.Status == ClearingStatus.Cleared && allocation.Volume == clearing.Volume);
            clearing = allocation with { Rule = clearing.Rule };
        }

        var released = new ReleasedOrderOutcome[_released.Count];
        for (int j = 0; j < released.Length; j++)
        {
            released[j] = new ReleasedOrderOutcome(_released[j], releasedViews[j], fills[cleared.Count + j]);
        }

        var outcomes = new SealedOrderOutcome[opened.Length];
        var settlementFills = new SettlementFill[opened.Length];
        int next = 0;
        for (int i = 0; i < opened.Length; i++)
        {
            Entry entry = opened[i];
            Fill fill = refusals[i] == SealRejectReason.None ? fills[next++] : default;
            outcomes[i] = new SealedOrderOutcome(entry.Commitment, entry.Order, entry.Secret, views[i], fill, refusals[i]);
            settlementFills[i] = new SettlementFill(entry.Order, entry.Secret, entry.Signature, fill.FilledQuantity);
        }

        SealRejection[] voids = [.. entries.Where(e => !e.IsOpened).Select(e => new SealRejection(e.Committer, e.Commitment, e.Rejection == SealRejectReason.None ? SealRejectReason.Unrevealed : e.Rejection))];
        if (clearing.Status != ClearingStatus.ReferencePriceRequired)
        {
            Phase = BatchPhase.Cleared;
        }

        return new SealedBatchResult(clearing, outcomes, voids, settlementFills, _batchKey, released);
    }

    /// <summary>The order manager's orders released into this batch (see <see cref="Release(in ManagedOrder)"/>), in the order given.</summary>
    public int ReleasedCount => _released.Count;

    /// <summary>
    /// Adds an order the <see cref="OrderManager"/> released for this batch's block: it clears with the revealed and
    /// decrypted orders at one price, its priority key drawn from the batch's randomness, and the result lists it with
    /// its instruction (<see cref="SealedBatchResult.Released"/>).
    /// </summary>
    /// <param name="order">One of <see cref="OrderManager.ReleasedOrders"/>(<see cref="Block"/>).</param>
    /// <remarks>
    /// A released order needs no commitment: the manager's instruction was signed and accepted before the batch, and
    /// what it releases is decided by the oracle and the fills, which nobody can reorder. The reference settlement
    /// contract settles only committed orders, so a batch holding released orders clears but is not settleable there
    /// (<see cref="SealedBatchResult.NotSettleableBecause"/>).
    /// </remarks>
    /// <exception cref="BatchPhaseException">The batch has been cleared.</exception>
    /// <exception cref="ArgumentException">The order was released for another batch.</exception>
    public void Release(in ManagedOrder order)
    {
        if (Phase is BatchPhase.Cleared or BatchPhase.Settled)
        {
            throw new BatchPhaseException(nameof(Release), BatchPhase.Revealing, Phase);
        }

        if (order.Batch != Block)
        {
            ThrowHelper.ThrowArgumentException_ReleasedForAnotherBatch(order.Batch, Block, nameof(order));
        }

        _released.Add(order);
    }

    /// <summary>Adds every order of <paramref name="orders"/>, as <see cref="Release(in ManagedOrder)"/> does one.</summary>
    /// <param name="orders">The manager's <see cref="OrderManager.ReleasedOrders"/>(<see cref="Block"/>).</param>
    /// <exception cref="BatchPhaseException">The batch has been cleared.</exception>
    /// <exception cref="ArgumentException">An order was released for another batch; none of them is added.</exception>
    public void Release(ReadOnlySpan<ManagedOrder> orders)
    {
        foreach (ManagedOrder order in orders)
        {
            if (order.Batch != Block)
            {
                ThrowHelper.ThrowArgumentException_ReleasedForAnotherBatch(order.Batch, Block, nameof(orders));
            }
        }

        foreach (ManagedOrder order in orders)
        {
            Release(order);
        }
    }

    /// <summary>Records that the host settled the cleared batch on-chain.</summary>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Cleared"/>.</exception>
    public void MarkSettled()
    {
        RequirePhase(BatchPhase.Cleared, nameof(MarkSettled));
        Phase = BatchPhase.Settled;
    }

    /// <summary>The last block a batch can collect in and still have room for its reveal window in a long.</summary>
    private static long LastUsableBlock(SealedBatchSettings settings) => long.MaxValue - 1 - settings.RevealWindowBlocks;

    /// <summary>Whether a market order's worst price admits <paramref name="price"/>: a buy at or above it, a sell at or below.</summary>
    private static bool Admits(in SealedOrder order, long price) => order.Side == Side.Buy ? order.LimitPrice >= price : order.LimitPrice <= price;

    private static bool AdmitsMarketOrders(Entry[] opened, List<int> cleared, long price) =>
        cleared.Exists(i => opened[i].Order.Type == OrderType.Market && Admits(opened[i].Order, price));

    /// <summary>
    /// The order as the engine clears it: its id is its rank among the opened orders and its priority key comes from
    /// the batch's randomness. A market order stands as a limit at its worst price unless <paramref name="asMarket"/>.
    /// </summary>
    private Order EngineOrder(ulong id, Entry entry, bool asMarket)
    {
        SealedOrder signed = entry.Order;
        OrderType type = asMarket ? OrderType.Market : signed.Type == OrderType.Market ? OrderType.Limit : signed.Type;
        return new Order(id, signed.Trader, signed.Side, type, signed.LimitPrice, signed.Quantity, Commitments.PriorityKey(entry.Commitment, _randomness));
    }

    /// <summary>Why an opened order does not reach the engine: a second copy of a signed order, or one its reservation cannot pay for.</summary>
    private SealRejectReason Refusal(Entry entry, HashSet<Hash32> seenDigests)
    {
        if (!seenDigests.Add(entry.Digest))
        {
            return SealRejectReason.DuplicateOrder;
        }

        SealedOrder order = entry.Order;
        Market market = _settings.Market;
        bool accepted = market.Accepts(order.Side, order.Type, order.LimitPrice, order.Quantity);
        return accepted && !entry.Reservation.Covers(order, market) ? SealRejectReason.Unfunded : SealRejectReason.None;
    }

    private bool IsOpenFor(long block)
    {
        if (block < Block)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), $"The batch collects block {Block}; this submission is from before it.");
        }

        return Phase == BatchPhase.Collecting && block == Block;
    }

    private SealRejectReason Register(Address trader, Hash32 commitment, Reservation reservation, byte[]? ciphertext, long block)
    {
        if (!IsOpenFor(block))
        {
            return SealRejectReason.LateCommitment;
        }

        if (_entries.ContainsKey((trader, commitment)))
        {
            return SealRejectReason.DuplicateCommitment;
        }

        if (_entries.Count >= _settings.MaxOrders)
        {
            return SealRejectReason.BatchFull;
        }

        int placed = _ordersPerTrader.GetValueOrDefault(trader);
        if (placed >= _settings.MaxOrdersPerTrader)
        {
            return SealRejectReason.TraderLimitReached;
        }

        _ordersPerTrader[trader] = placed + 1;
        _entries.Add((trader, commitment), new Entry(commitment, trader, reservation, ciphertext));
        if (ciphertext is not null)
        {
            _unresolvedCiphertexts++;
        }

        return SealRejectReason.None;
    }

    private void Open(Entry entry, in SealedOrder order, Hash32 digest, Hash32 secret, ReadOnlySpan<byte> signature)
    {
        if (entry.Ciphertext is not null && entry.Rejection == SealRejectReason.None)
        {
            _unresolvedCiphertexts--;
        }

        // OpenZeppelin's ECDSA.recover takes v as 27 or 28 only; the same signature with v as 0 or 1 is normalised.
        byte[] normalized = signature.ToArray();
        normalized[^1] = (byte)(normalized[^1] < 27 ? normalized[^1] + 27 : normalized[^1]);
        entry.Open(order, digest, secret, normalized);
    }

    /// <summary>Decrypts and checks one ciphertext. Touches no batch state, so that many can run at once.</summary>
    private Opened Decrypt(Entry entry, byte[] secretKey)
    {
        if (!Ecies.TryDecrypt(secretKey, entry.Ciphertext, out byte[]? plaintext))
        {
            return new Opened(SealRejectReason.Undecryptable);
        }

        var signature = new byte[Secp256k1.SignatureSize];
        if (!SealedOrderCodec.TryDecode(plaintext, out SealedOrder order, signature))
        {
            return new Opened(SealRejectReason.MalformedOrder);
        }

        Hash32 digest = order.ComputeDigest(_domain);
        Hash32 secret = Commitments.CiphertextSecret(entry.Ciphertext);
        if (Commitments.ForReveal(digest, secret) != entry.Commitment)
        {
            return new Opened(SealRejectReason.RevealMismatch);
        }

        SealRejectReason reason = Authenticate(order, digest, signature, entry.Committer);
        return reason == SealRejectReason.None ? new Opened(reason, order, digest, secret, signature) : new Opened(reason);
    }

    /// <summary>The checks every opened order passes: this batch, a valid signature by its trader, registered by its trader.</summary>
    private SealRejectReason Authenticate(in SealedOrder order, Hash32 digest, ReadOnlySpan<byte> signature, Address committer)
    {
        if (order.Market != _settings.MarketAddress || order.BatchId != BatchId)
        {
            return SealRejectReason.WrongBatch;
        }

        Span<byte> digestBytes = stackalloc byte[Hash32.Length];
        digest.WriteTo(digestBytes);
        if (Secp256k1.RecoverAddress(digestBytes, signature, out Address signer) != SignatureStatus.Valid)
        {
            return SealRejectReason.BadSignature;
        }

        if (signer != order.Trader)
        {
            return SealRejectReason.SignerNotTrader;
        }

        return committer == order.Trader ? SealRejectReason.None : SealRejectReason.CommitterNotTrader;
    }

    private void RequirePhase(BatchPhase required, string operation)
    {
        if (Phase != required)
        {
            throw new BatchPhaseException(operation, required, Phase);
        }
    }

    /// <summary>What decrypting one ciphertext found.</summary>
    private readonly record struct Opened(SealRejectReason Reason, SealedOrder Order = default, Hash32 Digest = default, Hash32 Secret = default, byte[]? Signature = null);

    /// <summary>One sealed submission and what has become of it.</summary>
    private sealed class Entry(Hash32 commitment, Address committer, Reservation reservation, byte[]? ciphertext)
    {
        public Hash32 Commitment { get; } = commitment;

        public Address Committer { get; } = committer;

        public Reservation Reservation { get; } = reservation;

        /// <summary>The ciphertext of an encrypted order; null for a commit-reveal one.</summary>
        public byte[]? Ciphertext { get; } = ciphertext;

        public SealedOrder Order { get; private set; }

        public Hash32 Digest { get; private set; }

        /// <summary>The salt, or <c>keccak256(ciphertext)</c>, that opened the commitment.</summary>
        public Hash32 Secret { get; private set; }

        public byte[] Signature { get; private set; } = [];

        public bool IsOpened { get; private set; }

        /// <summary>Why an encrypted order failed to open; <see cref="SealRejectReason.None"/> otherwise.</summary>
        public SealRejectReason Rejection { get; private set; }

        public void Open(in SealedOrder order, Hash32 digest, Hash32 secret, byte[] signature)
        {
            Order = order;
            Digest = digest;
            Secret = secret;
            Signature = signature;
            IsOpened = true;
            Rejection = SealRejectReason.None;
        }

        public void Reject(SealRejectReason reason) => Rejection = reason;

        /// <summary>Commitment order, then the trader: the order everything in the batch is decided in.</summary>
        public int CompareTo(Entry other)
        {
            int byCommitment = Commitment.CompareTo(other.Commitment);
            return byCommitment != 0 ? byCommitment : Committer.CompareTo(other.Committer);
        }
    }
}
