using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals.Internal;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    private LiquidationFill[] _liquidationFills = [];

    /// <summary>
    /// Applies one market's cleared batch: every fill moves its account's position and collateral exactly, and both
    /// sides pay the trading fee (the quote moved × feePpm / 10^6, rounded up) to <see cref="FeeAccount"/>. A fill of
    /// one of <see cref="ReleasedLiquidations"/> pays no trading fee and is settled against the insurance fund instead
    /// (see remarks). A batch that traded records its premium over the oracle for funding.
    /// </summary>
    /// <remarks>
    /// After the ordinary fills, liquidation fills are applied in the order they were released. For each, the engine
    /// computes dYdX's bankruptcy quote for the lots filled from the account's state just before the fill,
    /// <c>BP = −ΔPNNV − TNC × |ΔPMMR| / TMMR</c> (rounded up), and the insurance fund delta <c>quote received − BP</c>.
    /// A positive delta pays <c>min(⌈maxLiquidationFeePpm × quote / 10^6⌉, delta)</c> from the account to the fund; a
    /// negative one is paid by the fund to the account, as far as the fund's balance goes. An account the fund could
    /// not make whole whose net collateral is then negative is deleveraged in <see cref="EndBlock"/>.
    /// </remarks>
    /// <param name="marketIndex">The market whose batch cleared: a perpetual market, or an option series (whose fills move premium and fees only; a liquidation order's fill pays no fee).</param>
    /// <param name="clearingPrice">The uniform price in ticks.</param>
    /// <param name="orders">The orders the batch held (ordinary orders of accounts of this engine, and released liquidation orders).</param>
    /// <param name="fills">The clearing engine's fills: <c>fills[i]</c> for <c>orders[i]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The market index or the price is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="fills"/> is shorter than <paramref name="orders"/>, or a filled order's trader has no account.</exception>
    /// <exception cref="InvalidOperationException">No oracle prices were given yet, this market's fills were already applied in this block, or the series was settled.</exception>
    public void ApplyFills(int marketIndex, long clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills)
    {
        if (IsSeriesMarket(marketIndex))
        {
            RequireOracle();
            ApplySeriesFills(marketIndex, clearingPrice, orders, fills);
            return;
        }

        CheckMarket(marketIndex);
        RequireOracle();
        PerpetualMarket market = _markets[marketIndex];
        if (clearingPrice <= 0 || clearingPrice > market.Market.MaxPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange_Price(clearingPrice, market.Market.MaxPrice, nameof(clearingPrice));
        }

        if (fills.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_FillsTooShort(fills.Length, orders.Length, nameof(fills));
        }

        if (_filledThisBlock[marketIndex])
        {
            ThrowHelper.ThrowInvalidOperation_FillsTwice(marketIndex);
        }

        // Every account first, so that one unknown trader changes nothing.
        for (int i = 0; i < orders.Length; i++)
        {
            if (fills[i].FilledQuantity > 0 && !_accountIds.ContainsKey(orders[i].Trader))
            {
                ThrowHelper.ThrowArgumentException_UnknownAccount(nameof(orders));
            }
        }

        _filledThisBlock[marketIndex] = true;
        if (_liquidationFills.Length < orders.Length)
        {
            _liquidationFills = new LiquidationFill[Math.Max(orders.Length, _liquidationFills.Length * 2)];
        }

        long traded = 0;
        int liquidations = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            long filled = fills[i].FilledQuantity;
            if (filled <= 0)
            {
                continue;
            }

            Order order = orders[i];
            int account = _accountIds[order.Trader];
            Int128 quote = checked((Int128)fills[i].QuoteAmount);
            int released = ReleasedIndex(order, marketIndex);
            if (released >= 0)
            {
                _liquidationFills[liquidations++] = new LiquidationFill(released, account, order.Side, filled, quote);
                continue;
            }

            traded += order.Side == Side.Buy ? filled : 0;
            Trade(account, marketIndex, order.Side == Side.Buy ? filled : -filled, quote);
            Int128 fee = ExactMath.CeilDiv(quote * market.FeePpm, Million);
            _collateral[account] -= fee;
            _feeAccount += fee;
            MarkIfPositionlessDebt(account);
        }

        Span<LiquidationFill> liquidationFills = _liquidationFills.AsSpan(0, liquidations);
        HeapSort.Sort(liquidationFills, default(LiquidationFillComparer));
        foreach (LiquidationFill fill in liquidationFills)
        {
            traded += fill.Side == Side.Buy ? fill.Quantity : 0;
            ApplyLiquidationFill(fill, marketIndex);
        }

        if (traded > 0)
        {
            long oracle = _oracle[marketIndex];
            _premiumSum[marketIndex] += (Int128)(clearingPrice - oracle) * 1_000_000_000_000 / oracle;
            _clearedBlocks[marketIndex]++;
        }
    }

    private void ApplyLiquidationFill(in LiquidationFill fill, int market)
    {
        int id = fill.Account;
        PerpetualMarket parameters = _markets[market];
        long lots = _lots[(id * _marketCount) + market];
        long closing = fill.Side == Side.Sell ? Math.Min(fill.Quantity, Math.Max(lots, 0)) : Math.Min(fill.Quantity, Math.Max(-lots, 0));
        if (closing == 0)
        {
            // The position is gone (or turned): nothing to liquidate, so it is an ordinary fill without a fee.
            Trade(id, market, fill.Side == Side.Buy ? fill.Quantity : -fill.Quantity, fill.Quote);
            return;
        }

        Margin(id, out Int128 netScaled, out Int128 maintenanceScaled, out _);
        Int128 bankruptcyQuote = BankruptcyQuote(Math.Sign(lots), closing, _unitValue[market], _maintenancePerLot[market], netScaled, maintenanceScaled);

        // The quote received for the lots that closed (all of them but in a turned position): a sell's share rounded
        // down, a buy's up, so the split never favours the account.
        Int128 received = fill.Side == Side.Sell
            ? ExactMath.FloorDiv(fill.Quote * closing, fill.Quantity)
            : -ExactMath.CeilDiv(fill.Quote * closing, fill.Quantity);
        Trade(id, market, fill.Side == Side.Buy ? fill.Quantity : -fill.Quantity, fill.Quote);

        Int128 delta = received - bankruptcyQuote;
        if (delta > 0)
        {
            Int128 fee = Int128.Min(ExactMath.CeilDiv(fill.Quote * parameters.MaxLiquidationFeePpm, Million), delta);
            _collateral[id] -= fee;
            _insuranceFund += fee;
        }
        else if (delta < 0)
        {
            Int128 paid = Int128.Min(-delta, Int128.Max(_insuranceFund, Int128.Zero));
            _collateral[id] += paid;
            _insuranceFund -= paid;
            if (paid < -delta)
            {
                MarkBankrupt(id);
            }
        }

        MarkIfPositionlessDebt(id);
        OnAccountChanged(id);
    }

    /// <summary>
    /// An account that closed its last position with less than nothing (a fee or a liquidation took it below zero)
    /// can no longer be liquidated: <see cref="EndBlock"/> covers its debt from the insurance fund or reports it.
    /// </summary>
    private void MarkIfPositionlessDebt(int id)
    {
        if (_positionCount[id] == 0 && _collateral[id] < 0 && !HasOptions(id))
        {
            MarkBankrupt(id);
        }
    }

    private readonly record struct LiquidationFill(int Released, int Account, Side Side, long Quantity, Int128 Quote);

    private readonly struct LiquidationFillComparer : IComparer<LiquidationFill>
    {
        public int Compare(LiquidationFill x, LiquidationFill y) => x.Released.CompareTo(y.Released);
    }
}
