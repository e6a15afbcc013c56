using System.Runtime.CompilerServices;
using AuctionEngine.Perpetuals.Internal;
using AuctionEngine.Primitives;

namespace AuctionEngine.Perpetuals;

/// <summary>
/// Cross-margin accounts over a set of perpetual markets that share one collateral token: deposits and withdrawals,
/// order admission against the initial margin, fills, fees, funding, liquidation orders with dYdX v4's fillable and
/// bankruptcy prices, the insurance fund and auto-deleveraging. Pure and deterministic: integers only, no clock, no I/O.
/// </summary>
/// <remarks>
/// <para>
/// The venue drives one engine per collateral token, once per block, in this order:
/// <see cref="UpdateOracle"/> (the block's oracle prices), <see cref="ScanLiquidations"/> (liquidation orders for the
/// <em>next</em> batch), <see cref="Admit"/> (this block's submitted orders), then after each market's batch cleared
/// <see cref="ApplyFills"/> (with the orders the batch held, this block's released liquidation orders included), and
/// <see cref="EndBlock"/> (funding, deleveraging; the scanned liquidation orders become <see cref="ReleasedLiquidations"/>
/// for the next block's batch).
/// </para>
/// <para>
/// Option series (<see cref="ListSeries"/>) are markets of the same engine, indexed after the perpetual markets. Once
/// one is listed, the venue also calls <see cref="UpdateVolatilities(long, long, ReadOnlySpan{double})"/> right after
/// <see cref="UpdateOracle"/> in every block, and <see cref="SettleSeries"/> with the settlement oracle for each series
/// whose expiry block has come, before <see cref="ScanLiquidations"/>. Accounts holding options are margined on a
/// scenario grid (see <see cref="PortfolioMargin"/>).
/// </para>
/// <para>
/// Money is in quote atoms. An account holds a signed collateral balance and, per market, a signed position in lots
/// with its signed cost (quote paid for a long, minus quote received for a short). At oracle prices <c>O</c> ticks,
/// a position of <c>n</c> lots is worth <c>n × O × TickSize</c>. Net collateral (TNC) is the collateral, less funding
/// owed, plus the positions' worth; the maintenance requirement (TMMR) is <c>Σ |n × O × TickSize| × maintenanceMarginPpm / 10^6</c>
/// and the initial requirement likewise. Requirements are compared exactly, never rounded: the engine compares
/// <c>10^6 × TNC</c> with <c>Σ |notional| × ppm</c>. An account is liquidatable when its TMMR is positive and TNC is below it.
/// </para>
/// <para>
/// Conservation is exact: the sum of every account's <see cref="GetCollateral"/>, <see cref="InsuranceFund"/> and
/// <see cref="FeeAccount"/> always equals <see cref="NetDeposits"/>. Not thread-safe.
/// </para>
/// </remarks>
public sealed partial class PerpetualEngine
{
    /// <summary>The bit every liquidation order's id has set; venues keep their own order ids below it.</summary>
    public const ulong LiquidationIdFlag = 1UL << 63;

    private const int Million = PerpetualMarket.OneMillion;
    private const int MaxMarkets = 64;

    private readonly PerpetualMarket[] _markets;
    private readonly int _marketCount;

    // Per market, refreshed by UpdateOracle: the oracle price, one lot's worth (O × TickSize), and one lot's
    // maintenance and initial requirements scaled by 10^6 (O × TickSize × ppm).
    private readonly long[] _oracle;
    private readonly Int128[] _unitValue;
    private readonly Int128[] _maintenancePerLot;
    private readonly Int128[] _initialPerLot;
    private readonly long[] _longScanWorth;
    private readonly long[] _shortScanWorth;
    private readonly long[] _scanMaintenancePerLot;
    private bool _smallScanTerms;
    private bool _hasOracle;

    // Per market: cumulative funding each lot of a long and of a short has paid since the engine began (quote atoms,
    // negative when it received), the open interest (the sum of long lots, equal to the sum of short lots), and the
    // current interval's premiums.
    private readonly Int128[] _longFundingIndex;
    private readonly Int128[] _shortFundingIndex;
    private readonly long[] _openInterest;
    private readonly Int128[] _premiumSum;
    private readonly int[] _clearedBlocks;
    private readonly int[] _blocksInInterval;
    private readonly bool[] _filledThisBlock;

