using System.Diagnostics;

namespace AuctionEngine.Clearing;

/// <summary>The price a rule chose, or why it could not choose one.</summary>
internal readonly record struct PriceDecision(ClearingStatus Status, long Price);

/// <summary>
/// Applies a <see cref="PriceRule"/> to a <see cref="PriceLadder"/>.
/// </summary>
/// <remarks>
/// <para>
/// Candidates are visited as ranges of ticks over which D and S are constant: a limit price on its own, the open
/// gap between two consecutive limit prices, and (for <see cref="PriceRule.Euronext"/>) the stretch out to the
/// reference price. In ascending order of price, D never rises and S never falls across these ranges.
/// </para>
/// <para>
/// So V = min(D, S) rises up to the point where D stops exceeding S and falls after it, and I = D − S only falls.
/// The best volume is at that crossing (found by binary search), the lowest |I| among the best-volume ranges is at
/// the crossing too, and the ranges that remain after both steps form one contiguous block around it. Each
/// decision therefore costs O(log n) plus the length of the tied block, however wide or deep the book is.
/// </para>
/// </remarks>
internal static class PriceDiscovery
{
    /// <summary>
    /// The decision <paramref name="rule"/> makes on the book, when <paramref name="ladder"/> holds every range it
    /// has to look at.
    /// </summary>
    /// <returns>
    /// <see langword="false"/> if the ladder is a window onto the book and the decision depends on a range beyond it:
    /// then <paramref name="decision"/> means nothing, and a wider window must be tried. Never for the whole book.
    /// </returns>
    public static bool TryFind(in PriceLadder ladder, PriceRule rule, long? reference, out PriceDecision decision)
    {
        if (ladder.Count == 0)
        {
            decision = MarketOrdersAlone(ladder, reference);
            return ladder.IsBottom && ladder.IsTop;
        }

        var ranges = new CandidateRanges(ladder, rule, reference);
        decision = Decide(ref ranges, rule, reference);
        return !ranges.LookedBeyond;
    }

    /// <summary>A book without limit orders: market orders can only trade at the reference price.</summary>
    private static PriceDecision MarketOrdersAlone(in PriceLadder ladder, long? reference)
    {
        if (ladder.MarketBuy == UInt128.Zero || ladder.MarketSell == UInt128.Zero)
        {
            return new PriceDecision(ClearingStatus.NothingExecutable, 0);
        }

        return reference is long r
            ? new PriceDecision(ClearingStatus.Cleared, r)
            : new PriceDecision(ClearingStatus.ReferencePriceRequired, 0);
    }

