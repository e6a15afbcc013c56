using System.Numerics;
using AuctionEngine.Perpetuals.Internal;

namespace AuctionEngine.Perpetuals;

public sealed partial class PerpetualEngine
{
    private readonly FundingPayment[] _fundingPayments;
    private int _fundingCount;
    private Deleveraging[] _deleveragings = [];
    private int _deleveragingCount;
    private Insolvency[] _insolvencies = [];
    private int _insolvencyCount;
    private AdlCandidate[] _candidates = [];

    /// <summary>The funding paid at the last <see cref="EndBlock"/>, one entry per market whose interval ended.</summary>
    public ReadOnlySpan<FundingPayment> FundingPayments => _fundingPayments.AsSpan(0, _fundingCount);

    /// <summary>The deleveraging transfers of the last <see cref="EndBlock"/>, in the order they were made.</summary>
    public ReadOnlySpan<Deleveraging> Deleveragings => _deleveragings.AsSpan(0, _deleveragingCount);

    /// <summary>
    /// Accounts the last <see cref="EndBlock"/> left with negative net collateral although the insurance fund was
    /// empty and deleveraging had nothing left to close: losses nobody absorbed, reported instead of spread.
    /// </summary>
    public ReadOnlySpan<Insolvency> Insolvencies => _insolvencies.AsSpan(0, _insolvencyCount);

    /// <summary>
    /// Ends the block: pays funding in every market whose interval ended, deleverages the accounts the insurance fund
    /// could not make whole, and releases this block's scanned liquidation orders into the next block's batches.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Funding: each market counts blocks; every <c>fundingIntervalBlocks</c> its rate is the average premium
    /// <c>(clearing − oracle) / oracle</c> of the interval's blocks whose batch traded (each premium truncated toward
    /// zero at 10^-12, the average at 10^-6), clamped to ± <c>fundingCapPpm</c>; 0 when none traded. One lot's
    /// payment at the current oracle, <c>O × TickSize × rate / 10^6</c>, is rounded up for the paying side and down
    /// for the receiving one and added to the sides' cumulative indexes (longs pay when the rate is positive); the
    /// difference times the open interest goes to the insurance fund at once, so funding is exactly zero-sum. Each
    /// position settles what it owes when it next trades; <see cref="GetCollateral"/> already counts it.
    /// </para>
    /// <para>
    /// Deleveraging: an account with negative net collateral while the insurance fund is empty has every position
    /// closed at its bankruptcy price (its share of the deficit by maintenance requirement), against opposite
    /// positions ranked by profit ratio × leverage, highest first: <c>(n × U − cost) / |cost| × |n × U| / TNC</c>
    /// (counterparties with TNC ≤ 0 last), ties to the earlier account. Its collateral ends at exactly 0. An account
    /// that closed its last position below zero (a fee or a liquidation fill took it there) has its debt paid by the
    /// insurance fund as far as the fund goes; what is left is reported in <see cref="Insolvencies"/>.
    /// </para>
    /// </remarks>
    public void EndBlock()
    {
        _fundingCount = 0;
        _deleveragingCount = 0;
        _insolvencyCount = 0;
        for (int m = 0; m < _marketCount; m++)
        {
            if (++_blocksInInterval[m] >= _markets[m].FundingIntervalBlocks)
            {
                PayFunding(m);
            }

            _filledThisBlock[m] = false;
        }

        Array.Clear(_seriesFilledThisBlock);

        if (_bankruptCount > 0)
        {
            Span<int> bankrupt = _bankrupt.AsSpan(0, _bankruptCount);
            bankrupt.Sort();
            foreach (int id in bankrupt)
            {
                _isMarkedBankrupt[id] = false;
                if (HasOptions(id))
                {
                    // Its option positions close in the batch; it is deleveraged or covered once they have.
                    continue;
                }

                if (_positionCount[id] == 0)
                {
                    CoverPositionlessDebt(id);
                }
                else if (_insuranceFund <= 0 && EffectiveCollateral(id) + PositionsWorth(id) < 0)
                {
                    Deleverage(id);
                }
            }

            _bankruptCount = 0;
        }

        ReleaseScanned();
    }

