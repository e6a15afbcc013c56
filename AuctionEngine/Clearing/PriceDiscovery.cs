using System.Diagnostics;

namespace AuctionEngine.Clearing;

/// <summary>The price a rule chose, or why it could not choose one.</summary>
internal readonly record struct PriceDecision(ClearingStatus Status, long Price);

/// <summary>
/// Applies a <see cref="PriceRule"/> to a <see cref="PriceLadder"/>.
/// </summary>
/// <remarks>
/// Candidates are visited as ranges of ticks over which D and S are constant: a limit price on its own, the open
/// gap between two consecutive limit prices, and (for <see cref="PriceRule.Euronext"/>) the stretch out to the
/// reference price. Each rule step is then a scan over at most 2n + 1 ranges, whatever the width in ticks.
/// </remarks>
internal static class PriceDiscovery
{
    public static PriceDecision Find(in PriceLadder ladder, PriceRule rule, long? reference)
    {
        if (ladder.Count == 0)
        {
            // Market orders alone: they can only trade at the reference price.
            if (ladder.MarketBuy == UInt128.Zero || ladder.MarketSell == UInt128.Zero)
            {
                return new PriceDecision(ClearingStatus.NothingExecutable, 0);
            }

            return reference is long r
                ? new PriceDecision(ClearingStatus.Cleared, r)
                : new PriceDecision(ClearingStatus.ReferencePriceRequired, 0);
        }

        // Step 1 and 2: the highest executable volume, then the lowest absolute surplus among those.
        UInt128 bestVolume = UInt128.Zero;
        UInt128 bestSurplus = UInt128.MaxValue;
        var candidates = new CandidateRanges(ladder, rule, reference);
        while (candidates.MoveNext())
        {
            CandidateRange range = candidates.Current;
            UInt128 volume = range.Volume;
            UInt128 surplus = range.AbsoluteSurplus;
            if (volume > bestVolume || (volume == bestVolume && surplus < bestSurplus))
            {
                bestVolume = volume;
                bestSurplus = surplus;
            }
        }

        if (bestVolume == UInt128.Zero)
        {
            return new PriceDecision(ClearingStatus.NothingExecutable, 0);
        }

        // Step 3: describe what remains. V is unimodal and I non-increasing in price, so the remaining ranges are
        // contiguous, bid surpluses below ask surpluses; the scan does not rely on it.
        long lowest = long.MaxValue;
        long highest = long.MinValue;
        long highestWithBidSurplus = long.MinValue;
        long lowestWithAskSurplus = long.MaxValue;
        bool anyBidSurplus = false;
        bool anyAskSurplus = false;
        bool anyBalanced = false;
        candidates = new CandidateRanges(ladder, rule, reference);
        while (candidates.MoveNext())
        {
            CandidateRange range = candidates.Current;
            if (!range.Remains(bestVolume, bestSurplus))
            {
                continue;
            }

            lowest = Math.Min(lowest, range.Low);
            highest = Math.Max(highest, range.High);
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

        return new PriceDecision(ClearingStatus.Cleared, NearestRemaining(ladder, rule, reference, r2, bestVolume, bestSurplus));
    }

    /// <summary>R itself if it is a remaining candidate, else the remaining candidate nearest to R, the higher on a tie.</summary>
    private static long NearestRemaining(in PriceLadder ladder, PriceRule rule, long? reference, long r, UInt128 bestVolume, UInt128 bestSurplus)
    {
        long nearest = 0;
        ulong nearestDistance = ulong.MaxValue;
        var candidates = new CandidateRanges(ladder, rule, reference);
        while (candidates.MoveNext())
        {
            CandidateRange range = candidates.Current;
            if (!range.Remains(bestVolume, bestSurplus))
            {
                continue;
            }

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

        public bool Remains(UInt128 bestVolume, UInt128 bestSurplus) => Volume == bestVolume && AbsoluteSurplus == bestSurplus;
    }

    /// <summary>
    /// Visits a rule's candidate prices in ascending order as <see cref="CandidateRange"/>s. Positions: 0 is the
    /// stretch below the lowest limit, <c>2j + 1</c> is limit price j, <c>2j + 2</c> is the gap above it (or, for the
    /// last limit, the stretch above).
    /// </summary>
    private ref struct CandidateRanges
    {
        private readonly PriceLadder _ladder;
        private readonly bool _gaps;
        private readonly long _extendTo;
        private int _position;

        public CandidateRanges(in PriceLadder ladder, PriceRule rule, long? reference)
        {
            _ladder = ladder;
            _gaps = rule != PriceRule.Xetra;
            _extendTo = rule == PriceRule.Euronext && reference is long r ? r : 0;
            _position = -1;
            Current = default;
        }

        public CandidateRange Current { get; private set; }

        public bool MoveNext()
        {
            ReadOnlySpan<long> prices = _ladder.Prices;
            int last = prices.Length - 1;
            while (++_position <= (2 * last) + 2)
            {
                if (_position == 0)
                {
                    if (_extendTo != 0 && _extendTo < prices[0])
                    {
                        Current = new CandidateRange(_extendTo, prices[0] - 1, _ladder.Demand[0], _ladder.MarketSell);
                        return true;
                    }
                }
                else if ((_position & 1) == 1)
                {
                    int j = _position >> 1;
                    Current = new CandidateRange(prices[j], prices[j], _ladder.Demand[j], _ladder.Supply[j]);
                    return true;
                }
                else
                {
                    int j = (_position >> 1) - 1;
                    if (j < last)
                    {
                        if (_gaps && prices[j + 1] - prices[j] >= 2)
                        {
                            Current = new CandidateRange(prices[j] + 1, prices[j + 1] - 1, _ladder.Demand[j + 1], _ladder.Supply[j]);
                            return true;
                        }
                    }
                    else if (_extendTo > prices[last])
                    {
                        Current = new CandidateRange(prices[last] + 1, _extendTo, _ladder.MarketBuy, _ladder.Supply[last]);
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
