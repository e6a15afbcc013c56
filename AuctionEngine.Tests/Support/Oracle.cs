using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;

namespace AuctionEngine.Tests.Support;

/// <summary>The long side's level where volume ran out, which was shared pro rata.</summary>
/// <param name="Available">Lots the level could trade.</param>
/// <param name="Total">Lots the level's orders asked for (more than <paramref name="Available"/>).</param>
/// <param name="OrderIndices">Indices of the level's orders in the book that was allocated.</param>
internal sealed record RationedLevel(BigInteger Available, BigInteger Total, IReadOnlyList<int> OrderIndices);

/// <summary>What the rules say a batch should clear to.</summary>
internal sealed record OracleOutcome(ClearingResult Result, Fill[] Fills);

/// <summary>
/// The clearing rules written out literally, with no thought for speed: every quantity is a <see cref="BigInteger"/>,
/// D and S are recomputed by a scan over the orders at every price looked at, and each rule step is its own filter.
/// The engine is checked against it.
/// </summary>
internal static class Oracle
{
    /// <summary>Candidate ranges up to this many ticks wide are evaluated tick by tick.</summary>
    private const long TickByTickLimit = 4096;

    /// <summary>Clears a batch the way the rules describe.</summary>
    /// <param name="capacity">The engine capacity to model: beyond it, the valid orders with unique ids ranked lowest are cut.</param>
    public static OracleOutcome Clear(Market market, IReadOnlyList<Order> orders, ClearingOptions options, int capacity = int.MaxValue)
    {
        RejectReason[] rejection = Reject(market, orders, capacity);
        Order[] book = [.. orders.Where((_, i) => rejection[i] == RejectReason.None)];
        (ClearingStatus status, long price) = FindPrice(book, options.Rule, options.ReferencePrice);
        return Outcome(market, rejection, book, status, price, options.Rule);
    }

    /// <summary>
    /// Clears a batch at a price the caller chose, as <see cref="ClearingEngine.ClearAtPrice"/> should: the same
    /// rejections as <see cref="Clear"/>, then the allocation at <paramref name="price"/> if V(price) is positive, and
    /// otherwise nothing. The result's rule is the default, which no rule chose.
    /// </summary>
    public static OracleOutcome ClearAt(Market market, IReadOnlyList<Order> orders, long price, int capacity = int.MaxValue)
    {
        RejectReason[] rejection = Reject(market, orders, capacity);
        Order[] book = [.. orders.Where((_, i) => rejection[i] == RejectReason.None)];
        ClearingStatus status = Volume(book, price).IsZero ? ClearingStatus.NothingExecutable : ClearingStatus.Cleared;
        return Outcome(market, rejection, book, status, price, default);
    }

    /// <summary>The result and fills of a batch whose accepted orders (<paramref name="book"/>, in input order) clear at <paramref name="price"/>, or not at all.</summary>
    private static OracleOutcome Outcome(Market market, RejectReason[] rejection, Order[] book, ClearingStatus status, long price, PriceRule rule)
    {
        var result = new ClearingResult
        {
            Status = status,
            Rule = rule,
            BestBid = book.Where(o => o.Side == Side.Buy && !o.IsMarket).Select(o => (long?)o.LimitPrice).Max(),
            BestAsk = book.Where(o => o.Side == Side.Sell && !o.IsMarket).Select(o => (long?)o.LimitPrice).Min(),
            AcceptedCount = book.Length,
            RejectedCount = rejection.Length - book.Length,
        };

        Fill[] fills = [.. rejection.Select(reason => new Fill(0, UInt128.Zero, reason))];
        if (status != ClearingStatus.Cleared)
        {
            return new OracleOutcome(result, fills);
        }

        Allocation allocation = Allocate(market, book, price);
        int[] accepted = [.. Enumerable.Range(0, rejection.Length).Where(i => rejection[i] == RejectReason.None)];
        for (int k = 0; k < accepted.Length; k++)
        {
            fills[accepted[k]] = allocation.Fills[k];
        }

        result = result with
        {
            Price = price,
            Volume = (UInt128)BigInteger.Min(allocation.Demand, allocation.Supply),
            Surplus = (UInt128)BigInteger.Abs(allocation.Demand - allocation.Supply),
            SurplusSide = allocation.Demand > allocation.Supply ? SurplusSide.Bid : allocation.Demand < allocation.Supply ? SurplusSide.Ask : SurplusSide.None,
            FilledCount = allocation.Fills.Count(f => f.FilledQuantity > 0),
            RationedCount = allocation.Rationed?.OrderIndices.Count ?? 0,
        };
        return new OracleOutcome(result, fills);
    }