    /// <summary>The insurance fund pays what it can of a position-less account's debt; the rest is reported.</summary>
    private void CoverPositionlessDebt(int id)
    {
        Int128 debt = -_collateral[id];
        if (debt <= 0)
        {
            return;
        }

        Int128 paid = Int128.Min(debt, Int128.Max(_insuranceFund, Int128.Zero));
        _insuranceFund -= paid;
        _collateral[id] += paid;
        OnAccountChanged(id);
        if (paid < debt)
        {
            AddInsolvency(new Insolvency(_addresses[id], debt - paid));
        }
    }

    private void PayFunding(int m)
    {
        PerpetualMarket market = _markets[m];
        int cleared = _clearedBlocks[m];
        Int128 rate = cleared == 0 ? Int128.Zero : _premiumSum[m] / cleared / Million;
        rate = Int128.Clamp(rate, -market.FundingCapPpm, market.FundingCapPpm);
        _premiumSum[m] = Int128.Zero;
        _clearedBlocks[m] = 0;
        _blocksInInterval[m] = 0;

        Int128 perLot = _unitValue[m] * Int128.Abs(rate);
        Int128 paid = ExactMath.CeilDiv(perLot, Million);
        Int128 received = perLot / Million;
        if (rate > 0)
        {
            _longFundingIndex[m] += paid;
            _shortFundingIndex[m] += received;
        }
        else if (rate < 0)
        {
            _longFundingIndex[m] -= received;
            _shortFundingIndex[m] -= paid;
        }

        RefreshScanTerms();
        Int128 remainder = (paid - received) * _openInterest[m];
        _insuranceFund += remainder;
        _fundingPayments[_fundingCount++] = new FundingPayment(m, (long)rate, paid, received, remainder);
    }

    private Int128 PositionsWorth(int id)
    {
        Int128 worth = Int128.Zero;
        int baseSlot = id * _marketCount;
        for (int m = 0; m < _marketCount; m++)
        {
            worth += _lots[baseSlot + m] * _unitValue[m];
        }

        return worth;
    }

    private void Deleverage(int id)
    {
        int baseSlot = id * _marketCount;
        for (int m = 0; m < _marketCount; m++)
        {
            SettleFunding(id, m);
        }

        Margin(id, out Int128 netScaled, out Int128 maintenanceScaled, out _);
        if (maintenanceScaled > 0)
        {
            // The quotes every position closes for add up to exactly −collateral, so the account ends at 0: each
            // market's share rounded down, the last one taking the remainder.
            Int128 owed = -_collateral[id];
            int last = -1;
            for (int m = 0; m < _marketCount; m++)
            {
                if (_lots[baseSlot + m] != 0)
                {
                    last = m;
                }
            }

            for (int m = 0; m < _marketCount; m++)
            {
                long lots = _lots[baseSlot + m];
                if (lots == 0)
                {
                    continue;
                }

                Int128 quote = m == last
                    ? owed
                    : (Math.Sign(lots) * Math.Abs(lots) * _unitValue[m]) - ExactMath.Ratio(netScaled, Math.Abs(lots), _maintenancePerLot[m], Million, maintenanceScaled, ceiling: true);
                owed -= quote;
                DeleverageMarket(id, m, lots, quote);
            }
        }

        Int128 net = EffectiveCollateral(id) + PositionsWorth(id);
        if (net < 0)
        {
            AddInsolvency(new Insolvency(_addresses[id], -net));
        }
    }

