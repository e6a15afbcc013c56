using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AuctionEngine.Clearing;

/// <summary>
/// Lots per bin, per side, over a window of consecutive bins, filled while the orders are read so that a book in a
/// band of prices needs no second pass and no sort. A bin is one tick wide for a band, or 2^<see cref="Shift"/> ticks
/// for a book spread too wide for the window: then it only sums its orders, and the engine reads the exact prices of
/// the few bins it needs from the orders again. Orders outside the window are the caller's to handle.
/// </summary>
/// <remarks>
/// <para>
/// Bins are 64-bit: buys and sells of one bin sit side by side (one cache line serves both) and an addition is a
/// single instruction. A bin that overflows carries into a separate high word, so sums stay exact to 128 bits
/// while honest books, which never carry, never touch the high words.
/// </para>
/// <para>
/// Only the bins a batch touched are read back, and they are zeroed as they are read, so the next batch starts
/// clean without clearing the whole window.
/// </para>
/// </remarks>
internal sealed class PriceHistogram
{
    private readonly ulong[] _bins;
    private readonly ulong[] _carries;
    private readonly int _capacity;
    private readonly int _marketSlot;
    private long _windowLow;
    private int _shift;
    private ulong _ticks;
    private bool _carried;

    /// <param name="capacity">The most bins a window may have.</param>
    public PriceHistogram(int capacity)
    {
        _capacity = capacity;
        _marketSlot = 2 * capacity;
        _bins = new ulong[(2 * capacity) + 2];
        _carries = new ulong[_bins.Length];
        _ticks = (ulong)capacity;
    }

    /// <summary>The most bins a window may have.</summary>
    public int Capacity => _capacity;

    /// <summary>The lowest tick of the window.</summary>
    public long WindowLow => _windowLow;

    /// <summary>The highest tick of the window (the window is cut at <see cref="long.MaxValue"/>).</summary>
    public long WindowHigh => (ulong)_windowLow + _ticks - 1 > long.MaxValue ? long.MaxValue : _windowLow + (long)(_ticks - 1);

    /// <summary>Each bin spans 2^<see cref="Shift"/> ticks; 0 for a bin per tick.</summary>
    public int Shift => _shift;

    /// <summary>
    /// Places the window: <paramref name="bins"/> bins of 2^<paramref name="shift"/> ticks each from tick
    /// <paramref name="low"/> (at least 1). Every bin must be zero.
    /// </summary>
    public void SetWindow(long low, int shift, int bins)
    {
        Debug.Assert(low >= 1 && bins >= 1 && bins <= _capacity && shift >= 0 && shift < 63);
        Debug.Assert((ulong)bins << shift >> shift == (ulong)bins);

        // At most 2^63 ticks, so that a price below the window, whose offset from it wraps to 2^63 or more as an
        // unsigned number, is never taken for one inside.
        _ticks = Math.Min((ulong)bins << shift, 1UL << 63);
        _shift = shift;

        // Slid down from the top of the range rather than cut, where that still leaves it at 1 or above.
        _windowLow = _ticks - 1 <= long.MaxValue - 1 ? Math.Min(low, long.MaxValue - (long)(_ticks - 1)) : low;
    }

    /// <summary>The window of one-tick bins, as many as the histogram holds, centred on <paramref name="price"/> and kept inside the positive ticks.</summary>
    public long WindowAround(long price) => Math.Max(1, price - (_capacity / 2));

    /// <summary>
    /// The state <see cref="Adder.TryAdd"/> needs, for a caller to hold in locals through its loop: through the
    /// histogram object, every order would reload the window and the bins from memory.
    /// </summary>
    public Adder StartAdding() => new(this);

    /// <summary>Adds orders to a <see cref="PriceHistogram"/>; see <see cref="StartAdding"/>.</summary>
    public readonly ref struct Adder
    {
        private readonly Span<ulong> _bins;
        private readonly long _windowLow;
        private readonly ulong _ticks;
        private readonly int _shift;
        private readonly int _marketSlot;
        private readonly PriceHistogram _histogram;

        internal Adder(PriceHistogram histogram)
        {
            _bins = histogram._bins;
            _windowLow = histogram._windowLow;
            _ticks = histogram._ticks;
            _shift = histogram._shift;
            _marketSlot = histogram._marketSlot;
            _histogram = histogram;
        }

        /// <summary>
        /// Adds an accepted order: <paramref name="price"/> 0 for a market order, <paramref name="signedQuantity"/>
        /// positive to buy and negative to sell.
        /// </summary>
        /// <returns><see langword="false"/> if the order is a limit order outside the window, and was not added.</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAdd(long price, long signedQuantity)
        {
            Debug.Assert(price >= 0 && signedQuantity != 0);
            ulong offset = (ulong)(price - _windowLow);
            bool market = price == 0;
            if (offset >= _ticks & !market)
            {
                return false;
            }

            // Branch-free: which side and whether an order is a market order are both unpredictable.
            long sellMask = signedQuantity >> 63;
            int slot = market ? _marketSlot : (int)(offset >> _shift) * 2;
            slot -= (int)sellMask;
            ulong lots = (ulong)((signedQuantity ^ sellMask) - sellMask);
            ref ulong bin = ref _bins[slot];
            ulong before = bin;
            bin = before + lots;
            if (bin < before)
            {
                _histogram.Carry(slot);
            }

            return true;
        }
    }