    /// <summary>Whether the order accepts <paramref name="price"/>: a market order always, a buy up to its limit, a sell down to it.</summary>
    public static bool CanTradeAt(Order order, long price) =>
        order.IsMarket || (order.Side == Side.Buy ? order.LimitPrice >= price : order.LimitPrice <= price);

    /// <summary>D(p): market buys plus limit buys with limit ≥ p.</summary>
    public static BigInteger Demand(IEnumerable<Order> book, long price) =>
        Sum(book.Where(o => o.Side == Side.Buy && CanTradeAt(o, price)));

    /// <summary>S(p): market sells plus limit sells with limit ≤ p.</summary>
    public static BigInteger Supply(IEnumerable<Order> book, long price) =>
        Sum(book.Where(o => o.Side == Side.Sell && CanTradeAt(o, price)));

    /// <summary>V(p) = min(D, S).</summary>
    public static BigInteger Volume(IReadOnlyList<Order> book, long price) => BigInteger.Min(Demand(book, price), Supply(book, price));

    /// <summary>
    /// At least one price in every stretch over which D and S are constant. D and S change only at limit prices, so
    /// the limit prices and their neighbours meet every stretch; price 1 stands for a book without limits, and the
    /// reference price is added because the engine may clear there.
    /// </summary>
    public static IReadOnlyList<long> OnePricePerStretch(IReadOnlyList<Order> book, long? referencePrice)
    {
        var prices = new SortedSet<long> { 1 };
        foreach (Order order in book.Where(o => !o.IsMarket))
        {
            prices.UnionWith([order.LimitPrice - 1, order.LimitPrice, order.LimitPrice + 1]);
        }

        if (referencePrice is long r)
        {
            prices.Add(r);
        }

        return [.. prices.Where(p => p >= 1)]; // A neighbour past either end of the long range wraps, and is dropped here.
    }

    /// <summary>
    /// Validation, then duplicate ids among the valid orders, then the capacity cut among the valid orders with unique
    /// ids: the lowest (priority key, id) are kept.
    /// </summary>
    private static RejectReason[] Reject(Market market, IReadOnlyList<Order> orders, int capacity)
    {
        RejectReason[] rejection = [.. orders.Select(order => Validate(order, market))];

        // Every copy of an id that more than one valid order carries; an invalid order is out of the batch already.
        IEnumerable<int> repeated = Enumerable.Range(0, orders.Count)
            .Where(i => rejection[i] == RejectReason.None)
            .GroupBy(i => orders[i].Id)
            .Where(copies => copies.Count() > 1)
            .SelectMany(copies => copies);
        foreach (int index in repeated.ToList())
        {
            rejection[index] = RejectReason.DuplicateId;
        }

        IEnumerable<int> cut = Enumerable.Range(0, orders.Count)
            .Where(i => rejection[i] == RejectReason.None)
            .OrderBy(i => orders[i].PriorityKey)
            .ThenBy(i => orders[i].Id)
            .Skip(capacity);
        foreach (int index in cut.ToList())
        {
            rejection[index] = RejectReason.OverCapacity;
        }

        return rejection;
    }

    private static RejectReason Validate(Order order, Market market) => order switch
    {
        { Side: not (Side.Buy or Side.Sell) } => RejectReason.InvalidSide,
        { Type: not (OrderType.Limit or OrderType.Market) } => RejectReason.InvalidOrderType,
        { Quantity: <= 0 } => RejectReason.QuantityNotPositive,
        _ when order.Quantity > market.MaxOrderQuantity => RejectReason.QuantityTooLarge,
        { Type: OrderType.Limit, LimitPrice: <= 0 } => RejectReason.PriceNotPositive,
        { Type: OrderType.Limit } when order.LimitPrice > market.MaxPrice => RejectReason.PriceTooHigh,
        _ => RejectReason.None,
    };