    /// <summary>Closes the account's position in one market against opposite positions for <paramref name="quote"/> in all.</summary>
    private void DeleverageMarket(int id, int m, long lots, Int128 quote)
    {
        int count = 0;
        for (int other = 0; other < _accountCount; other++)
        {
            long theirs = _lots[(other * _marketCount) + m];
            if (other != id && theirs != 0 && Math.Sign(theirs) != Math.Sign(lots))
            {
                if (count == _candidates.Length)
                {
                    Array.Resize(ref _candidates, Math.Max(64, _candidates.Length * 2));
                }

                _candidates[count++] = Candidate(other, m);
            }
        }

        Span<AdlCandidate> ranked = _candidates.AsSpan(0, count);
        HeapSort.Sort(ranked, default(AdlCandidateComparer));
        long size = Math.Abs(lots);
        long remaining = size;
        Int128 quoteLeft = quote;
        int sign = Math.Sign(lots);
        foreach (AdlCandidate candidate in ranked)
        {
            if (remaining == 0)
            {
                break;
            }

            int other = candidate.Account;
            long taken = Math.Min(remaining, Math.Abs(_lots[(other * _marketCount) + m]));
            Int128 share = taken == remaining ? quoteLeft : ExactMath.FloorDiv(quote * taken, size);
            remaining -= taken;
            quoteLeft -= share;

            // The bankrupt account sells (a long) or buys back (a short) `taken` lots; it receives `share` (negative:
            // pays), and the counterparty does the opposite.
            Trade(id, m, -sign * taken, sign > 0 ? share : -share);
            Trade(other, m, sign * taken, sign > 0 ? share : -share);
            AddDeleveraging(new Deleveraging(m, _addresses[id], _addresses[other], taken, share));
        }
    }

    /// <summary>
    /// The position's rank key, profit ratio × leverage = ((worth − cost) / |cost|) × (|worth| / TNC), as an exact
    /// fraction: who is deleveraged first decides who loses a position, so the order is never left to rounding.
    /// </summary>
    /// <remarks>
    /// The cross products of two keys reach about 2^410, beyond any fixed-width type here, so the key is a
    /// <see cref="BigInteger"/> pair. Deleveraging runs only once the insurance fund is exhausted, the one path of a
    /// block that may allocate.
    /// </remarks>
    private AdlCandidate Candidate(int id, int m)
    {
        int slot = (id * _marketCount) + m;
        Int128 worth = _lots[slot] * _unitValue[m];
        Int128 cost = _cost[slot];
        Margin(id, out Int128 netScaled, out _, out _);
        if (netScaled <= 0 || cost == 0)
        {
            return new AdlCandidate(Ranked: false, BigInteger.Zero, BigInteger.One, id);
        }

        var numerator = (BigInteger)(worth - cost) * (BigInteger)Int128.Abs(worth);
        var denominator = (BigInteger)Int128.Abs(cost) * (BigInteger)netScaled;
        return new AdlCandidate(Ranked: true, numerator, denominator, id);
    }

    private void AddDeleveraging(Deleveraging deleveraging)
    {
        if (_deleveragingCount == _deleveragings.Length)
        {
            Array.Resize(ref _deleveragings, Math.Max(16, _deleveragings.Length * 2));
        }

        _deleveragings[_deleveragingCount++] = deleveraging;
    }

    private void AddInsolvency(Insolvency insolvency)
    {
        if (_insolvencyCount == _insolvencies.Length)
        {
            Array.Resize(ref _insolvencies, Math.Max(16, _insolvencies.Length * 2));
        }

        _insolvencies[_insolvencyCount++] = insolvency;
    }

    /// <summary>A counterparty and its rank key <c>Numerator / Denominator</c> (denominator positive); unranked last.</summary>
    private readonly record struct AdlCandidate(bool Ranked, BigInteger Numerator, BigInteger Denominator, int Account);

    /// <summary>Highest key first, compared exactly by cross-multiplying; ties (and the unranked) by account.</summary>
    private readonly struct AdlCandidateComparer : IComparer<AdlCandidate>
    {
        public int Compare(AdlCandidate x, AdlCandidate y)
        {
            int c = y.Ranked.CompareTo(x.Ranked);
            if (c == 0 && x.Ranked)
            {
                c = (y.Numerator * x.Denominator).CompareTo(x.Numerator * y.Denominator);
            }

            return c != 0 ? c : x.Account.CompareTo(y.Account);
        }
    }
}