    private static PriceDecision Decide(ref CandidateRanges ranges, PriceRule rule, long? reference)
    {
        // Steps 1 and 2: the highest volume, then the lowest |I|, are both found at the crossing.
        int crossing = ranges.LastWithDemandAtLeastSupply();
        int after = ranges.Next(crossing);
        int start = crossing;
        if (crossing < 0 || (after >= 0 && RanksAbove(ranges[after], ranges[crossing])))
        {
            start = after;
        }

        CandidateRange best = ranges[start];
        if (best.Volume == UInt128.Zero)
        {
            return new PriceDecision(ClearingStatus.NothingExecutable, 0);
        }

        int first = start;
        for (int p = ranges.Previous(first); p >= 0 && ranges[p].Ties(best); p = ranges.Previous(p))
        {
            first = p;
        }

        int last = start;
        for (int p = ranges.Next(last); p >= 0 && ranges[p].Ties(best); p = ranges.Next(p))
        {
            last = p;
        }

        // Step 3: what remains, from the lowest to the highest remaining range.
        long lowest = ranges[first].Low;
        long highest = ranges[last].High;
        long highestWithBidSurplus = long.MinValue;
        long lowestWithAskSurplus = long.MaxValue;
        bool anyBidSurplus = false;
        bool anyAskSurplus = false;
        bool anyBalanced = false;
        for (int p = first; p >= 0 && p <= last; p = ranges.Next(p))
        {
            CandidateRange range = ranges[p];
            if (range.Demand > range.Supply)
            {
                anyBidSurplus = true;
                highestWithBidSurplus = Math.Max(highestWithBidSurplus, range.High);
            }
            else if (range.Demand < range.Supply)
            {
                anyAskSurplus = true;
                lowestWithAskSurplus = Math.Min(lowestWithAskSurplus, range.Low);
            }
            else
            {
                anyBalanced = true;
            }
        }

        if (lowest == highest)
        {
            return new PriceDecision(ClearingStatus.Cleared, lowest);
        }

        if (anyBidSurplus && !anyAskSurplus && !anyBalanced)
        {
            return new PriceDecision(ClearingStatus.Cleared, highest);
        }

        if (anyAskSurplus && !anyBidSurplus && !anyBalanced)
        {
            return new PriceDecision(ClearingStatus.Cleared, lowest);
        }

        // Step 4: a tie that one-sided surplus cannot break. With mixed surplus, the range is the boundary between
        // the bid-surplus and ask-surplus candidates; otherwise it spans every remaining candidate.
        bool mixed = anyBidSurplus && anyAskSurplus;
        long low = mixed ? Math.Min(highestWithBidSurplus, lowestWithAskSurplus) : lowest;
        long high = mixed ? Math.Max(highestWithBidSurplus, lowestWithAskSurplus) : highest;

        if (rule == PriceRule.Midpoint)
        {
            return new PriceDecision(ClearingStatus.Cleared, low + ((high - low + 1) / 2));
        }

        if (reference is not long r2)
        {
            return new PriceDecision(ClearingStatus.ReferencePriceRequired, 0);
        }

        if (r2 >= high)
        {
            return new PriceDecision(ClearingStatus.Cleared, high);
        }

        if (r2 <= low)
        {
            return new PriceDecision(ClearingStatus.Cleared, low);
        }

        return new PriceDecision(ClearingStatus.Cleared, NearestRemaining(ref ranges, first, last, r2));
    }

    /// <summary>
    /// The decision for a price the caller chose rather than a rule: it clears there when anything is executable,
    /// V(price) = min(D(price), S(price)) &gt; 0, and otherwise nothing trades.
    /// </summary>
    public static PriceDecision AtGivenPrice(in PriceLadder ladder, long price) =>
        UInt128.Min(ladder.DemandAt(price), ladder.SupplyAt(price)) > UInt128.Zero
            ? new PriceDecision(ClearingStatus.Cleared, price)
            : new PriceDecision(ClearingStatus.NothingExecutable, 0);

    /// <summary>Higher volume first, then lower absolute surplus.</summary>
    private static bool RanksAbove(CandidateRange a, CandidateRange b) =>
        a.Volume > b.Volume || (a.Volume == b.Volume && a.AbsoluteSurplus < b.AbsoluteSurplus);

    /// <summary>R itself if it is a remaining candidate, else the remaining candidate nearest to R, the higher on a tie.</summary>
    private static long NearestRemaining(ref CandidateRanges ranges, int first, int last, long r)
    {
        long nearest = 0;
        ulong nearestDistance = ulong.MaxValue;
        for (int p = first; p >= 0 && p <= last; p = ranges.Next(p))
        {
            CandidateRange range = ranges[p];
            if (range.Low <= r && r <= range.High)
            {
                return r;
            }

            long point = r < range.Low ? range.Low : range.High;
            ulong distance = r < point ? (ulong)(point - r) : (ulong)(r - point);

            // Ranges come in ascending order, so on equal distance the later one is the higher.
            if (distance <= nearestDistance)
            {
                nearest = point;
                nearestDistance = distance;
            }
        }

        Debug.Assert(nearestDistance != ulong.MaxValue);
        return nearest;
    }

    /// <summary>A range of candidate ticks over which demand and supply are constant.</summary>
    private readonly record struct CandidateRange(long Low, long High, UInt128 Demand, UInt128 Supply)
    {
        public UInt128 Volume => UInt128.Min(Demand, Supply);

        public UInt128 AbsoluteSurplus => Demand >= Supply ? Demand - Supply : Supply - Demand;

        /// <summary>Whether this range survives steps 1 and 2 alongside <paramref name="best"/>.</summary>
        public bool Ties(CandidateRange best) => Volume == best.Volume && AbsoluteSurplus == best.AbsoluteSurplus;
    }