    private static (ClearingStatus Status, long Price) FindPrice(IReadOnlyList<Order> book, PriceRule rule, long? referencePrice)
    {
        long[] limits = [.. book.Where(o => !o.IsMarket).Select(o => o.LimitPrice).Distinct().Order()];
        if (limits.Length == 0)
        {
            // Market orders alone trade at the reference price, if there is something on both sides.
            bool bothSides = book.Any(o => o.Side == Side.Buy) && book.Any(o => o.Side == Side.Sell);
            return !bothSides ? (ClearingStatus.NothingExecutable, 0)
                : referencePrice is long r ? (ClearingStatus.Cleared, r)
                : (ClearingStatus.ReferencePriceRequired, 0);
        }

        Candidate[] candidates = [.. CandidatePrices(limits, rule, referencePrice).Select(p => new Candidate(p, Demand(book, p), Supply(book, p)))];

        // Highest V.
        BigInteger maxVolume = candidates.Max(c => c.Volume);
        if (maxVolume.IsZero)
        {
            return (ClearingStatus.NothingExecutable, 0);
        }

        Candidate[] remaining = [.. candidates.Where(c => c.Volume == maxVolume)];

        // Lowest |I|.
        BigInteger minSurplus = remaining.Min(c => BigInteger.Abs(c.Imbalance));
        remaining = [.. remaining.Where(c => BigInteger.Abs(c.Imbalance) == minSurplus)];
        if (remaining.Length == 1)
        {
            return (ClearingStatus.Cleared, remaining[0].Price);
        }

        // Surplus all on one side.
        if (remaining.All(c => c.Imbalance > 0))
        {
            return (ClearingStatus.Cleared, remaining.Max(c => c.Price));
        }

        if (remaining.All(c => c.Imbalance < 0))
        {
            return (ClearingStatus.Cleared, remaining.Min(c => c.Price));
        }

        // The tied range: the boundary pair with mixed surplus, else every remaining candidate.
        bool mixed = remaining.Any(c => c.Imbalance > 0) && remaining.Any(c => c.Imbalance < 0);
        long low = mixed ? remaining.Where(c => c.Imbalance > 0).Max(c => c.Price) : remaining.Min(c => c.Price);
        long high = mixed ? remaining.Where(c => c.Imbalance < 0).Min(c => c.Price) : remaining.Max(c => c.Price);

        if (rule == PriceRule.Midpoint)
        {
            return (ClearingStatus.Cleared, low + ((high - low + 1) / 2));
        }

        if (referencePrice is not long reference)
        {
            return (ClearingStatus.ReferencePriceRequired, 0);
        }

        if (reference >= high)
        {
            return (ClearingStatus.Cleared, high);
        }

        if (reference <= low)
        {
            return (ClearingStatus.Cleared, low);
        }

        if (remaining.Any(c => c.Price == reference))
        {
            return (ClearingStatus.Cleared, reference);
        }

        long nearest = remaining
            .OrderBy(c => BigInteger.Abs((BigInteger)c.Price - reference))
            .ThenByDescending(c => c.Price)
            .First().Price;
        return (ClearingStatus.Cleared, nearest);
    }

    /// <summary>
    /// The rule's candidate prices. A range too wide to walk tick by tick is sampled where D or S can change: at
    /// every limit price and its two neighbours, at the range's ends and at the reference price. Every stretch of
    /// constant D and S then has both its ends among the samples, which is all the rule steps look at (the highest,
    /// lowest and boundary candidates, and those nearest the reference price).
    /// </summary>
    private static IEnumerable<long> CandidatePrices(long[] limits, PriceRule rule, long? referencePrice)
    {
        if (rule == PriceRule.Xetra)
        {
            return limits;
        }

        long low = limits[0];
        long high = limits[^1];
        if (rule == PriceRule.Euronext && referencePrice is long r)
        {
            low = Math.Min(low, r);
            high = Math.Max(high, r);
        }

        if (high - low <= TickByTickLimit)
        {
            return EveryTick(low, high);
        }

        var samples = new SortedSet<long> { low, high };
        foreach (long limit in limits)
        {
            samples.UnionWith([limit - 1, limit, limit + 1]);
        }

        if (referencePrice is long reference)
        {
            samples.Add(reference);
        }

        return samples.Where(p => p >= low && p <= high);
    }