    /// <summary>
    /// Writes the non-empty bins that hold ticks between <paramref name="minLimit"/> and <paramref name="maxLimit"/>
    /// as price levels, ascending, each at its bin's lowest tick, and zeroes every bin it read. With one-tick bins
    /// those are the book's exact levels.
    /// </summary>
    /// <returns>The number of levels written.</returns>
    public int Drain(long minLimit, long maxLimit, Span<long> prices, Span<UInt128> buys, Span<UInt128> sells, out UInt128 marketBuy, out UInt128 marketSell)
    {
        marketBuy = Take(_marketSlot);
        marketSell = Take(_marketSlot + 1);
        int levels = 0;
        if (BinRange(minLimit, maxLimit, out int firstBin, out int lastBin))
        {
            for (int bin = firstBin; bin <= lastBin; bin++)
            {
                int slot = bin * 2;
                if ((_bins[slot] | _bins[slot + 1]) == 0 && !_carried)
                {
                    continue;
                }

                UInt128 buy = Take(slot);
                UInt128 sell = Take(slot + 1);
                if ((buy | sell) != UInt128.Zero)
                {
                    prices[levels] = _windowLow + ((long)bin << _shift);
                    buys[levels] = buy;
                    sells[levels] = sell;
                    levels++;
                }
            }
        }

        _carried = false;
        return levels;
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s bins that hold ticks between <paramref name="minLimit"/> and
    /// <paramref name="maxLimit"/>, and its market bins, into this histogram, exactly, and zeroes them in
    /// <paramref name="other"/>. Both must share a window.
    /// </summary>
    public void Absorb(PriceHistogram other, long minLimit, long maxLimit)
    {
        Debug.Assert(other._windowLow == _windowLow && other._ticks == _ticks && other._shift == _shift);
        if (BinRange(minLimit, maxLimit, out int firstBin, out int lastBin))
        {
            for (int slot = firstBin * 2; slot < (lastBin * 2) + 2; slot++)
            {
                AbsorbSlot(other, slot);
            }
        }

        AbsorbSlot(other, _marketSlot);
        AbsorbSlot(other, _marketSlot + 1);
        other._carried = false;
    }

    private void AbsorbSlot(PriceHistogram other, int slot)
    {
        ulong before = _bins[slot];
        _bins[slot] = before + other._bins[slot];
        if (_bins[slot] < before)
        {
            Carry(slot);
        }

        other._bins[slot] = 0;
        if (other._carried && other._carries[slot] != 0)
        {
            _carries[slot] += other._carries[slot];
            _carried = true;
            other._carries[slot] = 0;
        }
    }

    /// <summary>
    /// Zeroes the bins that hold ticks between <paramref name="minLimit"/> and <paramref name="maxLimit"/> and the
    /// market bins, discarding what was added.
    /// </summary>
    public void Clear(long minLimit, long maxLimit)
    {
        if (BinRange(minLimit, maxLimit, out int firstBin, out int lastBin))
        {
            int length = (lastBin - firstBin + 1) * 2;
            _bins.AsSpan(firstBin * 2, length).Clear();
            _carries.AsSpan(firstBin * 2, length).Clear();
        }

        _bins.AsSpan(_marketSlot, 2).Clear();
        _carries.AsSpan(_marketSlot, 2).Clear();
        _carried = false;
    }

    /// <summary>The bins that hold the window's ticks between <paramref name="minLimit"/> and <paramref name="maxLimit"/>.</summary>
    /// <returns><see langword="false"/> if no tick of the window lies between them.</returns>
    private bool BinRange(long minLimit, long maxLimit, out int firstBin, out int lastBin)
    {
        // Offsets from the window's start, so that a window ending at long.MaxValue cannot overflow a loop.
        long first = Math.Max(minLimit, _windowLow);
        long last = Math.Min(maxLimit, WindowHigh);
        firstBin = (int)((ulong)(first - _windowLow) >> _shift);
        lastBin = (int)((ulong)(last - _windowLow) >> _shift);
        return first <= last;
    }

    private UInt128 Take(int slot)
    {
        ulong low = _bins[slot];
        _bins[slot] = 0;
        if (!_carried)
        {
            return low;
        }

        ulong high = _carries[slot];
        _carries[slot] = 0;
        return new UInt128(high, low);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Carry(int slot)
    {
        _carries[slot]++;
        _carried = true;
    }
}
