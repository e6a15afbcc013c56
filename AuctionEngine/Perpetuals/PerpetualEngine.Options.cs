using AuctionEngine.Clearing;
using AuctionEngine.Options;
using AuctionEngine.Options.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals.Internal;
using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    // Option series, listed after the perpetual markets: series s is market index MarketCount + s.
    private OptionSeries[] _series = [];
    private int[] _seriesUnderlying = [];
    private bool[] _seriesSettled = [];
    private bool[] _seriesFilledThisBlock = [];
    private double[] _seriesVolatility = [];
    private double[] _seriesYears = [];
    private double[] _seriesScale = [];
    private double[] _seriesMark = [];
    private long[] _seriesOpenInterest = [];
    private int _seriesCount;

    // Indexed by account id; null for an account that never traded an option.
    private OptionHoldings?[] _holdings = [];

    // The accounts whose positions the last SettleSeries closed, ascending id.
    private readonly List<Address> _settledAccounts = [];

    private long _currentBlock = -1;
    private long _blockTimestamp;
    private bool _volatilitiesCurrent;

    /// <summary>How many option series have been listed (settled ones included).</summary>
    public int SeriesCount => _seriesCount;

    /// <summary>The block last given to <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/>; −1 before the first.</summary>
    public long CurrentBlock => _currentBlock;

    /// <summary>
    /// Lists an option series as a market of this engine: its orders go through <see cref="Admit"/> and
    /// <see cref="ApplyFills"/> under the returned market index, which follows the perpetual markets'.
    /// </summary>
    /// <param name="series">The series; its underlying must be one of the engine's perpetual markets.</param>
    /// <returns>The series' market index: <see cref="MarketCount"/> + the number of series listed before it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="series"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The underlying is not one of the engine's perpetual markets, the strike is above the underlying's maximum
    /// price, or the series' largest premium or payoff (maximum position × maximum price × tick, and maximum position
    /// × contract size × the underlying's maximum price × its tick) exceeds <see cref="PerpetualMarket.MaxNotionalBound"/>.
    /// </exception>
    /// <remarks>Until the next <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/> gives the new series a volatility, orders for any series are refused by an exception.</remarks>
    public int ListSeries(OptionSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if ((uint)series.UnderlyingMarketIndex >= (uint)_marketCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange_MarketIndex(series.UnderlyingMarketIndex, _marketCount, nameof(series));
        }

        PerpetualMarket underlying = _markets[series.UnderlyingMarketIndex];
        if (series.Strike > underlying.Market.MaxPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(series), "The strike is above the underlying market's maximum price.");
        }

        UInt128 maxPremium = (UInt128)(ulong)series.MaxPosition * (ulong)series.Market.MaxPrice * series.Market.TickSize;
        UInt128 maxPayoff = (UInt128)(ulong)series.MaxPosition * (ulong)series.ContractSize;
        bool payoffFits = maxPayoff <= PerpetualMarket.MaxNotionalBound
            && maxPayoff * (ulong)underlying.Market.MaxPrice <= PerpetualMarket.MaxNotionalBound
            && maxPayoff * (ulong)underlying.Market.MaxPrice * underlying.TickSize <= PerpetualMarket.MaxNotionalBound;
        if (maxPremium > PerpetualMarket.MaxNotionalBound || !payoffFits)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(series), "The series' largest premium or payoff exceeds 2^96 quote atoms; lower its maximum position, contract size or maximum price.");
        }

        if (_seriesCount == _series.Length)
        {
            int capacity = Math.Max(8, _series.Length * 2);
            Array.Resize(ref _series, capacity);
            Array.Resize(ref _seriesUnderlying, capacity);
            Array.Resize(ref _seriesSettled, capacity);
            Array.Resize(ref _seriesFilledThisBlock, capacity);
            Array.Resize(ref _seriesVolatility, capacity);
            Array.Resize(ref _seriesYears, capacity);
            Array.Resize(ref _seriesScale, capacity);
            Array.Resize(ref _seriesMark, capacity);
            Array.Resize(ref _seriesOpenInterest, capacity);
        }

        int s = _seriesCount++;
        _series[s] = series;
        _seriesUnderlying[s] = series.UnderlyingMarketIndex;
        _seriesScale[s] = (double)((UInt128)(ulong)series.ContractSize * underlying.TickSize);
        _volatilitiesCurrent = false;
        return _marketCount + s;
    }

    /// <summary>The option series at a market index.</summary>
    /// <param name="marketIndex">From <see cref="MarketCount"/> to <see cref="MarketCount"/> + <see cref="SeriesCount"/> − 1.</param>
    /// <returns>The series.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is not a series' index.</exception>
    public OptionSeries GetSeries(int marketIndex) => _series[SeriesIndex(marketIndex)];

    /// <summary>Whether a series has been settled by <see cref="SettleSeries"/>.</summary>
    /// <param name="marketIndex">The series' market index.</param>
    /// <returns>Whether it has.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is not a series' index.</exception>
    public bool IsSeriesSettled(int marketIndex) => _seriesSettled[SeriesIndex(marketIndex)];

    /// <summary>A series' open interest: the sum of its long positions in lots (equal to the sum of its short positions).</summary>
    /// <param name="marketIndex">The series' market index.</param>
    /// <returns>The open interest.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is not a series' index.</exception>
    public long GetSeriesOpenInterest(int marketIndex) => _seriesOpenInterest[SeriesIndex(marketIndex)];

    /// <summary>The accounts whose positions the last <see cref="SettleSeries"/> closed, in the order of their first deposit (a venue tells their order managers).</summary>
    internal ReadOnlySpan<Address> LastSettledAccounts => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_settledAccounts);

    /// <summary>
    /// A series' mark: one lot's Black-76 value at the underlying's oracle price with the series' volatility and the
    /// years left, in quote atoms (floating point; margin rounds it against each account).
    /// </summary>
    /// <param name="marketIndex">The series' market index.</param>
    /// <returns>The value of one lot; 0 once settled.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is not a series' index.</exception>
    public double GetSeriesMark(int marketIndex) => _seriesMark[SeriesIndex(marketIndex)];

    /// <summary>
    /// Gives the block number, its timestamp and every series' volatility for this block; call it after
    /// <see cref="UpdateOracle"/> and before <see cref="ScanLiquidations"/> in every block once a series is listed.
    /// Series' marks are revalued at the oracle.
    /// </summary>
    /// <param name="block">The block number; not below the previous one.</param>
    /// <param name="blockTimestamp">The block's timestamp in seconds since the Unix epoch.</param>
    /// <param name="volatilities">One volatility per listed series (σ per √year, 0.5 for 50%), finite and zero or more; ignored for settled series.</param>
    /// <exception cref="ArgumentException"><paramref name="volatilities"/> does not hold one value per listed series.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The block is below the previous one, or a volatility is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">No oracle prices were given yet.</exception>
    public void UpdateVolatilities(long block, long blockTimestamp, ReadOnlySpan<double> volatilities)
    {
        CheckVolatilities(volatilities, nameof(volatilities));
        SetBlock(block, blockTimestamp);
        volatilities.CopyTo(_seriesVolatility);
        RefreshSeries();
    }

    /// <summary>
    /// As <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/>, with each series' volatility read from its underlying's surface at the
    /// series' log-moneyness ln(strike / oracle) and years to expiry.
    /// </summary>
    /// <param name="block">The block number; not below the previous one.</param>
    /// <param name="blockTimestamp">The block's timestamp in seconds since the Unix epoch.</param>
    /// <param name="surfaces">One surface per perpetual market, by index; null for a market without series.</param>
    /// <exception cref="ArgumentNullException"><paramref name="surfaces"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="surfaces"/> does not hold one entry per market, or a market with an open series has none.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The block is below the previous one.</exception>
    /// <exception cref="InvalidOperationException">No oracle prices were given yet.</exception>
    public void UpdateVolatilities(long block, long blockTimestamp, IReadOnlyList<VolatilitySurface?> surfaces)
    {
        ArgumentNullException.ThrowIfNull(surfaces);
        CheckSurfaces(surfaces, nameof(surfaces));
        SetBlock(block, blockTimestamp);
        for (int s = 0; s < _seriesCount; s++)
        {
            if (!_seriesSettled[s])
            {
                OptionSeries series = _series[s];
                double years = OptionTime.YearsToExpiry(blockTimestamp, series.ExpiryTimestamp);
                double logMoneyness = Math.Log(series.Strike / (double)_oracle[series.UnderlyingMarketIndex]);
                _seriesVolatility[s] = surfaces[series.UnderlyingMarketIndex]!.ImpliedVolatility(logMoneyness, years);
            }
        }

        RefreshSeries();
    }

    /// <summary>
    /// Settles an expired series in cash: every position receives (a long) or pays (a short) its lots × the intrinsic
    /// value of one lot against <paramref name="settlementPrice"/>, <c>max(S − K, 0)</c> for a call and
    /// <c>max(K − S, 0)</c> for a put, × contract size × the underlying's tick size. The value is a whole number of
    /// quote atoms and longs and shorts hold equal lots, so settlement is exact and moves no money out of the
    /// accounts: collateral + insurance fund + fee account is unchanged. The positions close and the series no longer
    /// trades. An account left with no position and negative collateral has its debt covered at <see cref="EndBlock"/>
    /// by the insurance fund, as far as the fund goes.
    /// </summary>
    /// <param name="marketIndex">The series' market index.</param>
    /// <param name="settlementPrice">The underlying's settlement price in its ticks (the host's settlement oracle), from 1 to its maximum price.</param>
    /// <returns>What moved.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is not a series' index, or the price is out of range.</exception>
    /// <exception cref="InvalidOperationException">The series was already settled, or <see cref="CurrentBlock"/> is before its expiry block.</exception>
    public SeriesSettlement SettleSeries(int marketIndex, long settlementPrice)
    {
        int s = SeriesIndex(marketIndex);
        OptionSeries series = _series[s];
        PerpetualMarket underlying = _markets[series.UnderlyingMarketIndex];
        if (_seriesSettled[s] || _currentBlock < series.ExpiryBlock)
        {
            ThrowHelper.ThrowInvalidOperation_CannotSettle(marketIndex, series.ExpiryBlock, _currentBlock);
        }

        if (settlementPrice <= 0 || settlementPrice > underlying.Market.MaxPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange_Price(settlementPrice, underlying.Market.MaxPrice, nameof(settlementPrice));
        }

        long intrinsicTicks = Math.Max(series.Type == OptionType.Call ? settlementPrice - series.Strike : series.Strike - settlementPrice, 0);
        Int128 payoff = checked((Int128)intrinsicTicks * series.ContractSize * (Int128)underlying.TickSize);
        long openInterest = _seriesOpenInterest[s];
        _settledAccounts.Clear();
        for (int id = 0; id < _holdings.Length; id++)
        {
            OptionHoldings? holdings = _holdings[id];
            long lots = holdings?.LotsOf(s) ?? 0;
            if (lots == 0)
            {
                continue;
            }

            _collateral[id] = checked(_collateral[id] + (lots * payoff));
            _settledAccounts.Add(_addresses[id]);
            holdings!.Set(s, 0, _seriesUnderlying.AsSpan(0, _seriesCount));
            MarkIfPositionlessDebt(id);
            OnAccountChanged(id);
        }

        _seriesSettled[s] = true;
        _seriesOpenInterest[s] = 0;
        _seriesMark[s] = 0;
        return new SeriesSettlement(marketIndex, settlementPrice, payoff, openInterest, payoff * openInterest);
    }

    /// <summary>
    /// An account's Greeks to one underlying: its perpetual position's delta plus its option positions' Black-76
    /// Greeks at the oracle with each series' volatility and years left, in the underlying's units
    /// (see <see cref="PortfolioGreeks"/>).
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="underlyingMarketIndex">The perpetual market.</param>
    /// <returns>The aggregated Greeks.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="underlyingMarketIndex"/> is not a perpetual market's index.</exception>
    public PortfolioGreeks GetPortfolioGreeks(Address account, int underlyingMarketIndex)
    {
        int id = RequireAccount(account, nameof(account));
        CheckMarket(underlyingMarketIndex);
        double delta = _lots[(id * _marketCount) + underlyingMarketIndex];
        double gamma = 0, vega = 0, theta = 0;
        if (HoldingsOf(id) is { } holdings)
        {
            ReadOnlySpan<int> series = holdings.Series;
            ReadOnlySpan<long> lots = holdings.Lots;
            for (int i = 0; i < series.Length; i++)
            {
                int s = series[i];
                if (_seriesUnderlying[s] != underlyingMarketIndex)
                {
                    continue;
                }

                OptionSeries option = _series[s];
                OptionValuation value = Black76.Evaluate(option.Type == OptionType.Call, _oracle[underlyingMarketIndex], option.Strike, _seriesYears[s], _seriesVolatility[s], 1.0);
                double contracts = (double)lots[i] * option.ContractSize;
                double atoms = lots[i] * _seriesScale[s];
                delta += contracts * value.Delta;
                gamma += contracts * value.Gamma;
                vega += atoms * value.Vega;
                theta += atoms * value.Theta;
            }
        }

        return new PortfolioGreeks(delta, gamma, vega, theta);
    }

    /// <summary>Whether an account holds option positions (and so is margined on the portfolio's scenario grid).</summary>
    /// <param name="account">The account.</param>
    /// <returns>Whether it does.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public bool HasOptionPositions(Address account) => HoldingsOf(RequireAccount(account, nameof(account))) is not null;

    /// <summary>The argument checks of <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/>, for a venue that must check before it changes anything.</summary>
    internal void CheckVolatilities(ReadOnlySpan<double> volatilities, string paramName)
    {
        if (volatilities.Length != _seriesCount)
        {
            ThrowHelper.ThrowArgumentException_Volatilities(volatilities.Length, _seriesCount, paramName);
        }

        foreach (double volatility in volatilities)
        {
            if (!(volatility >= 0 && volatility < double.PositiveInfinity))
            {
                ThrowHelper.ThrowArgumentOutOfRange(paramName, "Every volatility must be a finite number, zero or more.");
            }
        }
    }

    /// <summary>The argument checks of <see cref="UpdateVolatilities(long, long, IReadOnlyList{VolatilitySurface})"/> on a non-null list.</summary>
    internal void CheckSurfaces(IReadOnlyList<VolatilitySurface?> surfaces, string paramName)
    {
        if (surfaces.Count != _marketCount)
        {
            ThrowHelper.ThrowArgumentException_Surfaces(surfaces.Count, _marketCount, paramName);
        }

        for (int s = 0; s < _seriesCount; s++)
        {
            if (!_seriesSettled[s] && surfaces[_seriesUnderlying[s]] is null)
            {
                ThrowHelper.ThrowArgumentException_MissingSurface(_seriesUnderlying[s], paramName);
            }
        }
    }

    private void SetBlock(long block, long blockTimestamp)
    {
        RequireOracle();
        if (block < _currentBlock)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(block), "Blocks only move forward.");
        }

        _currentBlock = block;
        _blockTimestamp = blockTimestamp;
    }

    /// <summary>Years to expiry and marks of every open series, at the current oracle and volatilities.</summary>
    private void RefreshSeries()
    {
        for (int s = 0; s < _seriesCount; s++)
        {
            _seriesYears[s] = OptionTime.YearsToExpiry(_blockTimestamp, _series[s].ExpiryTimestamp);
        }

        _volatilitiesCurrent = true;
        RefreshMarks();
    }

    private void RefreshMarks()
    {
        _riskEpoch++;
        for (int s = 0; s < _seriesCount; s++)
        {
            if (_seriesSettled[s])
            {
                continue;
            }

            OptionSeries series = _series[s];
            double forward = _oracle[series.UnderlyingMarketIndex];
            double strike = series.Strike;
            double totalVolatility = _seriesVolatility[s] * Math.Sqrt(_seriesYears[s]);
            _seriesMark[s] = BlackKernel.Price(series.Type == OptionType.Call, forward, strike, Math.Log(forward / strike), totalVolatility) * _seriesScale[s];
        }
    }

    private int SeriesIndex(int marketIndex)
    {
        int s = marketIndex - _marketCount;
        if (marketIndex < _marketCount || s >= _seriesCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange_SeriesIndex(marketIndex, _marketCount, _seriesCount, nameof(marketIndex));
        }

        return s;
    }

    private bool IsSeriesMarket(int marketIndex) => marketIndex >= _marketCount && marketIndex - _marketCount < _seriesCount;

    /// <summary>The account's option holdings, or null when it holds none.</summary>
    private OptionHoldings? HoldingsOf(int id) =>
        (uint)id < (uint)_holdings.Length && _holdings[id] is { Count: > 0 } holdings ? holdings : null;

    private bool HasOptions(int id) => HoldingsOf(id) is not null;

    /// <summary>The account's position in a perpetual market or a series, in lots.</summary>
    private long PositionOf(int id, int marketIndex) =>
        marketIndex < _marketCount ? _lots[(id * _marketCount) + marketIndex] : SeriesLots(id, marketIndex - _marketCount);

    private long SeriesLots(int id, int s) => (uint)id < (uint)_holdings.Length && _holdings[id] is { } holdings ? holdings.LotsOf(s) : 0;

    /// <summary>Trades <paramref name="delta"/> lots of a series (positive buys) for <paramref name="quote"/> premium.</summary>
    private void TradeSeries(int id, int s, long delta, Int128 quote)
    {
        if (id >= _holdings.Length)
        {
            Array.Resize(ref _holdings, Math.Max(id + 1, _holdings.Length * 2));
        }

        OptionHoldings holdings = _holdings[id] ??= new OptionHoldings();
        long lots = holdings.LotsOf(s);
        long after = checked(lots + delta);
        _collateral[id] = checked(delta > 0 ? _collateral[id] - quote : _collateral[id] + quote);
        holdings.Set(s, after, _seriesUnderlying.AsSpan(0, _seriesCount));
        _seriesOpenInterest[s] += Math.Max(after, 0) - Math.Max(lots, 0);
        OnAccountChanged(id);
    }

    /// <summary>Applies a series' cleared batch: premium and fees move exactly, as for a perpetual; no funding, no premium record.</summary>
    private void ApplySeriesFills(int marketIndex, long clearingPrice, ReadOnlySpan<Order> orders, ReadOnlySpan<Fill> fills)
    {
        int s = marketIndex - _marketCount;
        OptionSeries series = _series[s];
        if (clearingPrice <= 0 || clearingPrice > series.Market.MaxPrice)
        {
            ThrowHelper.ThrowArgumentOutOfRange_Price(clearingPrice, series.Market.MaxPrice, nameof(clearingPrice));
        }

        if (fills.Length < orders.Length)
        {
            ThrowHelper.ThrowArgumentException_FillsTooShort(fills.Length, orders.Length, nameof(fills));
        }

        if (_seriesFilledThisBlock[s] || _seriesSettled[s])
        {
            ThrowHelper.ThrowInvalidOperation_FillsTwice(marketIndex);
        }

        for (int i = 0; i < orders.Length; i++)
        {
            if (fills[i].FilledQuantity > 0 && !_accountIds.ContainsKey(orders[i].Trader))
            {
                ThrowHelper.ThrowArgumentException_UnknownAccount(nameof(orders));
            }
        }

        _seriesFilledThisBlock[s] = true;
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
            TradeSeries(account, s, order.Side == Side.Buy ? filled : -filled, quote);

            // A liquidation order's price already carries its penalty (to whoever took the other side): no fee on top.
            if (ReleasedIndex(order, marketIndex) < 0)
            {
                Int128 fee = ExactMath.CeilDiv(quote * series.FeePpm, Million);
                _collateral[account] -= fee;
                _feeAccount += fee;
            }

            MarkIfPositionlessDebt(account);
        }
    }

    /// <summary>
    /// Liquidation orders for an account's option positions: each closes ⌈|n| × LiquidationPortionPpm / 10^6⌉ lots
    /// (at least one, at most |n|) with a limit at the mark premium moved against the account by the penalty,
    /// <c>⌈O × contract size × underlying tick × LiquidationPenaltyPpm / (10^6 × series tick)⌉</c> ticks: a long sells
    /// at ⌊mark⌋ − penalty (at least 1 tick), a short buys back at ⌈mark⌉ + penalty (at most the series' maximum price).
    /// </summary>
    private void AddOptionLiquidations(int id, OptionHoldings holdings)
    {
        PortfolioMarginParameters parameters = _portfolioMargin;
        ReadOnlySpan<int> series = holdings.Series;
        ReadOnlySpan<long> positions = holdings.Lots;
        for (int i = 0; i < series.Length; i++)
        {
            int s = series[i];
            OptionSeries option = _series[s];
            long lots = positions[i];
            long size = Math.Abs(lots);
            long quantity = (long)Int128.Clamp(ExactMath.CeilDiv((Int128)size * parameters.LiquidationPortionPpm, Million), 1, size);
            Int128 seriesTick = (Int128)option.Market.TickSize;
            Int128 penalty = ExactMath.CeilDiv(
                (Int128)_oracle[option.UnderlyingMarketIndex] * option.ContractSize * (Int128)_markets[option.UnderlyingMarketIndex].TickSize * parameters.LiquidationPenaltyPpm,
                Million * seriesTick);
            double markTicks = Math.Clamp(_seriesMark[s] / (double)seriesTick, 0, option.Market.MaxPrice);
            long limit = lots > 0
                ? (long)Int128.Max((Int128)Math.Floor(markTicks) - penalty, 1)
                : (long)Int128.Min((Int128)Math.Ceiling(markTicks) + penalty, option.Market.MaxPrice);
            AddScanned(id, new LiquidationOrder(_nextLiquidationId++, _addresses[id], _marketCount + s, lots > 0 ? Side.Sell : Side.Buy, quantity, limit, limit));
        }
    }
}