    private static IEnumerable<long> EveryTick(long low, long high)
    {
        // Counted by offset, so that a range ending at long.MaxValue does not wrap.
        for (long offset = 0; offset <= high - low; offset++)
        {
            yield return low + offset;
        }
    }

    /// <summary>Fills at <paramref name="price"/>: the short side completely, the long side level by level.</summary>
    /// <returns>One fill per order of <paramref name="book"/>, and the level that was rationed, if any.</returns>
    public static Allocation Allocate(Market market, IReadOnlyList<Order> book, long price)
    {
        BigInteger demand = Demand(book, price);
        BigInteger supply = Supply(book, price);
        BigInteger volume = BigInteger.Min(demand, supply);
        var lots = new BigInteger[book.Count];
        RationedLevel? rationed = null;

        Side? longSide = demand > supply ? Side.Buy : demand < supply ? Side.Sell : null;

        for (int i = 0; i < book.Count; i++)
        {
            if (CanTradeAt(book[i], price) && book[i].Side != longSide)
            {
                lots[i] = book[i].Quantity;
            }
        }

        if (longSide is Side side)
        {
            // Market orders first, then the best limit: the highest for buys, the lowest for sells.
            IEnumerable<IGrouping<(bool AtMarket, long Limit), int>> levels = Enumerable.Range(0, book.Count)
                .Where(i => book[i].Side == side && CanTradeAt(book[i], price))
                .GroupBy(i => (AtMarket: book[i].IsMarket, Limit: book[i].LimitPrice))
                .OrderBy(level => level.Key.AtMarket ? 0 : 1)
                .ThenBy(level => side == Side.Buy ? -level.Key.Limit : level.Key.Limit);

            BigInteger left = volume;
            foreach (IGrouping<(bool AtMarket, long Limit), int> level in levels)
            {
                int[] members = [.. level];
                BigInteger total = Sum(members.Select(i => book[i]));
                if (total <= left)
                {
                    foreach (int i in members)
                    {
                        lots[i] = book[i].Quantity;
                    }

                    left -= total;
                }
                else if (left > 0)
                {
                    ProRata(book, members, left, total, lots);
                    rationed = new RationedLevel(left, total, members);
                    left = 0;
                }
            }
        }

        BigInteger tick = (BigInteger)market.TickSize;
        Fill[] fills = [.. lots.Select(q => new Fill((long)q, (UInt128)(q * price * tick), RejectReason.None))];
        return new Allocation(fills, demand, supply, rationed);
    }

    /// <summary>floor(q × available / total) each, then one more lot each by largest remainder, lower key, lower id.</summary>
    private static void ProRata(IReadOnlyList<Order> book, int[] members, BigInteger available, BigInteger total, BigInteger[] lots)
    {
        var remainders = new Dictionary<int, BigInteger>();
        foreach (int i in members)
        {
            lots[i] = BigInteger.DivRem(book[i].Quantity * available, total, out BigInteger remainder);
            remainders[i] = remainder;
        }

        BigInteger leftover = available - members.Aggregate(BigInteger.Zero, (sum, i) => sum + lots[i]);
        IEnumerable<int> luckiest = members
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => book[i].PriorityKey)
            .ThenBy(i => book[i].Id)
            .Take((int)leftover);
        foreach (int i in luckiest)
        {
            lots[i]++;
        }
    }

    private static BigInteger Sum(IEnumerable<Order> orders) => orders.Aggregate(BigInteger.Zero, (sum, o) => sum + o.Quantity);

    /// <summary>The fills of one allocation, with D and S at its price.</summary>
    internal sealed record Allocation(Fill[] Fills, BigInteger Demand, BigInteger Supply, RationedLevel? Rationed);

    private sealed record Candidate(long Price, BigInteger Demand, BigInteger Supply)
    {
        public BigInteger Volume => BigInteger.Min(Demand, Supply);

        public BigInteger Imbalance => Demand - Supply;
    }
}
