using System.Runtime.CompilerServices;

namespace AuctionEngine.Management.Internal;

/// <summary>
/// The trailing stops of one direction that are tracking, as struct-of-arrays so one block's update is a linear pass
/// over dense <see cref="long"/> arrays.
/// </summary>
/// <remarks>
/// <para>
/// A sell trails the highest oracle (<see cref="Rising"/> false): it triggers when <c>oracle × 10000 ≤ extreme × (10000 − bps)</c>,
/// which for an integer oracle is <c>oracle ≤ ⌊extreme × (10000 − bps) / 10000⌋</c>, the threshold kept beside the extreme.
/// A buy trails the lowest oracle: it triggers when <c>oracle × 10000 ≥ extreme × (10000 + bps)</c>, that is
/// <c>oracle ≥ ⌈extreme × (10000 + bps) / 10000⌉</c>. Both are exact: the threshold only moves the comparison to one side.
/// </para>
/// <para>
/// The extreme is updated first. A new extreme never triggers in the same observation (its threshold lies strictly
/// past it for 1 ≤ bps ≤ 9,999), so the pass checks the threshold only when the extreme did not move.
/// </para>
/// </remarks>
internal sealed class TrailingSet
{
    private long[] _extreme;
    private long[] _threshold;
    private long[] _factor; // 10000 - bps for a sell, 10000 + bps for a buy
    private int[] _legs;
    private int[] _position; // by leg: index + 1; 0 when absent
    private int _count;

    public TrailingSet(bool rising, int capacity)
    {
        Rising = rising;
        _extreme = new long[capacity];
        _threshold = new long[capacity];
        _factor = new long[capacity];
        _legs = new int[capacity];
        _position = new int[capacity];
    }

    /// <summary>Whether these are buys, which trail the lowest price and trigger on a rise.</summary>
    public bool Rising { get; }

    public void Grow(int legCapacity)
    {
        Array.Resize(ref _extreme, legCapacity);
        Array.Resize(ref _threshold, legCapacity);
        Array.Resize(ref _factor, legCapacity);
        Array.Resize(ref _legs, legCapacity);
        Array.Resize(ref _position, legCapacity);
    }

    public long ExtremeOf(int leg) => _extreme[_position[leg] - 1];

    public void Add(int leg, long extreme, int trailingBps)
    {
        int index = _count++;
        long factor = Rising ? 10_000 + trailingBps : 10_000 - trailingBps;
        _extreme[index] = extreme;
        _factor[index] = factor;
        _threshold[index] = Threshold(extreme, factor);
        _legs[index] = leg;
        _position[leg] = index + 1;
    }

    public void Remove(int leg)
    {
        int index = _position[leg] - 1;
        if (index < 0)
        {
            return;
        }

        _position[leg] = 0;
        int last = --_count;
        if (index != last)
        {
            _extreme[index] = _extreme[last];
            _threshold[index] = _threshold[last];
            _factor[index] = _factor[last];
            _legs[index] = _legs[last];
            _position[_legs[index]] = index + 1;
        }
    }

    /// <summary>Updates every extreme with <paramref name="oracle"/> and appends the legs that trigger to <paramref name="triggered"/>.</summary>
    public void Update(long oracle, ValueList<int> triggered)
    {
        if (Rising)
        {
            UpdateRising(oracle, triggered);
        }
        else
        {
            UpdateFalling(oracle, triggered);
        }
    }

    private void UpdateFalling(long oracle, ValueList<int> triggered)
    {
        Span<long> extreme = _extreme.AsSpan(0, _count);
        Span<long> threshold = _threshold.AsSpan(0, _count);
        ReadOnlySpan<long> factor = _factor.AsSpan(0, _count);
        for (int i = 0; i < extreme.Length; i++)
        {
            if (oracle > extreme[i])
            {
                extreme[i] = oracle;
                threshold[i] = oracle * factor[i] / 10_000;
            }
            else if (oracle <= threshold[i])
            {
                triggered.Add(_legs[i]);
            }
        }
    }

    private void UpdateRising(long oracle, ValueList<int> triggered)
    {
        Span<long> extreme = _extreme.AsSpan(0, _count);
        Span<long> threshold = _threshold.AsSpan(0, _count);
        ReadOnlySpan<long> factor = _factor.AsSpan(0, _count);
        for (int i = 0; i < extreme.Length; i++)
        {
            if (oracle < extreme[i])
            {
                extreme[i] = oracle;
                threshold[i] = ((oracle * factor[i]) + 9_999) / 10_000;
            }
            else if (oracle >= threshold[i])
            {
                triggered.Add(_legs[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Threshold(long extreme, long factor) =>
        Rising ? ((extreme * factor) + 9_999) / 10_000 : extreme * factor / 10_000;
}