    /// <summary>
    /// A rule's candidate prices as <see cref="CandidateRange"/>s, addressed by position in ascending price order:
    /// 0 is the stretch below the lowest limit, <c>2j + 1</c> is limit price j, <c>2j + 2</c> is the gap above it
    /// (or, for the last limit, the stretch above). Limit prices always exist; the other positions only when the
    /// rule has them and they hold at least one tick.
    /// </summary>
    /// <remarks>
    /// On a window onto the book, positions 0 and <c>2 × Count</c> stand for what lies beyond its edge, which the
    /// window does not know. Asking for them there answers "no range" and sets <see cref="LookedBeyond"/>, so that
    /// the caller throws the decision away: every decision that never asks is the whole book's decision.
    /// </remarks>
    private ref struct CandidateRanges
    {
        private readonly PriceLadder _ladder;
        private readonly bool _gaps;
        private readonly long _extendTo;

        public CandidateRanges(in PriceLadder ladder, PriceRule rule, long? reference)
        {
            _ladder = ladder;
            _gaps = rule != PriceRule.Xetra;
            _extendTo = rule == PriceRule.Euronext && reference is long r ? r : 0;
        }

        /// <summary>Whether a position beyond the edge of a window was asked for.</summary>
        public bool LookedBeyond { get; private set; }

        private int LastPosition => 2 * _ladder.Count;

        public CandidateRange this[int position]
        {
            get
            {
                bool exists = TryGet(position, out CandidateRange range);
                Debug.Assert(exists);
                return range;
            }
        }

        /// <summary>The last position whose range has D ≥ S, or -1 if none has.</summary>
        public int LastWithDemandAtLeastSupply()
        {
            // Binary search over the limit prices: the last j with D[j] ≥ S[j] (I only falls as j rises).
            ReadOnlySpan<UInt128> demand = _ladder.Demand;
            ReadOnlySpan<UInt128> supply = _ladder.Supply;
            int low = -1;
            int high = _ladder.Count - 1;
            while (low < high)
            {
                int mid = (low + high + 1) >> 1;
                if (demand[mid] >= supply[mid])
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }

            // The range just above that limit price (a gap, or a stretch past the book) may still have D ≥ S.
            int above = (2 * low) + 2;
            return TryGet(above, out CandidateRange range) && range.Demand >= range.Supply ? above : (2 * low) + 1;
        }

        /// <summary>The next existing position after <paramref name="position"/> (which may be -1), or -1.</summary>
        public int Next(int position)
        {
            for (int p = position + 1; p <= LastPosition; p++)
            {
                if (TryGet(p, out _))
                {
                    return p;
                }
            }

            return -1;
        }

        /// <summary>The previous existing position before <paramref name="position"/>, or -1.</summary>
        public int Previous(int position)
        {
            for (int p = position - 1; p >= 0; p--)
            {
                if (TryGet(p, out _))
                {
                    return p;
                }
            }

            return -1;
        }

        private bool TryGet(int position, out CandidateRange range)
        {
            ReadOnlySpan<long> prices = _ladder.Prices;
            int last = prices.Length - 1;
            range = default;
            if (position < 0 || position > LastPosition)
            {
                return false;
            }

            if (position == 0)
            {
                if (!_ladder.IsBottom)
                {
                    LookedBeyond = true;
                    return false;
                }

                if (_extendTo == 0 || _extendTo >= prices[0])
                {
                    return false;
                }

                range = new CandidateRange(_extendTo, prices[0] - 1, _ladder.Demand[0], _ladder.SupplyBelow);
                return true;
            }

            int j = (position - 1) >> 1;
            if ((position & 1) == 1)
            {
                range = new CandidateRange(prices[j], prices[j], _ladder.Demand[j], _ladder.Supply[j]);
                return true;
            }

            if (j < last)
            {
                if (!_gaps || prices[j + 1] - prices[j] < 2)
                {
                    return false;
                }

                range = new CandidateRange(prices[j] + 1, prices[j + 1] - 1, _ladder.Demand[j + 1], _ladder.Supply[j]);
                return true;
            }

            if (!_ladder.IsTop)
            {
                LookedBeyond = true;
                return false;
            }

            if (_extendTo <= prices[last])
            {
                return false;
            }

            range = new CandidateRange(prices[last] + 1, _extendTo, _ladder.DemandAbove, _ladder.Supply[last]);
            return true;
        }
    }
}
