using System.Buffers;
using AuctionEngine.Markets;
using AuctionEngine.Options;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals.Internal;
using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    /// <summary>What the snapshot is of, in its error messages.</summary>
    internal const string SnapshotKind = "a perpetual engine";

    /// <summary>The version of the format <see cref="WriteSnapshot"/> writes.</summary>
    public const int SnapshotVersion = 1;

    private const uint SnapshotMagic = 0x4550_4541; // "AEPE" little-endian
    private const int MarketRecordSize = (2 * Address.Length) + 16 + 16 + 8 + 8;
    private const int PerpetualMarketRecordSize = MarketRecordSize + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 4 + 4 + 16 + 4;
    private const int MarketStateSize = 8 + 16 + 16 + 8 + 16 + 4 + 4;
    private const int SeriesRecordSize = MarketRecordSize + 4 + 1 + (5 * 8) + 4 + 1 + (3 * 8) + 8;
    private const int PositionRecordSize = 8 + 16 + 16;
    private const int HoldingRecordSize = 4 + 8;
    private const int ReleasedRecordSize = 8 + 4 + 4 + 1 + 8 + 8 + 8;

    /// <summary>
    /// Writes everything the engine needs to continue exactly: its markets' and series' parameters, the portfolio
    /// margin parameters, the oracle, funding and open-interest state of every market, the block and volatilities, every
    /// account with its positions and option holdings, the insurance fund, the fee account, the net deposits and the
    /// liquidation orders released into the next block's batches.
    /// </summary>
    /// <param name="destination">Receives the snapshot; the engine asks it for one span of the exact size.</param>
    /// <remarks>
    /// <para>
    /// Take it between blocks, after <see cref="EndBlock"/> (or before the first block): the reports of the last call
    /// (<see cref="FundingPayments"/>, <see cref="Deleveragings"/>, <see cref="Insolvencies"/>, the last settlement's
    /// accounts) are results, not state, and are not kept. The same state always gives the same bytes, and a restored
    /// engine writes the bytes it was restored from. The markets are part of the snapshot, so that
    /// <see cref="Restore"/> needs nothing else and cannot be handed different ones; derived values (per-lot worths and
    /// requirements, the liquidation index, the scenario grid and risk arrays) are recomputed. The series' marks and
    /// years to expiry are kept as written, since a series listed after the last
    /// <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/> has none yet that recomputing would reproduce.
    /// </para>
    /// <para>
    /// Version 1, little-endian, fixed-width: the magic <c>AEPE</c> and the version (<c>u16</c>); the market count
    /// (<c>i32</c>) and per market its <see cref="Market"/> (base and quote token, lot and tick size as <c>u128</c>, maximum
    /// price and order quantity) and its <see cref="PerpetualMarket"/> parameters in constructor order; the eight
    /// <see cref="PortfolioMarginParameters"/>; the oracle flag; per market its oracle price, long and short funding
    /// indexes (<c>i128</c>), open interest, premium sum (<c>i128</c>), cleared blocks and blocks in the interval; the
    /// current block, its timestamp and the volatilities-current flag; the insurance fund, fee account and net deposits
    /// (<c>i128</c>) and the next liquidation id; the series count and per series its market, underlying, type, strike,
    /// expiry block and timestamp, contract size, maximum position, fee, settled flag, volatility, years and mark
    /// (IEEE 754 doubles) and open interest; the account count and per account its address, collateral (<c>i128</c>),
    /// per market its lots, cost and funding entry (<c>i128</c>), and its option holdings (count, then series index and
    /// lots, ascending); the released liquidation orders (id, account index, market, side, quantity, limit and
    /// bankruptcy price).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The engine is inside a block: fills were applied or liquidations scanned since the last <see cref="EndBlock"/>.</exception>
    public void WriteSnapshot(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_scannedCount != 0 || _bankruptCount != 0 || Array.IndexOf(_filledThisBlock, true) >= 0 || Array.IndexOf(_seriesFilledThisBlock, true) >= 0)
        {
            ThrowHelper.ThrowInvalidOperation_SnapshotInsideBlock();
        }

        int holdingCount = 0;
        for (int id = 0; id < _accountCount; id++)
        {
            holdingCount += HoldingsOf(id)?.Count ?? 0;
        }

        int size = SnapshotSize(holdingCount);
        var writer = new SnapshotWriter(destination.GetSpan(size)[..size]);
        writer.UInt32(SnapshotMagic);
        writer.UInt16(SnapshotVersion);
        writer.Int32(_marketCount);
        foreach (PerpetualMarket market in _markets)
        {
            WriteMarket(ref writer, market.Market);
            writer.Int32(market.InitialMarginPpm);
            writer.Int32(market.MaintenanceMarginPpm);
            writer.Int64(market.MaxPosition);
            writer.Int32(market.FeePpm);
            writer.Int32(market.FundingIntervalBlocks);
            writer.Int32(market.FundingCapPpm);
            writer.Int64(market.BankruptcyAdjustmentPpm);
            writer.Int32(market.SpreadToMaintenanceMarginRatioPpm);
            writer.Int32(market.MaxLiquidationFeePpm);
            writer.UInt128(market.MinPositionNotionalLiquidated);
            writer.Int32(market.MaxPositionPortionLiquidatedPpm);
        }

        PortfolioMarginParameters parameters = _portfolioMargin;
        writer.Int32(parameters.PriceMovePpm);
        writer.Int32(parameters.PriceSteps);
        writer.Int32(parameters.VolatilityMovePpm);
        writer.Int32(parameters.VolatilitySteps);
        writer.Int32(parameters.InitialMultiplierPpm);
        writer.Int32(parameters.LiquidationPenaltyPpm);
        writer.Int32(parameters.LiquidationPortionPpm);
        writer.Int32(parameters.ShortOptionMinimumPpm);

        writer.Boolean(_hasOracle);
        for (int m = 0; m < _marketCount; m++)
        {
            writer.Int64(_oracle[m]);
            writer.Int128(_longFundingIndex[m]);
            writer.Int128(_shortFundingIndex[m]);
            writer.Int64(_openInterest[m]);
            writer.Int128(_premiumSum[m]);
            writer.Int32(_clearedBlocks[m]);
            writer.Int32(_blocksInInterval[m]);
        }

        writer.Int64(_currentBlock);
        writer.Int64(_blockTimestamp);
        writer.Boolean(_volatilitiesCurrent);
        writer.Int128(_insuranceFund);
        writer.Int128(_feeAccount);
        writer.Int128(_netDeposits);
        writer.UInt64(_nextLiquidationId);

        writer.Int32(_seriesCount);
        for (int s = 0; s < _seriesCount; s++)
        {
            OptionSeries series = _series[s];
            WriteMarket(ref writer, series.Market);
            writer.Int32(series.UnderlyingMarketIndex);
            writer.Byte((byte)series.Type);
            writer.Int64(series.Strike);
            writer.Int64(series.ExpiryBlock);
            writer.Int64(series.ExpiryTimestamp);
            writer.Int64(series.ContractSize);
            writer.Int64(series.MaxPosition);
            writer.Int32(series.FeePpm);
            writer.Boolean(_seriesSettled[s]);
            writer.Double(_seriesVolatility[s]);
            writer.Double(_seriesYears[s]);
            writer.Double(_seriesMark[s]);
            writer.Int64(_seriesOpenInterest[s]);
        }

        writer.Int32(_accountCount);
        for (int id = 0; id < _accountCount; id++)
        {
            writer.Address(_addresses[id]);
            writer.Int128(_collateral[id]);
            int baseSlot = id * _marketCount;
            for (int m = 0; m < _marketCount; m++)
            {
                writer.Int64(_lots[baseSlot + m]);
                writer.Int128(_cost[baseSlot + m]);
                writer.Int128(_fundingEntry[baseSlot + m]);
            }

            OptionHoldings? holdings = HoldingsOf(id);
            writer.Int32(holdings?.Count ?? 0);
            if (holdings is not null)
            {
                ReadOnlySpan<int> series = holdings.Series;
                ReadOnlySpan<long> lots = holdings.Lots;
                for (int i = 0; i < series.Length; i++)
                {
                    writer.Int32(series[i]);
                    writer.Int64(lots[i]);
                }
            }
        }

        writer.Int32(_releasedCount);
        for (int i = 0; i < _releasedCount; i++)
        {
            ref readonly LiquidationOrder order = ref _released[i];
            writer.UInt64(order.OrderId);
            writer.Int32(_releasedAccounts[i]);
            writer.Int32(order.MarketIndex);
            writer.Byte((byte)order.Side);
            writer.Int64(order.Quantity);
            writer.Int64(order.LimitPrice);
            writer.Int64(order.BankruptcyPrice);
        }

        destination.Advance(size);
    }

    /// <summary>
    /// Rebuilds an engine from <see cref="WriteSnapshot"/>'s bytes; from then on it behaves exactly as the engine that
    /// wrote them, and writes the same snapshot.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The restored engine.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are not an engine snapshot of a version this library reads, are cut short or run on, or hold a state
    /// the engine cannot reach: a market, series or portfolio margin parameter out of its range, an oracle price outside
    /// its market, a duplicate account, option holdings out of order or in an unknown or settled series, open interest
    /// that is not the sum of the positions, collateral, insurance fund and fee account that do not add up to the net
    /// deposits, or a released liquidation order that is out of order or names an unknown account or market.
    /// </exception>
    public static PerpetualEngine Restore(ReadOnlySpan<byte> snapshot)
    {
        var reader = new SnapshotReader(snapshot, SnapshotKind);
        if (reader.UInt32() != SnapshotMagic)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the magic is not AEPE.");
        }

        if (reader.UInt16() != SnapshotVersion)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the version is not 1.");
        }

        int marketCount = reader.Count(PerpetualMarketRecordSize + MarketStateSize);
        if (marketCount is 0 or > MaxMarkets)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the market count is not from 1 to 64.");
        }

        var markets = new PerpetualMarket[marketCount];
        for (int m = 0; m < marketCount; m++)
        {
            markets[m] = ReadPerpetualMarket(ref reader);
        }

        PortfolioMarginParameters parameters = new(
            reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32(), reader.Int32());
        try
        {
            parameters.Validate();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot($"a portfolio margin parameter is out of range ({exception.Message})");
        }

        var engine = new PerpetualEngine(markets, 1);
        engine._portfolioMargin = parameters;
        engine._hasOracle = reader.Boolean();
        for (int m = 0; m < marketCount; m++)
        {
            long price = reader.Int64();
            bool inRange = engine._hasOracle ? price >= 1 && price <= markets[m].Market.MaxPrice : price == 0;
            engine._longFundingIndex[m] = reader.Int128();
            engine._shortFundingIndex[m] = reader.Int128();
            engine._openInterest[m] = reader.Int64();
            engine._premiumSum[m] = reader.Int128();
            engine._clearedBlocks[m] = reader.Int32();
            engine._blocksInInterval[m] = reader.Int32();
            if (!inRange)
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("an oracle price is outside its market (or set before any oracle).");
            }

            if (engine._blocksInInterval[m] < 0 || engine._blocksInInterval[m] >= markets[m].FundingIntervalBlocks
                || engine._clearedBlocks[m] < 0 || engine._clearedBlocks[m] > engine._blocksInInterval[m])
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("a funding interval's block counts are out of range.");
            }

            engine.SetOraclePrice(m, price);
        }

        engine._currentBlock = reader.Int64();
        engine._blockTimestamp = reader.Int64();
        bool volatilitiesCurrent = reader.Boolean();
        engine._insuranceFund = reader.Int128();
        engine._feeAccount = reader.Int128();
        engine._netDeposits = reader.Int128();
        engine._nextLiquidationId = reader.UInt64();
        if (engine._currentBlock < -1 || (engine._nextLiquidationId & LiquidationIdFlag) == 0)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the current block or the next liquidation id is out of range.");
        }

        ReadSeries(ref reader, engine);
        engine._volatilitiesCurrent = volatilitiesCurrent; // after ListSeries, which clears it
        ReadAccounts(ref reader, engine);
        ReadReleased(ref reader, engine);
        if (!reader.AtEnd)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("bytes follow the end of the snapshot.");
        }

        engine.CheckRestoredTotals();
        engine.RefreshScanTerms();
        for (int id = 0; id < engine._accountCount; id++)
        {
            engine.OnAccountChanged(id);
        }

        return engine;
    }

    private int SnapshotSize(int holdingCount) =>
        4 + 2
        + 4 + (PerpetualMarketRecordSize * _marketCount)
        + (8 * 4)
        + 1 + (MarketStateSize * _marketCount)
        + 8 + 8 + 1 + (3 * 16) + 8
        + 4 + (SeriesRecordSize * _seriesCount)
        + 4 + (AccountRecordSize(_marketCount) * _accountCount) + (HoldingRecordSize * holdingCount)
        + 4 + (ReleasedRecordSize * _releasedCount);

    private static int AccountRecordSize(int marketCount) => Address.Length + 16 + (PositionRecordSize * marketCount) + 4;

    private static void WriteMarket(ref SnapshotWriter writer, Market market)
    {
        writer.Address(market.BaseToken);
        writer.Address(market.QuoteToken);
        writer.UInt128(market.LotSize);
        writer.UInt128(market.TickSize);
        writer.Int64(market.MaxPrice);
        writer.Int64(market.MaxOrderQuantity);
    }

    private static Market ReadMarket(ref SnapshotReader reader)
    {
        Address baseToken = reader.Address();
        Address quoteToken = reader.Address();
        UInt128 lotSize = reader.UInt128();
        UInt128 tickSize = reader.UInt128();
        long maxPrice = reader.Int64();
        long maxOrderQuantity = reader.Int64();
        Market? market = null;
        try
        {
            market = new Market(baseToken, quoteToken, lotSize, tickSize, maxPrice, maxOrderQuantity);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot($"a market's parameter is out of range ({exception.Message})");
        }

        return market;
    }

    private static PerpetualMarket ReadPerpetualMarket(ref SnapshotReader reader)
    {
        Market market = ReadMarket(ref reader);
        int initialMarginPpm = reader.Int32();
        int maintenanceMarginPpm = reader.Int32();
        long maxPosition = reader.Int64();
        int feePpm = reader.Int32();
        int fundingIntervalBlocks = reader.Int32();
        int fundingCapPpm = reader.Int32();
        long bankruptcyAdjustmentPpm = reader.Int64();
        int spreadToMaintenanceMarginRatioPpm = reader.Int32();
        int maxLiquidationFeePpm = reader.Int32();
        UInt128 minPositionNotionalLiquidated = reader.UInt128();
        int maxPositionPortionLiquidatedPpm = reader.Int32();
        PerpetualMarket? perpetual = null;
        try
        {
            perpetual = new PerpetualMarket(
                market, initialMarginPpm, maintenanceMarginPpm, maxPosition, feePpm, fundingIntervalBlocks, fundingCapPpm,
                bankruptcyAdjustmentPpm, spreadToMaintenanceMarginRatioPpm, maxLiquidationFeePpm, minPositionNotionalLiquidated,
                maxPositionPortionLiquidatedPpm);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot($"a perpetual market's parameter is out of range ({exception.Message})");
        }

        return perpetual;
    }

    private static void ReadSeries(ref SnapshotReader reader, PerpetualEngine engine)
    {
        int count = reader.Count(SeriesRecordSize);
        for (int s = 0; s < count; s++)
        {
            Market market = ReadMarket(ref reader);
            int underlying = reader.Int32();
            var type = (OptionType)reader.Byte();
            long strike = reader.Int64();
            long expiryBlock = reader.Int64();
            long expiryTimestamp = reader.Int64();
            long contractSize = reader.Int64();
            long maxPosition = reader.Int64();
            int feePpm = reader.Int32();
            try
            {
                // ListSeries checks the series against its underlying as it did when the series was first listed.
                engine.ListSeries(new OptionSeries(market, underlying, type, strike, expiryBlock, expiryTimestamp, contractSize, maxPosition, feePpm));
            }
            catch (ArgumentOutOfRangeException exception)
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot($"an option series' parameter is out of range ({exception.Message})");
            }

            bool settled = reader.Boolean();
            double volatility = reader.Double();
            double years = reader.Double();
            double mark = reader.Double();
            long openInterest = reader.Int64();
            if (!(volatility >= 0 && volatility < double.PositiveInfinity) || !(years >= 0 && years < double.PositiveInfinity)
                || !(mark >= 0 && mark < double.PositiveInfinity) || openInterest < 0 || (settled && (openInterest != 0 || mark != 0)))
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("an option series' volatility, years, mark or open interest is out of range.");
            }

            engine._seriesSettled[s] = settled;
            engine._seriesVolatility[s] = volatility;
            engine._seriesYears[s] = years;
            engine._seriesMark[s] = mark;
            engine._seriesOpenInterest[s] = openInterest;
        }
    }

    private static void ReadAccounts(ref SnapshotReader reader, PerpetualEngine engine)
    {
        int marketCount = engine._marketCount;
        int count = reader.Count(AccountRecordSize(marketCount));
        for (int id = 0; id < count; id++)
        {
            Address address = reader.Address();
            if (engine.HasAccount(address))
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("an account appears twice.");
            }

            engine.OpenAccount(address);
            engine._collateral[id] = reader.Int128();
            int baseSlot = id * marketCount;
            for (int m = 0; m < marketCount; m++)
            {
                long lots = reader.Int64();
                Int128 cost = reader.Int128();
                engine._fundingEntry[baseSlot + m] = reader.Int128();
                if (lots == long.MinValue || (lots == 0 && cost != 0))
                {
                    ThrowHelper.ThrowInvalidData_EngineSnapshot("a position's lots or cost are out of range.");
                }

                engine._lots[baseSlot + m] = lots;
                engine._cost[baseSlot + m] = cost;
                if (lots != 0)
                {
                    engine._positionCount[id]++;
                }
            }

            int holdings = reader.Count(HoldingRecordSize);
            int previous = -1;
            for (int i = 0; i < holdings; i++)
            {
                int s = reader.Int32();
                long lots = reader.Int64();
                if (s <= previous || s >= engine._seriesCount || engine._seriesSettled[s] || lots == 0 || lots == long.MinValue)
                {
                    ThrowHelper.ThrowInvalidData_EngineSnapshot("an account's option holdings are out of order, empty or in an unknown or settled series.");
                }

                previous = s;
                if (id >= engine._holdings.Length)
                {
                    Array.Resize(ref engine._holdings, Math.Max(id + 1, engine._holdings.Length * 2));
                }

                (engine._holdings[id] ??= new OptionHoldings()).Set(s, lots, engine._seriesUnderlying.AsSpan(0, engine._seriesCount));
            }
        }
    }

    private static void ReadReleased(ref SnapshotReader reader, PerpetualEngine engine)
    {
        int count = reader.Count(ReleasedRecordSize);
        engine._released = new LiquidationOrder[count];
        engine._releasedAccounts = new int[count];
        ulong previousId = 0;
        int previousAccount = 0;
        for (int i = 0; i < count; i++)
        {
            ulong orderId = reader.UInt64();
            int account = reader.Int32();
            int market = reader.Int32();
            var side = (Side)reader.Byte();
            long quantity = reader.Int64();
            long limit = reader.Int64();
            long bankruptcyPrice = reader.Int64();
            if ((orderId & LiquidationIdFlag) == 0 || orderId <= previousId || orderId >= engine._nextLiquidationId
                || account < previousAccount || account >= engine._accountCount
                || (uint)market >= (uint)(engine._marketCount + engine._seriesCount)
                || side is not (Side.Buy or Side.Sell) || quantity <= 0 || limit <= 0)
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("a released liquidation order is out of order or names an unknown account, market or side.");
            }

            long lots = engine.PositionOf(account, market);
            if (quantity > (side == Side.Sell ? lots : -lots))
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("a released liquidation order closes more than its account's position.");
            }

            previousId = orderId;
            previousAccount = account;
            engine._released[i] = new LiquidationOrder(orderId, engine._addresses[account], market, side, quantity, limit, bankruptcyPrice);
            engine._releasedAccounts[i] = account;
        }

        engine._releasedCount = count;
    }

    /// <summary>Open interest is the sum of the positions, longs and shorts alike, and the money adds up to the net deposits.</summary>
    private void CheckRestoredTotals()
    {
        long[] longs = new long[_marketCount + _seriesCount];
        long[] shorts = new long[_marketCount + _seriesCount];
        Int128 money = Int128.Zero;
        try
        {
            checked
            {
                money = _insuranceFund + _feeAccount;
                for (int id = 0; id < _accountCount; id++)
                {
                    money += EffectiveCollateral(id);
                    for (int m = 0; m < _marketCount; m++)
                    {
                        long lots = _lots[(id * _marketCount) + m];
                        (lots > 0 ? longs : shorts)[m] += Math.Abs(lots);
                    }

                    if (HoldingsOf(id) is { } holdings)
                    {
                        for (int i = 0; i < holdings.Count; i++)
                        {
                            long lots = holdings.Lots[i];
                            (lots > 0 ? longs : shorts)[_marketCount + holdings.Series[i]] += Math.Abs(lots);
                        }
                    }
                }
            }
        }
        catch (OverflowException)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the balances or positions overflow.");
        }

        if (money != _netDeposits)
        {
            ThrowHelper.ThrowInvalidData_EngineSnapshot("the collateral, insurance fund and fee account do not add up to the net deposits.");
        }

        for (int i = 0; i < longs.Length; i++)
        {
            long openInterest = i < _marketCount ? _openInterest[i] : _seriesOpenInterest[i - _marketCount];
            if (longs[i] != openInterest || shorts[i] != openInterest)
            {
                ThrowHelper.ThrowInvalidData_EngineSnapshot("a market's open interest is not the sum of its long and of its short positions.");
            }
        }
    }
}
