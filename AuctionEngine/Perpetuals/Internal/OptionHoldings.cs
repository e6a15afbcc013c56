namespace AuctionEngine.Perpetuals.Internal;

/// <summary>
/// One account's option positions: series indexes ascending with their signed lots, and the underlyings they are on
/// as a bit mask (an engine has at most 64 perpetual markets). Only accounts that ever traded an option have one, so
/// perpetual-only accounts pay nothing for options.
/// </summary>
internal sealed class OptionHoldings
{
    private int[] _series = new int[4];
    private long[] _lots = new long[4];

    public int Count { get; private set; }

    public ulong UnderlyingMask { get; private set; }

    public ReadOnlySpan<int> Series => _series.AsSpan(0, Count);

    public ReadOnlySpan<long> Lots => _lots.AsSpan(0, Count);

    public long LotsOf(int series)
    {
        int index = Array.BinarySearch(_series, 0, Count, series);
        return index >= 0 ? _lots[index] : 0;
    }

    /// <summary>Sets a series' lots (0 removes it) and refreshes the mask from <paramref name="underlyingOf"/>.</summary>
    public void Set(int series, long lots, ReadOnlySpan<int> underlyingOf)
    {
        int index = Array.BinarySearch(_series, 0, Count, series);
        if (index >= 0)
        {
            if (lots != 0)
            {
                _lots[index] = lots;
                return;
            }

            Array.Copy(_series, index + 1, _series, index, Count - index - 1);
            Array.Copy(_lots, index + 1, _lots, index, Count - index - 1);
            Count--;
        }
        else if (lots != 0)
        {
            index = ~index;
            if (Count == _series.Length)
            {
                Array.Resize(ref _series, Count * 2);
                Array.Resize(ref _lots, Count * 2);
            }

            Array.Copy(_series, index, _series, index + 1, Count - index);
            Array.Copy(_lots, index, _lots, index + 1, Count - index);
            _series[index] = series;
            _lots[index] = lots;
            Count++;
        }

        ulong mask = 0;
        for (int i = 0; i < Count; i++)
        {
            mask |= 1UL << underlyingOf[_series[i]];
        }

        UnderlyingMask = mask;
    }
}
