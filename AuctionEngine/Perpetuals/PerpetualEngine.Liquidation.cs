using System.Runtime.CompilerServices;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals.Internal;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    private readonly LiquidationIndex _index = new();
    private int[] _liquidatable = [];

    // Liquidation orders: those scanned this block (for the next batch) and those released into this block's batch.
    private LiquidationOrder[] _scanned = [];
    private int[] _scannedAccounts = [];
    private int _scannedCount;
    private LiquidationOrder[] _released = [];
    private int[] _releasedAccounts = [];
    private int _releasedCount;
    private ulong _nextLiquidationId = LiquidationIdFlag;

    private bool[] _isMarkedBankrupt;
    private int[] _bankrupt = [];
    private int _bankruptCount;

    /// <summary>
    /// The liquidation orders released into this block's batches (those <see cref="ScanLiquidations"/> produced in
    /// the previous block): the venue puts each one, through <see cref="LiquidationOrder.ToOrder"/>, into its
    /// market's batch and passes it to <see cref="ApplyFills"/> with the rest.
    /// </summary>
    public ReadOnlySpan<LiquidationOrder> ReleasedLiquidations => _released.AsSpan(0, _releasedCount);

    /// <summary>
    /// Finds every liquidatable account at the current oracle prices and sizes and prices a liquidation order for each
    /// of its positions, in ascending account order (first deposit first), then market order. The orders become
    /// <see cref="ReleasedLiquidations"/> at <see cref="EndBlock"/>, for the next block's batches.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A position of <c>n</c> lots with notional <c>N = |n| × O × TickSize</c> is closed by <c>q</c> lots, dYdX's
    /// partial-liquidation rule: <c>min = min(minPositionNotionalLiquidated, N)</c>, <c>max = max(min, ⌊N ×
    /// maxPositionPortionLiquidatedPpm / 10^6⌋)</c>, <c>q = ⌊max / (O × TickSize)⌋</c> kept within 1 and |n|.
    /// </para>
    /// <para>
    /// The limit is dYdX's fillable price, computed exactly: <c>FP = (PNNV − ABR × SMMR × PMMR) / PS</c> with
    /// <c>ABR = clamp(BA × (1 − TNC / TMMR), 0, 1)</c>, rounded against the account (down for a long's sell, up for a
    /// short's buy) and kept within 1 and the market's maximum price.
    /// </para>
    /// <para>
    /// An account whose net collateral is already negative while the insurance fund is empty is deleveraged in
    /// <see cref="EndBlock"/>.
    /// </para>
    /// <para>
    /// Accounts with one position are indexed by their exact liquidation price, so a block with none liquidatable
    /// costs a binary search per market and side; accounts with several positions are checked one by one.
    /// </para>
    /// </remarks>
    /// <returns>This block's liquidation orders, valid until the next call.</returns>
    /// <exception cref="InvalidOperationException">No oracle prices were given yet.</exception>
    public ReadOnlySpan<LiquidationOrder> ScanLiquidations()
    {
        RequireOracle();
        _scannedCount = 0;
        int count = _index.CollectLiquidatable(this, ref _liquidatable);
        Span<int> accounts = _liquidatable.AsSpan(0, count);
        accounts.Sort();
        foreach (int id in accounts)
        {
            Margin(id, out Int128 netScaled, out Int128 maintenanceScaled, out _);
            if (netScaled < 0 && _insuranceFund <= 0)
            {
                MarkBankrupt(id);
            }

            int baseSlot = id * _marketCount;
            for (int m = 0; m < _marketCount; m++)
            {
                long lots = _lots[baseSlot + m];
                if (lots != 0)
                {
                    AddScanned(id, LiquidationFor(id, m, lots, netScaled, maintenanceScaled));
                }
            }

            if (HoldingsOf(id) is { } holdings)
            {
                AddOptionLiquidations(id, holdings);
            }
        }

        return _scanned.AsSpan(0, _scannedCount);
    }

    /// <summary>Whether an account is liquidatable now (exact; used to confirm the index's candidates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsLiquidatableNow(int id)
    {
        Margin(id, out Int128 netScaled, out Int128 maintenanceScaled, out _);
        return maintenanceScaled > 0 && netScaled < maintenanceScaled;
    }

    private LiquidationOrder LiquidationFor(int id, int m, long lots, Int128 netScaled, Int128 maintenanceScaled)
    {
        PerpetualMarket market = _markets[m];
        Int128 unit = _unitValue[m];
        long size = Math.Abs(lots);
        Int128 notional = size * unit;
        Int128 minimum = Int128.Min((Int128)market.MinPositionNotionalLiquidated, notional);
        Int128 maximum = Int128.Max(minimum, notional * market.MaxPositionPortionLiquidatedPpm / Million);
        long quantity = (long)Int128.Clamp(maximum / unit, 1, size);

        long oracle = _oracle[m];
        Int128 offset = FillablePriceOffset(market, oracle, netScaled, maintenanceScaled);
        long limit = lots > 0
            ? (long)Int128.Max(oracle - offset, 1)
            : (long)Int128.Min(oracle + offset, market.Market.MaxPrice);

        int sign = Math.Sign(lots);
        Int128 bankruptcyQuote = BankruptcyQuote(sign, quantity, unit, _maintenancePerLot[m], netScaled, maintenanceScaled);
        Int128 perOrder = quantity * (Int128)market.TickSize;
        long bankruptcyPrice = ExactMath.Saturate(sign > 0
            ? ExactMath.CeilDiv(bankruptcyQuote, perOrder)
            : ExactMath.FloorDiv(-bankruptcyQuote, perOrder));
        return new LiquidationOrder(_nextLiquidationId++, _addresses[id], m, sign > 0 ? Side.Sell : Side.Buy, quantity, limit, bankruptcyPrice);
    }

    /// <summary>
    /// ⌈|FP − O|⌉ in ticks: <c>O × SMMR × MMF × ABR / 10^12</c>, with <c>ABR = min(1, BA × (TMMR − TNC) / (10^6 × TMMR))</c>
    /// (it is positive: the account is liquidatable). Rounded up, so the price moves against the account.
    /// </summary>
    private static Int128 FillablePriceOffset(PerpetualMarket market, long oracle, Int128 netScaled, Int128 maintenanceScaled)
    {
        Int128 spread = (Int128)oracle * market.SpreadToMaintenanceMarginRatioPpm * market.MaintenanceMarginPpm;
        Int128 shortfall = maintenanceScaled - netScaled;
        return ExactMath.ProductAtLeast(market.BankruptcyAdjustmentPpm, shortfall, Million, maintenanceScaled)
            ? ExactMath.CeilDiv(spread, (Int128)Million * Million)
            : ExactMath.Ratio(spread, market.BankruptcyAdjustmentPpm, shortfall, (Int128)Million * Million * Million, maintenanceScaled, ceiling: true);
    }

    /// <summary>
    /// dYdX's bankruptcy quote for closing <paramref name="quantity"/> lots of a position of sign <paramref name="sign"/>:
    /// <c>−ΔPNNV − TNC × |ΔPMMR| / TMMR</c>, the quote the account receives (negative: pays) at which it keeps exactly
    /// its share of net collateral; rounded up (toward +∞), as dYdX rounds it.
    /// </summary>
    private static Int128 BankruptcyQuote(int sign, long quantity, Int128 unit, Int128 maintenancePerLot, Int128 netScaled, Int128 maintenanceScaled) =>
        (sign * quantity * unit) - ExactMath.Ratio(netScaled, quantity, maintenancePerLot, Million, maintenanceScaled, ceiling: false);

    private void AddScanned(int id, LiquidationOrder order)
    {
        if (_scannedCount == _scanned.Length)
        {
            int capacity = Math.Max(16, _scanned.Length * 2);
            Array.Resize(ref _scanned, capacity);
            Array.Resize(ref _scannedAccounts, capacity);
        }

        _scannedAccounts[_scannedCount] = id;
        _scanned[_scannedCount++] = order;
    }

    /// <summary>The index in <see cref="ReleasedLiquidations"/> of the order, or −1 when it is an ordinary order.</summary>
    private int ReleasedIndex(in Order order, int market)
    {
        if (_releasedCount == 0 || (order.Id & LiquidationIdFlag) == 0)
        {
            return -1;
        }

        // Released ids ascend (they are issued in scan order), with gaps where an order was dropped at release.
        int low = 0;
        int high = _releasedCount - 1;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            ulong id = _released[middle].OrderId;
            if (id == order.Id)
            {
                ref readonly LiquidationOrder released = ref _released[middle];
                return released.MarketIndex == market && released.Account == order.Trader && released.Side == order.Side ? middle : -1;
            }

            if (id < order.Id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    /// <summary>The lots of this block's released liquidation order for the account, market and side (0 if none).</summary>
    private long ReleasedLiquidationQuantity(int account, int market, Side side)
    {
        int index = Array.BinarySearch(_releasedAccounts, 0, _releasedCount, account);
        if (index < 0)
        {
            return 0;
        }

        while (index > 0 && _releasedAccounts[index - 1] == account)
        {
            index--;
        }

        for (; index < _releasedCount && _releasedAccounts[index] == account; index++)
        {
            if (_released[index].MarketIndex == market && _released[index].Side == side)
            {
                return _released[index].Quantity;
            }
        }

        return 0;
    }

    /// <summary>
    /// Makes this block's scanned orders the next block's released ones, each cut to the position as this block's
    /// fills and deleveraging left it (and dropped if nothing is left on its side), so that a liquidation order can
    /// never turn a position: nothing else moves positions before the next batch's fills.
    /// </summary>
    private void ReleaseScanned()
    {
        (_released, _scanned) = (_scanned, _released);
        (_releasedAccounts, _scannedAccounts) = (_scannedAccounts, _releasedAccounts);
        int kept = 0;
        for (int i = 0; i < _scannedCount; i++)
        {
            LiquidationOrder order = _released[i];
            int id = _releasedAccounts[i];
            long lots = PositionOf(id, order.MarketIndex);
            long closable = order.Side == Side.Sell ? Math.Max(lots, 0) : Math.Max(-lots, 0);
            if (closable > 0)
            {
                _released[kept] = order.Quantity > closable ? order with { Quantity = closable } : order;
                _releasedAccounts[kept++] = id;
            }
        }

        _releasedCount = kept;
        _scannedCount = 0;
    }

    private void MarkBankrupt(int id)
    {
        if (!_isMarkedBankrupt[id])
        {
            _isMarkedBankrupt[id] = true;
            if (_bankruptCount == _bankrupt.Length)
            {
                Array.Resize(ref _bankrupt, Math.Max(16, _bankrupt.Length * 2));
            }

            _bankrupt[_bankruptCount++] = id;
        }
    }

    private void OnAccountChanged(int id) => _index.MarkDirty(id);

    /// <summary>
    /// The account's position count, its C' = collateral + Σ n × the funding index each position last settled at
    /// (funding leaves it unchanged: TNC = C' + Σ n × (U − I_side)), and for one position its market, lots and key
    /// ⌊C' / |n|⌋ (see <see cref="LiquidationIndex"/>).
    /// </summary>
    internal int SinglePosition(int id, out int market, out long lots, out Int128 key, out Int128 adjusted)
    {
        market = -1;
        lots = 0;
        key = Int128.Zero;
        adjusted = _collateral[id];
        int count = _positionCount[id];
        int baseSlot = id * _marketCount;
        for (int m = 0; m < _marketCount && count > 0; m++)
        {
            long n = _lots[baseSlot + m];
            if (n != 0)
            {
                adjusted = checked(adjusted + (n * _fundingEntry[baseSlot + m]));
                market = m;
                lots = n;
            }
        }

        if (count == 1)
        {
            key = ExactMath.FloorDiv(adjusted, Math.Abs(lots));
        }

        // An account with options has no liquidation price to index: it is checked every block, with the several-position ones.
        return HasOptions(id) ? Math.Max(count, 2) : count;
    }

    /// <summary>
    /// Whether an account with several positions is liquidatable, from its C' (see <see cref="SinglePosition"/>):
    /// its positions and the per-market terms are all it reads. Exact; in 64 × 64-bit products when
    /// <see cref="RefreshScanTerms"/> found every term small enough, else through <see cref="IsLiquidatableNow"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsLiquidatableFromAdjusted(int id, Int128 adjusted)
    {
        if (!_smallScanTerms || HasOptions(id))
        {
            return IsLiquidatableNow(id);
        }

        int baseSlot = id * _marketCount;
        Int128 net = adjusted;
        Int128 maintenance = Int128.Zero;
        for (int m = 0; m < _marketCount; m++)
        {
            long lots = _lots[baseSlot + m];
            if (lots != 0)
            {
                net = checked(net + Product(lots, lots > 0 ? _longScanWorth[m] : _shortScanWorth[m]));
                maintenance = checked(maintenance + Product(Math.Abs(lots), _scanMaintenancePerLot[m]));
            }
        }

        return maintenance > 0 && checked(net * Million) < maintenance;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Int128 Product(long a, long b)
    {
        long high = Math.BigMul(a, b, out long low);
        return new Int128((ulong)high, (ulong)low);
    }

    /// <summary>
    /// One lot's U − I for each side and its maintenance requirement, as 64-bit values, for
    /// <see cref="IsLiquidatableFromAdjusted"/>; refreshed whenever the oracle or a funding index moves. They are
    /// used only if every product a position can make stays below 2^100, so that no sum can overflow.
    /// </summary>
    private void RefreshScanTerms()
    {
        bool small = true;
        for (int m = 0; m < _marketCount; m++)
        {
            Int128 longWorth = _unitValue[m] - _longFundingIndex[m];
            Int128 shortWorth = _unitValue[m] - _shortFundingIndex[m];
            Int128 bound = Int128.Min(((Int128)1 << 100) / _markets[m].MaxPosition, long.MaxValue);
            small &= Int128.Abs(longWorth) <= bound && Int128.Abs(shortWorth) <= bound && _maintenancePerLot[m] <= bound;
            if (small)
            {
                _longScanWorth[m] = (long)longWorth;
                _shortScanWorth[m] = (long)shortWorth;
                _scanMaintenancePerLot[m] = (long)_maintenancePerLot[m];
            }
        }

        _smallScanTerms = small;
    }

    /// <summary>
    /// ⌊θ⌋ for a market and side: an account with one position there is liquidatable exactly when its key C' / |n| is
    /// below θ, where θ = I_long − U + U × MMF for a long and U − I_short + U × MMF for a short (U one lot's worth at
    /// the oracle, I the side's funding index, MMF the maintenance fraction).
    /// </summary>
    internal Int128 LiquidationThreshold(int market, bool isLong)
    {
        Int128 scaled = isLong
            ? checked((_longFundingIndex[market] * Million) - (_unitValue[market] * Million) + _maintenancePerLot[market])
            : checked((_unitValue[market] * Million) - (_shortFundingIndex[market] * Million) + _maintenancePerLot[market]);
        return ExactMath.FloorDiv(scaled, Million);
    }
}
