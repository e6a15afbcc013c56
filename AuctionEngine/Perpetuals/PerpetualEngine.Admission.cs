using AuctionEngine.Orders;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    // Per-market accumulators of the account being admitted, reused for every account and batch.
    private readonly long[] _admitBuys;
    private readonly long[] _admitSells;
    private readonly long[] _admitReduceBuys;
    private readonly long[] _admitReduceSells;
    private readonly Int128[] _admitLoss;
    private readonly Int128[] _admitFees;
    private AdmissionKey[] _admitKeys = [];

    /// <summary>
    /// Decides which of a block's orders go into the batches, and with how many lots. Each account's orders are taken
    /// in the order (market, order id), so the verdicts never depend on the order of <paramref name="orders"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An ordinary order is admitted only if the account still meets its initial requirement in the worst case of
    /// every subset of its admitted orders and this one filling, whole or in part, at their limits (a market order at
    /// the market's maximum price for a buy and at 0 for a sell), with their fees, at the current oracle prices: the
    /// engine requires <c>10^6 × (collateral + Σ positions' worth + Σ losses against the oracle − Σ fees) ≥
    /// Σ max(|n|, |n + buys|, |n − sells|) × notional per lot × initialMarginPpm</c>, which bounds every such case.
    /// It is also refused if <c>|n + buys|</c> or <c>|n − sells|</c> could exceed the market's maximum position.
    /// </para>
    /// <para>
    /// A reduce-only order is cut to what is left of the position on its side, after this block's released
    /// liquidation order and the account's earlier reduce-only orders on that side: on their own, reduce-only orders
    /// can never take a position through zero. It is not margin-checked (it can only lower the requirement), but it
    /// counts in the worst case of the account's later ordinary orders.
    /// </para>
    /// <para>
    /// An order for an option series (a market index from <see cref="MarketCount"/>) is refused as
    /// <see cref="AdmissionStatus.SeriesExpired"/> from the series' expiry block on; otherwise it, and every order of
    /// an account that holds options, is checked against the initial portfolio requirement in the worst case of the
    /// account's orders (see <see cref="PortfolioMargin"/>), with the same reduce-only and position-limit rules.
    /// </para>
    /// </remarks>
    /// <param name="orders">The block's orders for every market of the engine.</param>
    /// <param name="results">One verdict per order: <c>results[i]</c> for <c>orders[i]</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than <paramref name="orders"/>.</exception>
    /// <exception cref="InvalidOperationException">No oracle prices were given yet, or an order is for a series and a series was listed since the last <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/>.</exception>
    public void Admit(ReadOnlySpan<PerpetualOrder> orders, Span<OrderAdmission> results)
    {
        if (results.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_ResultsTooShort(results.Length, orders.Length, nameof(results));
        }

        RequireOracle();
        if (_admitKeys.Length < orders.Length)
        {
            _admitKeys = new AdmissionKey[Math.Max(orders.Length, _admitKeys.Length * 2)];
        }

        int count = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            PerpetualOrder order = orders[i];
            AdmissionStatus refusal = Validate(order, out int account);
            if (refusal != AdmissionStatus.Admitted)
            {
                results[i] = new OrderAdmission(refusal, 0);
                continue;
            }

            _admitKeys[count++] = new AdmissionKey(account, order.MarketIndex, order.Order.Id, i);
        }

        Span<AdmissionKey> keys = _admitKeys.AsSpan(0, count);
        Internal.HeapSort.Sort(keys, default(AdmissionKeyComparer));
        int start = 0;
        while (start < count)
        {
            int account = keys[start].Account;
            int end = start + 1;
            while (end < count && keys[end].Account == account)
            {
                end++;
            }

            AdmitAccount(account, keys[start..end], orders, results);
            start = end;
        }
    }

    private AdmissionStatus Validate(in PerpetualOrder order, out int account)
    {
        account = -1;
        bool isSeries = IsSeriesMarket(order.MarketIndex);
        if ((uint)order.MarketIndex >= (uint)_marketCount && !isSeries)
        {
            return AdmissionStatus.UnknownMarket;
        }

        Order o = order.Order;
        Markets.Market market = isSeries ? _series[order.MarketIndex - _marketCount].Market : _markets[order.MarketIndex].Market;
        bool validPrice = o.IsMarket || (o.LimitPrice > 0 && o.LimitPrice <= market.MaxPrice);
        if (o.Side is not (Side.Buy or Side.Sell) || o.Type is not (OrderType.Limit or OrderType.Market) ||
            o.Quantity <= 0 || o.Quantity > market.MaxOrderQuantity || !validPrice || (o.Id & LiquidationIdFlag) != 0)
        {
            return AdmissionStatus.InvalidOrder;
        }

        if (isSeries)
        {
            int s = order.MarketIndex - _marketCount;
            if (_seriesSettled[s] || _currentBlock >= _series[s].ExpiryBlock)
            {
                return AdmissionStatus.SeriesExpired;
            }

            if (!_volatilitiesCurrent)
            {
                ThrowHelper.ThrowInvalidOperation_NoVolatilities();
            }
        }

        return _accountIds.TryGetValue(o.Trader, out account) ? AdmissionStatus.Admitted : AdmissionStatus.UnknownAccount;
    }

    private void AdmitAccount(int account, ReadOnlySpan<AdmissionKey> keys, ReadOnlySpan<PerpetualOrder> orders, Span<OrderAdmission> results)
    {
        Array.Clear(_admitBuys);
        Array.Clear(_admitSells);
        Array.Clear(_admitReduceBuys);
        Array.Clear(_admitReduceSells);
        Array.Clear(_admitLoss);
        Array.Clear(_admitFees);
        ResetAdmitOptions();
        int baseSlot = account * _marketCount;
        foreach (AdmissionKey key in keys)
        {
            PerpetualOrder order = orders[key.Index];
            Order o = order.Order;
            int m = order.MarketIndex;
            if (m >= _marketCount)
            {
                // Series come after the perpetual markets, and keys are in market order: the account's perpetual
                // orders are all counted by now.
                results[key.Index] = AdmitSeriesOrder(account, order);
                continue;
            }

            PerpetualMarket market = _markets[m];
            long lots = _lots[baseSlot + m];
            bool buy = o.Side == Side.Buy;
            long quantity = o.Quantity;
            AdmissionStatus status = AdmissionStatus.Admitted;
            if (order.ReduceOnly)
            {
                long reducible = buy ? Math.Max(-lots, 0) : Math.Max(lots, 0);
                reducible -= ReleasedLiquidationQuantity(account, m, o.Side) + (buy ? _admitReduceBuys[m] : _admitReduceSells[m]);
                if (reducible <= 0)
                {
                    results[key.Index] = new OrderAdmission(AdmissionStatus.NothingToReduce, 0);
                    continue;
                }

                if (quantity > reducible)
                {
                    quantity = reducible;
                    status = AdmissionStatus.Reduced;
                }
            }

            else if (quantity > 2 * market.MaxPosition)
            {
                // Even from the opposite maximum it would pass the maximum (and this bound keeps its notional below 2^97).
                results[key.Index] = new OrderAdmission(AdmissionStatus.PositionLimit, 0);
                continue;
            }

            long price = o.IsMarket ? (buy ? market.Market.MaxPrice : 0) : o.LimitPrice;
            Int128 atLimit = (Int128)((ulong)quantity * (ulong)price * market.TickSize);
            Int128 atOracle = quantity * _unitValue[m];
            Int128 loss = Int128.Min(Int128.Zero, buy ? atOracle - atLimit : atLimit - atOracle);
            Int128 fee = Internal.ExactMath.CeilDiv(atLimit * market.FeePpm, Million);

            ref long sideTotal = ref buy ? ref _admitBuys[m] : ref _admitSells[m];
            sideTotal += quantity;
            _admitLoss[m] += loss;
            _admitFees[m] += fee;
            if (order.ReduceOnly)
            {
                if (HasOptions(account))
                {
                    // Under portfolio margin, closing a position can remove a hedge (see PortfolioMargin).
                    if (PortfolioExcess(account) < 0 && (_admitHasOrdinary || !ReduceOnlyDoesNotWorsen(account, m, buy ? quantity : -quantity, loss - fee)))
                    {
                        sideTotal -= quantity;
                        _admitLoss[m] -= loss;
                        _admitFees[m] -= fee;
                        results[key.Index] = new OrderAdmission(AdmissionStatus.InsufficientMargin, 0);
                        continue;
                    }
                }

                (buy ? ref _admitReduceBuys[m] : ref _admitReduceSells[m]) += quantity;
                results[key.Index] = new OrderAdmission(status, quantity);
                continue;
            }

            long extreme = Math.Max(Math.Abs(lots + _admitBuys[m]), Math.Abs(lots - _admitSells[m]));
            status = extreme > market.MaxPosition ? AdmissionStatus.PositionLimit
                : WorstCaseMeetsInitial(account) ? AdmissionStatus.Admitted : AdmissionStatus.InsufficientMargin;
            if (status != AdmissionStatus.Admitted)
            {
                sideTotal -= quantity;
                _admitLoss[m] -= loss;
                _admitFees[m] -= fee;
                quantity = 0;
            }
            else
            {
                _admitHasOrdinary = true;
            }

            results[key.Index] = new OrderAdmission(status, quantity);
        }
    }

    /// <summary>Whether the account meets its initial requirement in the worst case of the orders accumulated so far.</summary>
    private bool WorstCaseMeetsInitial(int account)
    {
        if (HasOptions(account))
        {
            return PortfolioWorstCaseMeetsInitial(account);
        }

        int baseSlot = account * _marketCount;
        Int128 worst = _collateral[account];
        Int128 initial = Int128.Zero;
        for (int m = 0; m < _marketCount; m++)
        {
            long lots = _lots[baseSlot + m];
            worst = checked(worst - FundingOwed(baseSlot + m, m) + (lots * _unitValue[m]) + _admitLoss[m] - _admitFees[m]);
            long extreme = Math.Max(Math.Abs(lots), Math.Max(Math.Abs(lots + _admitBuys[m]), Math.Abs(lots - _admitSells[m])));
            initial = checked(initial + (extreme * _initialPerLot[m]));
        }

        return checked(worst * Million) >= initial;
    }

    private readonly record struct AdmissionKey(int Account, int Market, ulong Id, int Index);

    private readonly struct AdmissionKeyComparer : IComparer<AdmissionKey>
    {
        public int Compare(AdmissionKey x, AdmissionKey y)
        {
            int c = x.Account.CompareTo(y.Account);
            if (c == 0)
            {
                c = x.Market.CompareTo(y.Market);
            }

            if (c == 0)
            {
                c = x.Id.CompareTo(y.Id);
            }

            return c != 0 ? c : x.Index.CompareTo(y.Index);
        }
    }
}
