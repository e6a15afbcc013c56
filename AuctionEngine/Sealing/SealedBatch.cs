using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Sealing;

/// <summary>
/// One market's batch for one block, from sealed submissions to a cleared result. Nobody can read or reorder an
/// order before the batch closes: traders submit either a commitment (revealed later) or a ciphertext sealed to the
/// batch's threshold key (decrypted once keypers release enough shares).
/// </summary>
/// <remarks>
/// <para>
/// The host drives the batch with the block numbers it observes; the batch never reads a clock. Phases only move
/// forward: <see cref="BatchPhase.Collecting"/> (in the batch's own block) → <see cref="Close"/> →
/// <see cref="BeginReveal"/> → <see cref="Reveal"/> and <see cref="OpenEncrypted"/> → <see cref="Clear"/> →
/// <see cref="MarkSettled"/>. Calling an operation in another phase throws <see cref="BatchPhaseException"/>.
/// </para>
/// <para>
/// A refused submission or reveal is answered with a <see cref="SealRejectReason"/> and affects nothing else. The
/// outcome never depends on arrival order: revealed orders are cleared in ascending commitment order, with
/// rationing ties broken by <see cref="Commitments.PriorityKey"/>.
/// </para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class SealedBatch
{
    private readonly SealedBatchSettings _settings;
    private readonly Eip712Domain _domain;
    private readonly Dictionary<Hash32, Entry> _entries = [];
    private readonly Dictionary<Address, int> _ordersPerTrader = [];
    private readonly List<SealRejection> _rejections = [];
    private int _sealedCiphertexts;
    private Hash32 _randomness;

    /// <summary>Opens the batch of block <paramref name="block"/>.</summary>
    /// <param name="settings">The market and the limits every batch enforces.</param>
    /// <param name="domain">The EIP-712 domain orders are signed under (the settlement contract's).</param>
    /// <param name="batchId">The batch's identifier, which signed orders must name.</param>
    /// <param name="block">The block whose orders this batch collects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> or <paramref name="domain"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is negative.</exception>
    public SealedBatch(SealedBatchSettings settings, Eip712Domain domain, ulong batchId, long block)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
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
    public bool IsAwaitingBatchKey => _sealedCiphertexts > 0;

    /// <summary>Registers a commit-reveal commitment from <paramref name="trader"/>.</summary>
    /// <param name="trader">The account that submitted the commitment; the revealed order must be this trader's.</param>
    /// <param name="commitment"><see cref="Commitments.ForReveal"/> of the order's digest and a secret salt.</param>
    /// <param name="block">The block the submission was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the commitment was refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is before the batch's block.</exception>
    public SealRejectReason Commit(Address trader, Hash32 commitment, long block) => Register(trader, commitment, null, block);

    /// <summary>Registers an order encrypted to the batch key; its commitment is <see cref="Commitments.ForCiphertext"/>.</summary>
    /// <param name="trader">The account that submitted the ciphertext; the decrypted order must be this trader's.</param>
    /// <param name="ciphertext">An ECIES ciphertext of <see cref="SealedOrderCodec"/>'s plaintext. It is copied.</param>
    /// <param name="block">The block the submission was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the ciphertext was refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is before the batch's block.</exception>
    public SealRejectReason SubmitEncrypted(Address trader, ReadOnlySpan<byte> ciphertext, long block)
    {
        if (ciphertext.Length > _settings.MaxCiphertextBytes && IsOpenFor(block))
        {
            return SealRejectReason.CiphertextTooLarge;
        }

        return Register(trader, Commitments.ForCiphertext(ciphertext), ciphertext.ToArray(), block);
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
            throw new ArgumentOutOfRangeException(nameof(block), block, $"The batch's block {Block} has not ended.");
        }

        Phase = BatchPhase.Closed;
    }

    /// <summary>Starts the reveal window and fixes the batch's randomness.</summary>
    /// <param name="block">The block now observed: reveals are accepted from it for <see cref="SealedBatchSettings.RevealWindowBlocks"/> blocks.</param>
    /// <param name="randomness">Randomness nobody knew while orders were committed, such as the hash of the block after the batch's.</param>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Closed"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the batch's block.</exception>
    public void BeginReveal(long block, Hash32 randomness)
    {
        RequirePhase(BatchPhase.Closed, nameof(BeginReveal));
        if (block <= Block)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, $"Reveals open after the batch's block {Block}.");
        }

        _randomness = randomness;
        RevealDeadline = block + _settings.RevealWindowBlocks;
        Phase = BatchPhase.Revealing;
    }

    /// <summary>Opens a commitment with the order it sealed.</summary>
    /// <param name="commitment">The commitment being opened.</param>
    /// <param name="order">The order, as signed.</param>
    /// <param name="salt">The salt the commitment was made with.</param>
    /// <param name="signature">The trader's 65-byte signature of the order's EIP-712 digest.</param>
    /// <param name="block">The block the reveal was observed in.</param>
    /// <returns><see cref="SealRejectReason.None"/>, or why the reveal was refused (the commitment stays open).</returns>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Revealing"/>.</exception>
    public SealRejectReason Reveal(Hash32 commitment, in SealedOrder order, Hash32 salt, ReadOnlySpan<byte> signature, long block)
    {
        RequirePhase(BatchPhase.Revealing, nameof(Reveal));
        if (block >= RevealDeadline)
        {
            return SealRejectReason.RevealWindowClosed;
        }

        if (!_entries.TryGetValue(commitment, out Entry? entry) || entry.Ciphertext is not null)
        {
            return SealRejectReason.UnknownCommitment;
        }

        if (entry.IsOpened)
        {
            return SealRejectReason.AlreadyRevealed;
        }

        Hash32 digest = order.ComputeDigest(_domain);
        if (Commitments.ForReveal(digest, salt) != commitment)
        {
            return SealRejectReason.RevealMismatch;
        }

        SealRejectReason reason = Authenticate(order, digest, signature, entry.Committer);
        if (reason == SealRejectReason.None)
        {
            entry.Open(order, salt, signature.ToArray());
        }

        return reason;
    }

    /// <summary>
    /// Authenticates and verifies the keypers' released shares, and if at least the threshold of them are good,
    /// reconstructs the batch key and decrypts every ciphertext. Ciphertexts that fail are listed in the result's
    /// rejections.
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

        Entry[] sealedEntries = [.. _entries.Values.Where(e => e.Ciphertext is not null && !e.IsOpened && !e.IsRejected)];
        Array.Sort(sealedEntries, static (a, b) => a.Commitment.CompareTo(b.Commitment));
        var outcomes = new (SealRejectReason Reason, SealedOrder Order, byte[]? Signature)[sealedEntries.Length];
        byte[] secretKey = opening.SecretKey.ToArray();
        Parallel.For(
            0,
            sealedEntries.Length,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => outcomes[i] = Decrypt(sealedEntries[i], secretKey));

        for (int i = 0; i < sealedEntries.Length; i++)
        {
            (SealRejectReason reason, SealedOrder order, byte[]? signature) = outcomes[i];
            if (reason == SealRejectReason.None)
            {
                sealedEntries[i].Open(order, default, signature!);
            }
            else
            {
                sealedEntries[i].Reject();
                _rejections.Add(new SealRejection(sealedEntries[i].Commitment, reason));
            }
        }

        _sealedCiphertexts -= sealedEntries.Length;
        return opening;
    }

    /// <summary>
    /// Clears the revealed and decrypted orders at one price. Commitments still unrevealed are forfeited.
    /// </summary>
    /// <param name="engine">The clearing engine; its capacity must hold every revealed order.</param>
    /// <param name="options">The price rule and reference price.</param>
    /// <param name="block">The block now observed; at or after <see cref="RevealDeadline"/> unless every commitment is resolved.</param>
    /// <returns>Every order's fill, the forfeited commitments and the refused ciphertexts.</returns>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Revealing"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reveal window is still open for unrevealed commitments.</exception>
    /// <exception cref="InvalidOperationException">Ciphertexts still wait for the batch key (see <see cref="OpenEncrypted"/>).</exception>
    public SealedBatchResult Clear(ClearingEngine engine, ClearingOptions options, long block)
    {
        RequirePhase(BatchPhase.Revealing, nameof(Clear));
        ArgumentNullException.ThrowIfNull(engine);
        if (IsAwaitingBatchKey)
        {
            throw new InvalidOperationException($"{_sealedCiphertexts} ciphertexts still wait for the batch key; open it first.");
        }

        Entry[] entries = [.. _entries.Values];
        Array.Sort(entries, static (a, b) => a.Commitment.CompareTo(b.Commitment));
        bool pending = entries.Any(e => !e.IsOpened && !e.IsRejected);
        if (pending && block < RevealDeadline)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, $"Reveals are open until block {RevealDeadline}.");
        }

        Entry[] opened = [.. entries.Where(e => e.IsOpened)];
        var orders = new Order[opened.Length];
        for (int i = 0; i < opened.Length; i++)
        {
            SealedOrder signed = opened[i].Order;
            ulong priority = Commitments.PriorityKey(opened[i].Commitment, _randomness);
            orders[i] = new Order((ulong)i, signed.Trader, signed.Side, signed.Type, signed.LimitPrice, signed.Quantity, priority);
        }

        var fills = new Fill[orders.Length];
        ClearingResult clearing = engine.Clear(_settings.Market, orders, fills, options);
        var outcomes = new SealedOrderOutcome[opened.Length];
        var settlementFills = new List<SettlementFill>();
        for (int i = 0; i < opened.Length; i++)
        {
            Entry entry = opened[i];
            outcomes[i] = new SealedOrderOutcome(entry.Commitment, entry.Order, orders[i], fills[i]);
            if (fills[i].FilledQuantity > 0)
            {
                settlementFills.Add(new SettlementFill(entry.Order, entry.Salt, entry.Signature, fills[i].FilledQuantity, entry.Ciphertext));
            }
        }

        Hash32[] forfeited = [.. entries.Where(e => e.Ciphertext is null && !e.IsOpened).Select(e => e.Commitment)];
        Phase = BatchPhase.Cleared;
        return new SealedBatchResult(clearing, outcomes, forfeited, [.. _rejections], settlementFills);
    }

    /// <summary>Records that the host settled the cleared batch on-chain.</summary>
    /// <exception cref="BatchPhaseException">The batch is not <see cref="BatchPhase.Cleared"/>.</exception>
    public void MarkSettled()
    {
        RequirePhase(BatchPhase.Cleared, nameof(MarkSettled));
        Phase = BatchPhase.Settled;
    }

    private bool IsOpenFor(long block)
    {
        if (block < Block)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, $"The batch collects block {Block}; this submission is from before it.");
        }

        return Phase == BatchPhase.Collecting && block == Block;
    }

    private SealRejectReason Register(Address trader, Hash32 commitment, byte[]? ciphertext, long block)
    {
        if (!IsOpenFor(block))
        {
            return SealRejectReason.LateCommitment;
        }

        if (_entries.ContainsKey(commitment))
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
        _entries.Add(commitment, new Entry(commitment, trader, ciphertext));
        if (ciphertext is not null)
        {
            _sealedCiphertexts++;
        }

        return SealRejectReason.None;
    }

    /// <summary>Decrypts and checks one ciphertext. Touches no batch state, so that many can run at once.</summary>
    private (SealRejectReason Reason, SealedOrder Order, byte[]? Signature) Decrypt(Entry entry, byte[] secretKey)
    {
        if (!Ecies.TryDecrypt(secretKey, entry.Ciphertext, out byte[]? plaintext))
        {
            return (SealRejectReason.Undecryptable, default, null);
        }

        var signature = new byte[Secp256k1.SignatureSize];
        if (!SealedOrderCodec.TryDecode(plaintext, out SealedOrder order, signature))
        {
            return (SealRejectReason.MalformedOrder, default, null);
        }

        return (Authenticate(order, order.ComputeDigest(_domain), signature, entry.Committer), order, signature);
    }

    /// <summary>The checks every opened order passes: this batch, a valid signature by its trader, submitted by its trader.</summary>
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

    /// <summary>One sealed submission and what has become of it.</summary>
    private sealed class Entry(Hash32 commitment, Address committer, byte[]? ciphertext)
    {
        public Hash32 Commitment { get; } = commitment;

        public Address Committer { get; } = committer;

        /// <summary>The ciphertext of an encrypted order; null for a commit-reveal one.</summary>
        public byte[]? Ciphertext { get; } = ciphertext;

        public SealedOrder Order { get; private set; }

        /// <summary>The salt a commit-reveal order was revealed with; zero for an encrypted order.</summary>
        public Hash32 Salt { get; private set; }

        public byte[] Signature { get; private set; } = [];

        public bool IsOpened { get; private set; }

        public bool IsRejected { get; private set; }

        public void Open(in SealedOrder order, Hash32 salt, byte[] signature)
        {
            Order = order;
            Salt = salt;
            Signature = signature;
            IsOpened = true;
        }

        public void Reject() => IsRejected = true;
    }
}