    // Accounts, dense from 0 in the order of their first deposit; positions are [account × markets + market].
    private readonly Dictionary<Address, int> _accountIds = [];
    private Address[] _addresses;
    private Int128[] _collateral;
    private int[] _positionCount;
    private long[] _lots;
    private Int128[] _fundingEntry;
    private Int128[] _cost;
    private int _accountCount;

    private Int128 _insuranceFund;
    private Int128 _feeAccount;
    private Int128 _netDeposits;

    /// <summary>Creates an engine over markets that share one collateral token.</summary>
    /// <param name="markets">The markets, from 1 to 64; an order names its market by index in this list.</param>
    /// <param name="accountCapacity">Accounts to make room for up front; the engine grows beyond it when needed.</param>
    /// <exception cref="ArgumentException"><paramref name="markets"/> is empty, longer than 64 or holds a null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="accountCapacity"/> is negative.</exception>
    public PerpetualEngine(IReadOnlyList<PerpetualMarket> markets, int accountCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(markets);
        if (markets.Count is 0 or > MaxMarkets || markets.Any(m => m is null))
        {
            ThrowHelper.ThrowArgumentException_Markets(nameof(markets));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(accountCapacity);
        _markets = [.. markets];
        _marketCount = _markets.Length;
        int m = _marketCount;
        _oracle = new long[m];
        _unitValue = new Int128[m];
        _maintenancePerLot = new Int128[m];
        _initialPerLot = new Int128[m];
        _longScanWorth = new long[m];
        _shortScanWorth = new long[m];
        _scanMaintenancePerLot = new long[m];
        _longFundingIndex = new Int128[m];
        _shortFundingIndex = new Int128[m];
        _openInterest = new long[m];
        _premiumSum = new Int128[m];
        _clearedBlocks = new int[m];
        _blocksInInterval = new int[m];
        _filledThisBlock = new bool[m];
        _fundingPayments = new FundingPayment[m];
        _admitBuys = new long[m];
        _admitSells = new long[m];
        _admitReduceBuys = new long[m];
        _admitReduceSells = new long[m];
        _admitLoss = new Int128[m];
        _admitFees = new Int128[m];

        int capacity = Math.Max(accountCapacity, 1);
        _addresses = new Address[capacity];
        _collateral = new Int128[capacity];
        _positionCount = new int[capacity];
        _lots = new long[capacity * m];
        _fundingEntry = new Int128[capacity * m];
        _cost = new Int128[capacity * m];
        _isMarkedBankrupt = new bool[capacity];
    }

    /// <summary>How many markets the engine holds.</summary>
    public int MarketCount => _marketCount;

    /// <summary>How many accounts have been opened (by a first deposit).</summary>
    public int AccountCount => _accountCount;

    /// <summary>The insurance fund's balance in quote atoms.</summary>
    public Int128 InsuranceFund => _insuranceFund;

    /// <summary>The trading fees collected, in quote atoms.</summary>
    public Int128 FeeAccount => _feeAccount;

    /// <summary>
    /// Deposits less withdrawals, insurance-fund deposits included: what the collateral, the insurance fund and the
    /// fee account always add up to.
    /// </summary>
    public Int128 NetDeposits => _netDeposits;

    /// <summary>The market at an index.</summary>
    /// <param name="marketIndex">From 0 to <see cref="MarketCount"/> − 1.</param>
    /// <returns>The market.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is out of range.</exception>
    public PerpetualMarket GetMarket(int marketIndex)
    {
        CheckMarket(marketIndex);
        return _markets[marketIndex];
    }

    /// <summary>The oracle price a market was last given, in ticks; 0 before the first <see cref="UpdateOracle"/>.</summary>
    /// <param name="marketIndex">From 0 to <see cref="MarketCount"/> − 1.</param>
    /// <returns>The price.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is out of range.</exception>
    public long GetOraclePrice(int marketIndex)
    {
        CheckMarket(marketIndex);
        return _oracle[marketIndex];
    }

    /// <summary>A market's open interest: the sum of its long positions in lots (equal to the sum of its short positions).</summary>
    /// <param name="marketIndex">From 0 to <see cref="MarketCount"/> − 1.</param>
    /// <returns>The open interest.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is out of range.</exception>
    public long GetOpenInterest(int marketIndex)
    {
        CheckMarket(marketIndex);
        return _openInterest[marketIndex];
    }

    /// <summary>Adds to the insurance fund.</summary>
    /// <param name="amount">Quote atoms.</param>
    public void DepositInsuranceFund(UInt128 amount)
    {
        Int128 value = checked((Int128)amount);
        _insuranceFund = checked(_insuranceFund + value);
        _netDeposits = checked(_netDeposits + value);
    }

    /// <summary>Credits an account's collateral, opening the account on its first deposit.</summary>
    /// <param name="account">The account (the trader address its orders carry).</param>
    /// <param name="amount">Quote atoms.</param>
    /// <exception cref="OverflowException">The balance would leave the 128-bit range.</exception>
    public void Deposit(Address account, UInt128 amount)
    {
        Int128 value = checked((Int128)amount);
        int id = OpenAccount(account);
        _collateral[id] = checked(_collateral[id] + value);
        _netDeposits = checked(_netDeposits + value);
        OnAccountChanged(id);
    }

    /// <summary>
    /// Debits an account's collateral if, afterwards, its net collateral still meets its initial requirement at the
    /// current oracle prices (an account without positions may withdraw down to zero).
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="amount">Quote atoms.</param>
    /// <returns>Whether the withdrawal was made; nothing changes when it was not.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    /// <exception cref="InvalidOperationException">The account holds positions and no oracle prices were given yet.</exception>
    public bool TryWithdraw(Address account, UInt128 amount)
    {
        int id = RequireAccount(account, nameof(account));
        if (amount > (UInt128)Int128.MaxValue)
        {
            return false;
        }

        Int128 value = (Int128)amount;
        if (_positionCount[id] != 0)
        {
            RequireOracle();
        }

        Margin(id, out Int128 netScaled, out _, out Int128 initialScaled);
        // Without positions the requirement is 0: the collateral may go down to exactly zero.
        if (checked(netScaled - (value * Million)) < initialScaled)
        {
            return false;
        }

        _collateral[id] -= value;
        _netDeposits -= value;
        OnAccountChanged(id);
        return true;
    }

    /// <summary>Whether an account exists (has made a deposit).</summary>
    /// <param name="account">The account.</param>
    /// <returns>Whether it exists.</returns>
    public bool HasAccount(Address account) => _accountIds.ContainsKey(account);

    /// <summary>An account's collateral in quote atoms, funding owed or due already counted.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The balance; negative when the account owes.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public Int128 GetCollateral(Address account) => EffectiveCollateral(RequireAccount(account, nameof(account)));

    /// <summary>An account's position in a perpetual market or an option series.</summary>
    /// <param name="account">The account.</param>
    /// <param name="marketIndex">The market: a perpetual market's index, or a series' (see <see cref="ListSeries"/>).</param>
    /// <returns>Lots: positive long, negative short.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is out of range.</exception>
    public long GetPosition(Address account, int marketIndex)
    {
        int id = RequireAccount(account, nameof(account));
        if (!IsSeriesMarket(marketIndex))
        {
            CheckMarket(marketIndex);
        }

        return PositionOf(id, marketIndex);
    }

    /// <summary>
    /// What an account's position in a market cost: quote paid for a long, minus quote received for a short. A partial
    /// close keeps the remaining lots' share, truncated toward zero.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="marketIndex">The market.</param>
    /// <returns>Quote atoms; 0 without a position.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="marketIndex"/> is out of range.</exception>
    public Int128 GetPositionCost(Address account, int marketIndex)
    {
        int id = RequireAccount(account, nameof(account));
        CheckMarket(marketIndex);
        return _cost[(id * _marketCount) + marketIndex];
    }

    /// <summary>An account's net collateral (TNC) at the current oracle prices, in quote atoms.</summary>
    /// <param name="account">The account.</param>
    /// <returns>Collateral, less funding owed, plus the positions' worth.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public Int128 GetNetCollateral(Address account)
    {
        Margin(RequireAccount(account, nameof(account)), out Int128 netScaled, out _, out _);
        return netScaled / Million;
    }

    /// <summary>An account's maintenance requirement (TMMR), scaled by 10^6 so that it is exact.</summary>
    /// <param name="account">The account.</param>
    /// <returns><c>Σ |notional| × maintenanceMarginPpm</c> over its positions at the current oracle prices.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public Int128 GetMaintenanceRequirementScaled(Address account)
    {
        Margin(RequireAccount(account, nameof(account)), out _, out Int128 maintenanceScaled, out _);
        return maintenanceScaled;
    }

    /// <summary>An account's initial requirement, scaled by 10^6 so that it is exact.</summary>
    /// <param name="account">The account.</param>
    /// <returns><c>Σ |notional| × initialMarginPpm</c> over its positions at the current oracle prices.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public Int128 GetInitialRequirementScaled(Address account)
    {
        Margin(RequireAccount(account, nameof(account)), out _, out _, out Int128 initialScaled);
        return initialScaled;
    }

    /// <summary>Whether an account is liquidatable at the current oracle prices: TMMR positive and TNC below it.</summary>
    /// <param name="account">The account.</param>
    /// <returns>Whether it is.</returns>
    /// <exception cref="ArgumentException">The account has never deposited.</exception>
    public bool IsLiquidatable(Address account)
    {
        Margin(RequireAccount(account, nameof(account)), out Int128 netScaled, out Int128 maintenanceScaled, out _);
        return maintenanceScaled > 0 && netScaled < maintenanceScaled;
    }

    /// <summary>How many changed accounts the liquidation index lets wait before merging them in (tests lower it to 0).</summary>
    internal int MinimumDirtyBeforeMerge
    {
        get => _index.MinimumDirtyBeforeMerge;
        set => _index.MinimumDirtyBeforeMerge = value;
    }

    /// <summary>Sets every market's oracle price for this block.</summary>
    /// <param name="oraclePrices">One price per market, in ticks, from 1 to the market's maximum price.</param>
    /// <exception cref="ArgumentException">The span does not hold one price per market.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A price is outside its market's bounds.</exception>
    public void UpdateOracle(ReadOnlySpan<long> oraclePrices)
    {
        if (oraclePrices.Length != _marketCount)
        {
            ThrowHelper.ThrowArgumentException_OraclePrices(oraclePrices.Length, _marketCount, nameof(oraclePrices));
        }

        for (int m = 0; m < _marketCount; m++)
        {
            long price = oraclePrices[m];
            if (price <= 0 || price > _markets[m].Market.MaxPrice)
            {
                ThrowHelper.ThrowArgumentOutOfRange_OraclePrice(m, price, nameof(oraclePrices));
            }
        }

        for (int m = 0; m < _marketCount; m++)
        {
            SetOraclePrice(m, oraclePrices[m]);
        }

        _hasOracle = true;
        RefreshScanTerms();
        RefreshMarks();
    }

    /// <summary>A market's oracle price and the per-lot values derived from it (a restored snapshot derives them again).</summary>
    private void SetOraclePrice(int m, long price)
    {
        PerpetualMarket market = _markets[m];
        Int128 unit = (Int128)((ulong)price * market.TickSize);
        _oracle[m] = price;
        _unitValue[m] = unit;
        _maintenancePerLot[m] = unit * market.MaintenanceMarginPpm;
        _initialPerLot[m] = unit * market.InitialMarginPpm;
    }

    private int OpenAccount(Address account)
    {
        if (_accountIds.TryGetValue(account, out int id))
        {
            return id;
        }

        id = _accountCount;
        if (id == _addresses.Length)
        {
            GrowAccounts();
        }

        _accountIds.Add(account, id);
        _addresses[id] = account;
        _accountCount = id + 1;
        return id;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowAccounts()
    {
        int capacity = _addresses.Length * 2;
        Array.Resize(ref _addresses, capacity);
        Array.Resize(ref _collateral, capacity);
        Array.Resize(ref _positionCount, capacity);
        Array.Resize(ref _isMarkedBankrupt, capacity);
        Array.Resize(ref _lots, capacity * _marketCount);
        Array.Resize(ref _fundingEntry, capacity * _marketCount);
        Array.Resize(ref _cost, capacity * _marketCount);
    }

    private int RequireAccount(Address account, string paramName)
    {
        if (!_accountIds.TryGetValue(account, out int id))
        {
            ThrowHelper.ThrowArgumentException_UnknownAccount(paramName);
        }

        return id;
    }

    private void CheckMarket(int marketIndex)
    {
        if ((uint)marketIndex >= (uint)_marketCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange_MarketIndex(marketIndex, _marketCount, nameof(marketIndex));
        }
    }

    private void RequireOracle()
    {
        if (!_hasOracle)
        {
            ThrowHelper.ThrowInvalidOperation_NoOracle();
        }
    }

    /// <summary>Funding a position owes since it was last settled: positive when it pays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Int128 FundingOwed(int slot, int market)
    {
        long lots = _lots[slot];
        if (lots == 0)
        {
            return Int128.Zero;
        }

        Int128 index = lots > 0 ? _longFundingIndex[market] : _shortFundingIndex[market];
        return checked(lots * (index - _fundingEntry[slot]));
    }

    private Int128 EffectiveCollateral(int id)
    {
        Int128 collateral = _collateral[id];
        if (_positionCount[id] != 0)
        {
            int baseSlot = id * _marketCount;
            for (int m = 0; m < _marketCount; m++)
            {
                collateral = checked(collateral - FundingOwed(baseSlot + m, m));
            }
        }

        return collateral;
    }

    /// <summary>Moves the funding a position owes into its account's collateral.</summary>
    private void SettleFunding(int id, int market)
    {
        int slot = (id * _marketCount) + market;
        long lots = _lots[slot];
        if (lots != 0)
        {
            Int128 index = lots > 0 ? _longFundingIndex[market] : _shortFundingIndex[market];
            _collateral[id] = checked(_collateral[id] - (lots * (index - _fundingEntry[slot])));
            _fundingEntry[slot] = index;
        }
    }

    /// <summary>10^6 × TNC, and the maintenance and initial requirements scaled by 10^6, at the current oracle prices.</summary>
    private void Margin(int id, out Int128 netScaled, out Int128 maintenanceScaled, out Int128 initialScaled)
    {
        if (HoldingsOf(id) is { } holdings)
        {
            PortfolioMarginOf(id, holdings, out netScaled, out maintenanceScaled, out initialScaled);
            return;
        }

        Int128 net = _collateral[id];
        Int128 maintenance = Int128.Zero;
        Int128 initial = Int128.Zero;
        if (_positionCount[id] != 0)
        {
            int baseSlot = id * _marketCount;
            for (int m = 0; m < _marketCount; m++)
            {
                long lots = _lots[baseSlot + m];
                if (lots == 0)
                {
                    continue;
                }

                net = checked(net - FundingOwed(baseSlot + m, m) + (lots * _unitValue[m]));
                long size = Math.Abs(lots);
                maintenance = checked(maintenance + (size * _maintenancePerLot[m]));
                initial = checked(initial + (size * _initialPerLot[m]));
            }
        }

        netScaled = checked(net * Million);
        maintenanceScaled = maintenance;
        initialScaled = initial;
    }

    /// <summary>
    /// Trades <paramref name="delta"/> lots (positive buys) for <paramref name="quote"/> quote atoms (paid on a buy,
    /// received on a sell), settling the position's funding first and keeping its cost and the open interest.
    /// </summary>
    private void Trade(int id, int market, long delta, Int128 quote)
    {
        SettleFunding(id, market);
        int slot = (id * _marketCount) + market;
        long lots = _lots[slot];
        long after = checked(lots + delta);
        _collateral[id] = checked(delta > 0 ? _collateral[id] - quote : _collateral[id] + quote);

        Int128 signedQuote = delta > 0 ? quote : -quote;
        Int128 cost = _cost[slot];
        if (lots == 0 || Math.Sign(lots) == Math.Sign(delta))
        {
            cost = checked(cost + signedQuote);
        }
        else if (Math.Abs(delta) <= Math.Abs(lots))
        {
            // Truncated toward zero: the cost is informative (deleveraging ranks by it), never money.
            cost = cost * Math.Abs(after) / Math.Abs(lots);
        }
        else
        {
            cost = signedQuote * Math.Abs(after) / Math.Abs(delta);
        }

        _cost[slot] = after == 0 ? Int128.Zero : cost;
        _lots[slot] = after;
        _openInterest[market] += Math.Max(after, 0) - Math.Max(lots, 0);
        if (after != 0 && Math.Sign(after) != Math.Sign(lots))
        {
            _fundingEntry[slot] = after > 0 ? _longFundingIndex[market] : _shortFundingIndex[market];
        }

        if ((lots == 0) != (after == 0))
        {
            _positionCount[id] += after == 0 ? -1 : 1;
        }

        OnAccountChanged(id);
    }
}
