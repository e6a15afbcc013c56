using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AuctionEngine.Clearing;

/// <summary>
/// Lots per tick, per side, over a window of consecutive ticks, filled while the orders are read so that a book in
/// a band of prices needs no second pass and no sort. Orders outside the window are the caller's to handle.
/// </summary>
/// <remarks>
/// <para>
/// Bins are 64-bit: buys and sells of one tick sit side by side (one cache line serves both) and an addition is a
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
    private readonly int _width;
    private readonly int _marketSlot;
    private long _windowLow;
    private bool _carried;

    /// <param name="width">How many consecutive ticks the window covers.</param>
    public PriceHistogram(int width)
    {
        _width = width;
        _marketSlot = 2 * width;
        _bins = new ulong[(2 * width) + 2];
        _carries = new ulong[_bins.Length];
    }

    /// <summary>The lowest tick of the window.</summary>
    public long WindowLow => _windowLow;

    /// <summary>The highest tick of the window.</summary>
    public long WindowHigh => _windowLow + _width - 1;

    /// <summary>Places the window so that it starts at <paramref name="low"/> (at least 1). Every bin must be zero.</summary>
    public void SetWindow(long low)
    {
        Debug.Assert(low >= 1);
        _windowLow = Math.Min(low, long.MaxValue - _width + 1);
    }

    /// <summary>The window of this histogram's width centred on <paramref name="price"/>, kept inside the positive ticks.</summary>
    public long WindowAround(long price) => Math.Max(1, price - (_width / 2));

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
        private readonly int _width;
        private readonly PriceHistogram _histogram;

        internal Adder(PriceHistogram histogram)
        {
            _bins = histogram._bins;
            _windowLow = histogram._windowLow;
            _width = histogram._width;
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
            if (offset >= (ulong)_width & !market)
            {
                return false;
            }

            // Branch-free: which side and whether an order is a market order are both unpredictable.
            long sellMask = signedQuantity >> 63;
            int slot = market ? 2 * _width : (int)offset * 2;
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
    /// Writes the non-empty ticks between <paramref name="minLimit"/> and <paramref name="maxLimit"/> (clamped to the
    /// window) as price levels, ascending, and zeroes every bin it read.
    /// </summary>
    /// <returns>The number of levels written.</returns>
    public int Drain(long minLimit, long maxLimit, Span<long> prices, Span<UInt128> buys, Span<UInt128> sells, out UInt128 marketBuy, out UInt128 marketSell)
    {
        marketBuy = Take(_marketSlot);
        marketSell = Take(_marketSlot + 1);
        int levels = 0;
        // Offsets from the window's start, so that a window ending at long.MaxValue cannot overflow the loop.
        long first = Math.Max(minLimit, _windowLow);
        long last = Math.Min(maxLimit, WindowHigh);
        int firstTick = first <= last ? (int)(first - _windowLow) : 0;
        int lastTick = first <= last ? (int)(last - _windowLow) : -1;
        for (int tick = firstTick; tick <= lastTick; tick++)
        {
            int slot = tick * 2;
            if ((_bins[slot] | _bins[slot + 1]) == 0 && !_carried)
            {
                continue;
            }

            UInt128 buy = Take(slot);
            UInt128 sell = Take(slot + 1);
            if ((buy | sell) != UInt128.Zero)
            {
                prices[levels] = _windowLow + tick;
                buys[levels] = buy;
                sells[levels] = sell;
                levels++;
            }
        }

        _carried = false;
        return levels;
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s bins between <paramref name="minLimit"/> and <paramref name="maxLimit"/> and its
    /// market bins into this histogram, exactly, and zeroes them in <paramref name="other"/>. Both must share a window.
    /// </summary>
    public void Absorb(PriceHistogram other, long minLimit, long maxLimit)
    {
        Debug.Assert(other._windowLow == _windowLow && other._width == _width);
        long first = Math.Max(minLimit, _windowLow);
        long last = Math.Min(maxLimit, WindowHigh);
        if (first <= last)
        {
            int start = (int)(first - _windowLow) * 2;
            int end = ((int)(last - _windowLow) * 2) + 2;
            for (int slot = start; slot < end; slot++)
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

    /// <summary>Zeroes the bins between <paramref name="minLimit"/> and <paramref name="maxLimit"/> and the market bins, discarding what was added.</summary>
    public void Clear(long minLimit, long maxLimit)
    {
        long first = Math.Max(minLimit, _windowLow);
        long last = Math.Min(maxLimit, WindowHigh);
        if (first <= last)
        {
            int start = (int)(first - _windowLow) * 2;
            int length = (int)(last - first + 1) * 2;
            _bins.AsSpan(start, length).Clear();
            _carries.AsSpan(start, length).Clear();
        }

        _bins.AsSpan(_marketSlot, 2).Clear();
        _carries.AsSpan(_marketSlot, 2).Clear();
        _carried = false;
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
