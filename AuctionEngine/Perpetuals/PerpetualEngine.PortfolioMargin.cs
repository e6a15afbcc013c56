using AuctionEngine.Options;
using AuctionEngine.Options.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals.Internal;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    private PortfolioMarginParameters _portfolioMargin = new();
    private PortfolioMarginParameters? _gridBuiltFor;
    private double[] _priceFactors = [];
    private double[] _logPriceFactors = [];
    private double[] _volatilityFactors = [];
    private double[] _grid = [];

    // Per scenario (i, j) at i × m + j, padded to whole vectors with the unmoved scenario: the factors, and room for
    // one series' inputs and prices while its risk array is built.
    private double[] _cellPriceFactors = [];
    private double[] _cellLogPriceFactors = [];
    private double[] _cellVolatilityFactors = [];
    private double[] _cellForwards = [];
    private double[] _cellLogMoneyness = [];
    private double[] _cellTotalVolatilities = [];
    private double[] _cellPrices = [];

    // The scenarios that move neither price nor volatility (the middle row when the volatility move is 0): there a
    // series is worth its mark exactly, which only the scalar kernel reproduces, so a long convex portfolio whose worst
    // case is no move needs 0, not the one atom the grid kernel's last ulp could round up to.
    private int[] _unmovedCells = [];
    private GridInstrument[] _instruments = [];

    // Per underlying, Σ short lots × the short option minimum per lot of the account being margined (quote atoms).
    private Int128[] _shortMinimums = [];

    // SPAN's risk arrays: per series, one lot's change in value in every scenario (quote atoms), the same for every
    // account; rebuilt lazily, once per series, after the oracle, the volatilities or the grid changed.
    private double[] _riskArrays = [];
    private int[] _riskEpochs = [];

    // Per series, one short lot's short option minimum (quote atoms), rebuilt with its risk array: it moves with the
    // oracle and the parameters only, and the warm path then costs a multiply-add per short series, not two divisions.
    private Int128[] _shortMinimumPerLot = [];
    private int _riskEpoch = 1;

    // The series orders of the account being admitted, in series order (admission takes them by market index).
    private AdmitOption[] _admitOptions = [];
    private int _admitOptionCount;
    private Int128 _admitOptionLoss;
    private Int128 _admitOptionFees;
    private bool _admitHasOrdinary;

    /// <summary>
    /// The scenario grid that margins accounts holding options, and how their option positions are liquidated.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An account without option positions keeps the linear perpetual requirements. An account with option positions
    /// is margined by its portfolio: for every underlying it holds options on, the worst loss over the grid of its
    /// perpetual position and its options on that underlying together, each option revalued with Black-76 (forward =
    /// the moved oracle price, no discounting, the series' volatility moved, the years left); the losses of the
    /// underlyings are added (no offset between underlyings). Its perpetual positions on other underlyings keep their
    /// linear requirements. Per underlying, the risk charge is the larger of that grid loss and the short option minimum,
    /// Σ short lots × <c>⌈ShortOptionMinimumPpm × contract size × O × underlying tick size / 10^6⌉</c> (see
    /// <see cref="PortfolioMarginParameters.ShortOptionMinimumPpm"/>), compared exactly. Net collateral counts each
    /// option position at its mark (<see cref="GetSeriesMark"/>), the sum rounded down; the maintenance requirement is
    /// the grid losses that are charged, summed and rounded up to a quote atom, plus the minimums that are charged
    /// (exact integers); the initial requirement is <c>⌈grid × InitialMultiplierPpm / 10^6⌉ + ⌈minimums ×
    /// InitialMultiplierPpm / 10^6⌉</c>. Floating point stays inside the valuation.
    /// </para>
    /// <para>
    /// Admission takes the worst case of the account's orders in the batch per scenario: each instrument's position
    /// anywhere between its position less its sells and its position plus its buys, which bounds every subset of its
    /// orders filling; the short option minimum is charged on the most short lots its orders can reach, each series'
    /// position less its sells. When the orders can leave the account without options (none of its series orders filled, or
    /// every option position closed), the worst case must also meet the linear requirement of all its perpetual
    /// positions, which it would then be margined by. Closing a position can remove a hedge, so a reduce-only order of such an account is admitted
    /// only if the account still meets its initial requirement in that worst case, or if the order leaves the worst
    /// case no further below the requirement than it was: an account in trouble can always close risk, never add it. Liquidation closes option positions with orders at the mark premium moved against the account
    /// (see <see cref="PortfolioMarginParameters.LiquidationPenaltyPpm"/>) and perpetual positions by dYdX's rule.
    /// Accounts with option positions are not deleveraged: their positions close in the batch.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">The value set is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter of the value set is outside its range.</exception>
    public PortfolioMarginParameters PortfolioMargin
    {
        get => _portfolioMargin;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _portfolioMargin = value;
            _riskEpoch++;
        }
    }

    /// <summary>Builds the grid's factors when the parameters changed (allocates only then).</summary>
    private void EnsureGrid()
    {
        PortfolioMarginParameters parameters = _portfolioMargin;
        if (ReferenceEquals(parameters, _gridBuiltFor))
        {
            if (_riskEpochs.Length < _series.Length)
            {
                GrowRiskArrays();
            }

            return;
        }

        int n = parameters.PriceSteps;
        int m = parameters.VolatilitySteps;
        _priceFactors = new double[n];
        _logPriceFactors = new double[n];
        _volatilityFactors = new double[m];
        double x = parameters.PriceMovePpm / (double)Million;
        double y = parameters.VolatilityMovePpm / (double)Million;
        for (int i = 0; i < n; i++)
        {
            _priceFactors[i] = n == 1 ? 1.0 : 1.0 + (x * ((2.0 * i / (n - 1)) - 1.0));
            _logPriceFactors[i] = Math.Log(_priceFactors[i]);
        }

        for (int j = 0; j < m; j++)
        {
            _volatilityFactors[j] = m == 1 ? 1.0 : 1.0 + (y * ((2.0 * j / (m - 1)) - 1.0));
        }

        int cells = (n * m + BlackGridKernel.Lanes - 1) / BlackGridKernel.Lanes * BlackGridKernel.Lanes;
        _cellPriceFactors = new double[cells];
        _cellLogPriceFactors = new double[cells];
        _cellVolatilityFactors = new double[cells];
        _cellForwards = new double[cells];
        _cellLogMoneyness = new double[cells];
        _cellTotalVolatilities = new double[cells];
        _cellPrices = new double[cells];
        _cellPriceFactors.AsSpan().Fill(1.0);
        _cellVolatilityFactors.AsSpan().Fill(1.0);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                _cellPriceFactors[(i * m) + j] = _priceFactors[i];
                _cellLogPriceFactors[(i * m) + j] = _logPriceFactors[i];
                _cellVolatilityFactors[(i * m) + j] = _volatilityFactors[j];
            }
        }

        _unmovedCells = [.. Enumerable.Range(0, n * m).Where(g => _cellPriceFactors[g] == 1.0 && _cellVolatilityFactors[g] == 1.0)];
        _grid = new double[_marketCount * n * m];
        _shortMinimums = new Int128[_marketCount];
        _gridBuiltFor = parameters;
        GrowRiskArrays();
    }

    /// <summary>Room for every listed series' risk array (allocates only when series were listed or the grid changed).</summary>
    private void GrowRiskArrays()
    {
        _riskArrays = new double[_series.Length * _priceFactors.Length * _volatilityFactors.Length];
        _riskEpochs = new int[_series.Length];
        _shortMinimumPerLot = new Int128[_series.Length];
        _riskEpoch++;
    }

    /// <summary>
    /// A series' risk array, built if the oracle, the volatilities or the grid changed since: for scenario
    /// (i, j) at <c>i × m + j</c>, one lot's Black-76 value at the moved price and volatility less its mark.
    /// </summary>
    private ReadOnlySpan<double> RiskArray(int s)
    {
        int scenarios = _priceFactors.Length * _volatilityFactors.Length;
        Span<double> risk = _riskArrays.AsSpan(s * scenarios, scenarios);
        if (_riskEpochs[s] == _riskEpoch)
        {
            return risk;
        }

        // Every scenario of the series at once (see BlackGridKernel): the inputs are formed exactly as the scalar
        // kernel's callers form them, F = O × f, ln(F/K) = ln f + ln(O/K), s = σ√T × g.
        OptionSeries series = _series[s];
        double oracle = _oracle[series.UnderlyingMarketIndex];
        double strike = series.Strike;
        double logOracleToStrike = Math.Log(oracle / strike);
        double totalVolatility = _seriesVolatility[s] * Math.Sqrt(_seriesYears[s]);
        ReadOnlySpan<double> priceFactors = _cellPriceFactors;
        ReadOnlySpan<double> logPriceFactors = _cellLogPriceFactors;
        ReadOnlySpan<double> volatilityFactors = _cellVolatilityFactors;
        Span<double> forwards = _cellForwards.AsSpan(0, priceFactors.Length);
        Span<double> logMoneyness = _cellLogMoneyness.AsSpan(0, priceFactors.Length);
        Span<double> totalVolatilities = _cellTotalVolatilities.AsSpan(0, priceFactors.Length);
        for (int g = 0; g < forwards.Length; g++)
        {
            forwards[g] = oracle * priceFactors[g];
            logMoneyness[g] = logPriceFactors[g] + logOracleToStrike;
            totalVolatilities[g] = totalVolatility * volatilityFactors[g];
        }

        Span<double> prices = _cellPrices.AsSpan(0, forwards.Length);
        bool isCall = series.Type == OptionType.Call;
        BlackGridKernel.Price(isCall, strike, forwards, logMoneyness, totalVolatilities, prices);
        foreach (int g in _unmovedCells)
        {
            prices[g] = BlackKernel.Price(isCall, forwards[g], strike, logMoneyness[g], totalVolatilities[g]);
        }

        double scale = _seriesScale[s];
        double mark = _seriesMark[s];
        for (int g = 0; g < risk.Length; g++)
        {
            risk[g] = (prices[g] * scale) - mark;
        }

        int minimumPpm = _portfolioMargin.ShortOptionMinimumPpm;
        _shortMinimumPerLot[s] = minimumPpm == 0 ? Int128.Zero : ShortOptionMinimumPerLot(s, minimumPpm);
        _riskEpochs[s] = _riskEpoch;
        return risk;
    }

    /// <summary>
    /// 10^6 × TNC and the requirements scaled by 10^6 of an account with option positions (see <see cref="PortfolioMargin"/>).
    /// </summary>
    private void PortfolioMarginOf(int id, OptionHoldings holdings, out Int128 netScaled, out Int128 maintenanceScaled, out Int128 initialScaled)
    {
        double loss = GridLoss(id, holdings, withOrders: false, out ulong mask, out Int128 markValue, out _, out Int128 shortMinimum);
        Int128 net = checked(_collateral[id] + markValue);
        Int128 maintenance = Int128.Zero;
        Int128 initial = Int128.Zero;
        int baseSlot = id * _marketCount;
        for (int m = 0; m < _marketCount; m++)
        {
            long lots = _lots[baseSlot + m];
            if (lots == 0)
            {
                continue;
            }

            net = checked(net - FundingOwed(baseSlot + m, m) + (lots * _unitValue[m]));
            if (((mask >> m) & 1) == 0)
            {
                long size = Math.Abs(lots);
                maintenance = checked(maintenance + (size * _maintenancePerLot[m]));
                initial = checked(initial + (size * _initialPerLot[m]));
            }
        }

        netScaled = checked(net * Million);
        maintenanceScaled = checked(maintenance + ((RoundUp(loss) + shortMinimum) * Million));
        initialScaled = checked(initial + (InitialCharge(loss, shortMinimum) * Million));
    }

    /// <summary>Whether an account with option positions or orders meets its initial requirement in the worst case of its orders so far.</summary>
    private bool PortfolioWorstCaseMeetsInitial(int account) => PortfolioExcess(account) >= 0;

    /// <summary>10^6 × (worst-case net collateral) − the initial requirement scaled by 10^6, with the orders so far.</summary>
    private Int128 PortfolioExcess(int account)
    {
        double loss = GridLoss(account, HoldingsOf(account), withOrders: true, out ulong mask, out Int128 markValue, out bool mayEndWithoutOptions, out Int128 shortMinimum);
        int baseSlot = account * _marketCount;
        Int128 worst = checked(_collateral[account] + markValue + _admitOptionLoss - _admitOptionFees);
        Int128 initial = Int128.Zero;
        Int128 linearInitial = Int128.Zero;
        for (int m = 0; m < _marketCount; m++)
        {
            long lots = _lots[baseSlot + m];
            worst = checked(worst - FundingOwed(baseSlot + m, m) + (lots * _unitValue[m]) + _admitLoss[m] - _admitFees[m]);
            long extreme = Math.Max(Math.Abs(lots), Math.Max(Math.Abs(lots + _admitBuys[m]), Math.Abs(lots - _admitSells[m])));
            Int128 linear = checked(extreme * _initialPerLot[m]);
            linearInitial = checked(linearInitial + linear);
            if (((mask >> m) & 1) == 0)
            {
                initial = checked(initial + linear);
            }
        }

        initial = checked(initial + (InitialCharge(loss, shortMinimum) * Million));

        // If the orders can leave the account without options (none filled, or every option closed), it is then
        // margined linearly: the worst case must meet that requirement too.
        if (mayEndWithoutOptions)
        {
            initial = Int128.Max(initial, linearInitial);
        }

        return checked((worst * Million) - initial);
    }

    /// <summary>A non-negative loss in quote atoms, rounded up to a whole atom (against the account).</summary>
    private static Int128 RoundUp(double loss) => loss > 0 ? (Int128)Math.Ceiling(loss) : Int128.Zero;

    /// <summary>
    /// The initial charge of the grid losses and short option minimums charged: each × InitialMultiplierPpm / 10^6,
    /// rounded up on its own (at most one atom above rounding their sum, against the account; exactly the grid's
    /// charge alone when no minimum is charged).
    /// </summary>
    private Int128 InitialCharge(double loss, Int128 shortMinimum)
    {
        int multiplier = _portfolioMargin.InitialMultiplierPpm;
        Int128 charge = RoundUp(loss * multiplier / Million);
        return shortMinimum == 0 ? charge : checked(charge + ExactMath.CeilDiv(checked(shortMinimum * multiplier), Million));
    }

    /// <summary>
    /// One short lot's short option minimum: <c>⌈ShortOptionMinimumPpm × contract size × O × underlying tick / 10^6⌉</c>
    /// quote atoms. At most 2^96 × 10^6 before the division (ListSeries bounds the payoff), so Int128 holds it.
    /// </summary>
    private Int128 ShortOptionMinimumPerLot(int s, int ppm)
    {
        OptionSeries series = _series[s];
        int underlying = series.UnderlyingMarketIndex;
        Int128 notional = checked((Int128)_oracle[underlying] * series.ContractSize * (Int128)_markets[underlying].TickSize);
        Int128 product = checked(notional * ppm);

        // Every series' minimum is rebuilt after each oracle update: a 64-bit division by the constant is a multiply.
        if (product <= ulong.MaxValue)
        {
            ulong atoms = (ulong)product;
            ulong quotient = atoms / Million;
            return quotient + (atoms - (quotient * Million) != 0 ? 1UL : 0UL);
        }

        return ExactMath.CeilDiv(product, Million);
    }

    /// <summary>
    /// The risk charges of the underlyings in <paramref name="mask"/>: per underlying the worst loss over the grid or,
    /// where it is not above it, the short option minimum (Σ short lots × the minimum per lot, the short lots with
    /// orders being each series' position less its sells). Returns the grid losses charged, in quote atoms (floating
    /// point, summed); <paramref name="shortMinimum"/> is the sum of the minimums charged (exact). Also the option
    /// positions' value at their marks, rounded down.
    /// </summary>
    private double GridLoss(int id, OptionHoldings? holdings, bool withOrders, out ulong mask, out Int128 markValue, out bool mayEndWithoutOptions, out Int128 shortMinimum)
    {
        EnsureGrid();
        int instrumentCount = CollectInstruments(holdings, withOrders, out mask, out double marks, out mayEndWithoutOptions);
        markValue = (Int128)Math.Floor(marks);
        int priceSteps = _priceFactors.Length;
        int volatilitySteps = _volatilityFactors.Length;
        int scenarios = priceSteps * volatilitySteps;
        int baseSlot = id * _marketCount;

        for (ulong rest = mask; rest != 0; rest &= rest - 1)
        {
            int u = System.Numerics.BitOperations.TrailingZeroCount(rest);
            _shortMinimums[u] = Int128.Zero;
            Span<double> row = _grid.AsSpan(u * scenarios, scenarios);
            long lots = _lots[baseSlot + u];
            long low = withOrders ? lots - _admitSells[u] : lots;
            long high = withOrders ? lots + _admitBuys[u] : lots;
            double lotValue = (double)_unitValue[u];
            for (int i = 0; i < priceSteps; i++)
            {
                // One lot of the perpetual gains O × (f − 1) × tick; the position loses the worst of its range's ends.
                double gain = lotValue * (_priceFactors[i] - 1.0);
                double loss = Math.Max(-low * gain, -high * gain);
                row.Slice(i * volatilitySteps, volatilitySteps).Fill(loss);
            }
        }

        foreach (GridInstrument instrument in _instruments.AsSpan(0, instrumentCount))
        {
            ReadOnlySpan<double> risk = RiskArray(instrument.Series);
            if (instrument.Low < 0)
            {
                ref Int128 minimum = ref _shortMinimums[_seriesUnderlying[instrument.Series]];
                minimum = checked(minimum + (-instrument.Low * _shortMinimumPerLot[instrument.Series]));
            }

            Span<double> row = _grid.AsSpan(_seriesUnderlying[instrument.Series] * scenarios, scenarios);
            double low = instrument.Low;
            double high = instrument.High;
            if (low == high)
            {
                // A position without orders: its loss is linear in the scenario's change.
                for (int g = 0; g < risk.Length; g++)
                {
                    row[g] -= low * risk[g];
                }
            }
            else
            {
                for (int g = 0; g < risk.Length; g++)
                {
                    row[g] += Math.Max(-low * risk[g], -high * risk[g]);
                }
            }
        }

        double total = 0;
        shortMinimum = Int128.Zero;
        for (ulong rest = mask; rest != 0; rest &= rest - 1)
        {
            int u = System.Numerics.BitOperations.TrailingZeroCount(rest);
            double worst = 0;
            foreach (double loss in _grid.AsSpan(u * scenarios, scenarios))
            {
                worst = Math.Max(worst, loss);
            }

            // The minimum is an integer, so it is at least the loss exactly when it is at least the loss rounded up.
            // A grid loss of 0 against a minimum of 0 adds nothing either way: without minimums, the total is the old one.
            Int128 minimum = _shortMinimums[u];
            if (minimum != 0 && minimum >= RoundUp(worst))
            {
                shortMinimum = checked(shortMinimum + minimum);
            }
            else
            {
                total += worst;
            }
        }

        return total;
    }

    /// <summary>
    /// Fills <see cref="_instruments"/> with the account's option positions and, with orders, the range each series'
    /// position may end in (merged, by series); returns how many, their underlyings' mask, Σ lots × mark, and whether
    /// every range holds 0 (the account may end without options).
    /// </summary>
    private int CollectInstruments(OptionHoldings? holdings, bool withOrders, out ulong mask, out double marks, out bool mayEndWithoutOptions)
    {
        ReadOnlySpan<int> series = holdings is null ? default : holdings.Series;
        ReadOnlySpan<long> lots = holdings is null ? default : holdings.Lots;
        ReadOnlySpan<AdmitOption> orders = withOrders ? _admitOptions.AsSpan(0, _admitOptionCount) : default;
        int needed = series.Length + orders.Length;
        if (_instruments.Length < needed)
        {
            _instruments = new GridInstrument[Math.Max(needed, _instruments.Length * 2)];
        }

        mask = 0;
        marks = 0;
        mayEndWithoutOptions = true;
        int count = 0;
        int a = 0;
        int b = 0;
        while (a < series.Length || b < orders.Length)
        {
            int s;
            long position = 0;
            long buys = 0;
            long sells = 0;
            if (b == orders.Length || (a < series.Length && series[a] < orders[b].Series))
            {
                s = series[a];
                position = lots[a++];
            }
            else if (a == series.Length || orders[b].Series < series[a])
            {
                s = orders[b].Series;
                (buys, sells) = (orders[b].Buys, orders[b].Sells);
                b++;
            }
            else
            {
                s = series[a];
                position = lots[a++];
                (buys, sells) = (orders[b].Buys, orders[b].Sells);
                b++;
            }

            marks += position * _seriesMark[s];
            mask |= 1UL << _seriesUnderlying[s];
            mayEndWithoutOptions &= position - sells <= 0 && position + buys >= 0;
            _instruments[count++] = new GridInstrument(s, position - sells, position + buys);
        }

        return count;
    }

    /// <summary>Admits one series order of the account being admitted (see <see cref="Admit"/>).</summary>
    private OrderAdmission AdmitSeriesOrder(int account, in PerpetualOrder order)
    {
        Order o = order.Order;
        int s = order.MarketIndex - _marketCount;
        OptionSeries series = _series[s];
        bool buy = o.Side == Side.Buy;
        long lots = SeriesLots(account, s);
        ref AdmitOption entry = ref AdmitEntry(s);
        long quantity = o.Quantity;
        AdmissionStatus status = AdmissionStatus.Admitted;
        if (order.ReduceOnly)
        {
            long reducible = buy ? Math.Max(-lots, 0) : Math.Max(lots, 0);
            reducible -= ReleasedLiquidationQuantity(account, order.MarketIndex, o.Side) + (buy ? entry.ReduceBuys : entry.ReduceSells);
            if (reducible <= 0)
            {
                return new OrderAdmission(AdmissionStatus.NothingToReduce, 0);
            }

            if (quantity > reducible)
            {
                quantity = reducible;
                status = AdmissionStatus.Reduced;
            }
        }
        else if (quantity > 2 * series.MaxPosition)
        {
            return new OrderAdmission(AdmissionStatus.PositionLimit, 0);
        }

        long price = o.IsMarket ? (buy ? series.Market.MaxPrice : 0) : o.LimitPrice;
        Int128 atLimit = (Int128)((ulong)quantity * (ulong)price * series.Market.TickSize);
        double atMark = quantity * _seriesMark[s];

        // Paying above the mark or receiving below it is a loss the worst case counts, the mark rounded against the account.
        Int128 loss = buy
            ? Int128.Min(Int128.Zero, (Int128)Math.Floor(atMark) - atLimit)
            : Int128.Min(Int128.Zero, atLimit - (Int128)Math.Ceiling(atMark));
        Int128 fee = ExactMath.CeilDiv(atLimit * series.FeePpm, Million);
        (buy ? ref entry.Buys : ref entry.Sells) += quantity;
        _admitOptionLoss += loss;
        _admitOptionFees += fee;
        if (order.ReduceOnly)
        {
            // Under portfolio margin, closing a position can remove a hedge (see PortfolioMargin).
            if (PortfolioExcess(account) < 0 && (_admitHasOrdinary || !ReduceOnlyDoesNotWorsen(account, order.MarketIndex, buy ? quantity : -quantity, loss - fee)))
            {
                (buy ? ref entry.Buys : ref entry.Sells) -= quantity;
                _admitOptionLoss -= loss;
                _admitOptionFees -= fee;
                return new OrderAdmission(AdmissionStatus.InsufficientMargin, 0);
            }

            (buy ? ref entry.ReduceBuys : ref entry.ReduceSells) += quantity;
            return new OrderAdmission(status, quantity);
        }

        long extreme = Math.Max(Math.Abs(lots + entry.Buys), Math.Abs(lots - entry.Sells));
        status = extreme > series.MaxPosition ? AdmissionStatus.PositionLimit
            : PortfolioWorstCaseMeetsInitial(account) ? AdmissionStatus.Admitted : AdmissionStatus.InsufficientMargin;
        if (status != AdmissionStatus.Admitted)
        {
            (buy ? ref entry.Buys : ref entry.Sells) -= quantity;
            _admitOptionLoss -= loss;
            _admitOptionFees -= fee;
            quantity = 0;
        }
        else
        {
            _admitHasOrdinary = true;
        }

        return new OrderAdmission(status, quantity);
    }

    /// <summary>The admission entry of a series for the account being admitted: its orders come in series order.</summary>
    private ref AdmitOption AdmitEntry(int series)
    {
        if (_admitOptionCount > 0 && _admitOptions[_admitOptionCount - 1].Series == series)
        {
            return ref _admitOptions[_admitOptionCount - 1];
        }

        if (_admitOptionCount == _admitOptions.Length)
        {
            Array.Resize(ref _admitOptions, Math.Max(8, _admitOptions.Length * 2));
        }

        _admitOptions[_admitOptionCount] = new AdmitOption { Series = series };
        return ref _admitOptions[_admitOptionCount++];
    }

    /// <summary>
    /// Whether the account, with only this reduce-only order filled whole at its limit (<paramref name="change"/>: its
    /// loss against the mark or oracle less its fee, ≤ 0), would be no further below its initial requirement than it
    /// is now. The excess is concave in the part filled (per underlying, the grid loss is a maximum of linear functions
    /// and the short option minimum linear in the short lots along a reduction, so their larger one is convex; the
    /// premium linear), so a partial fill is no worse than the better of the two.
    /// </summary>
    private bool ReduceOnlyDoesNotWorsen(int account, int marketIndex, long delta, Int128 change)
    {
        Margin(account, out Int128 netNow, out _, out Int128 initialNow);
        Int128 initialAfter;

        // The requirement is evaluated on the position as it would stand, which is then put back exactly: nothing else
        // reads it meanwhile, and a reduce-only order never opens a series the account does not hold, so the holdings
        // need no new room. Net collateral moves by the position's worth less what it costs, at least `change`.
        if (marketIndex < _marketCount)
        {
            int slot = (account * _marketCount) + marketIndex;
            _lots[slot] += delta;
            Margin(account, out _, out _, out initialAfter);
            _lots[slot] -= delta;
        }
        else
        {
            int s = marketIndex - _marketCount;
            OptionHoldings holdings = _holdings[account]!;
            long lots = holdings.LotsOf(s);
            ReadOnlySpan<int> underlyings = _seriesUnderlying.AsSpan(0, _seriesCount);
            holdings.Set(s, lots + delta, underlyings);
            Margin(account, out _, out _, out initialAfter);
            holdings.Set(s, lots, underlyings);
        }

        return checked(netNow + (change * Million) - initialAfter) >= netNow - initialNow;
    }

    private void ResetAdmitOptions()
    {
        _admitHasOrdinary = false;
        _admitOptionCount = 0;
        _admitOptionLoss = Int128.Zero;
        _admitOptionFees = Int128.Zero;
    }

    private readonly record struct GridInstrument(int Series, long Low, long High);

    private struct AdmitOption
    {
        public int Series;
        public long Buys;
        public long Sells;
        public long ReduceBuys;
        public long ReduceSells;
    }
}
