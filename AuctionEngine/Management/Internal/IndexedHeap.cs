using System.Runtime.CompilerServices;

namespace AuctionEngine.Management.Internal;

/// <summary>
/// A binary min-heap of small integer items (leg or instruction slots) keyed by a <see cref="long"/>, that also knows
/// where each item sits so that a cancelled item leaves in O(log n). A max-heap stores negated keys.
/// </summary>
/// <remarks>
/// Which of two equal keys pops first depends on insertion order; callers only ever take every item at or past a
/// bound and then sort them by instruction id, so the order the heap yields them in is never observable.
/// </remarks>
internal sealed class IndexedHeap
{
    private long[] _keys;
    private int[] _items;
    private int[] _position; // position[item] = index in the heap + 1; 0 when absent
    private int _count;

    public IndexedHeap(int itemCapacity)
    {
        _keys = new long[itemCapacity];
        _items = new int[itemCapacity];
        _position = new int[itemCapacity];
    }

    public int Count => _count;

    public void Grow(int itemCapacity)
    {
        Array.Resize(ref _keys, itemCapacity);
        Array.Resize(ref _items, itemCapacity);
        Array.Resize(ref _position, itemCapacity);
    }

    public bool Contains(int item) => _position[item] != 0;

    public void Insert(int item, long key)
    {
        int index = _count++;
        _keys[index] = key;
        _items[index] = item;
        _position[item] = index + 1;
        SiftUp(index);
    }

    public void Remove(int item)
    {
        int index = _position[item] - 1;
        if (index < 0)
        {
            return;
        }

        _position[item] = 0;
        int last = --_count;
        if (index == last)
        {
            return;
        }

        _keys[index] = _keys[last];
        _items[index] = _items[last];
        _position[_items[index]] = index + 1;
        if (index > 0 && _keys[index] < _keys[(index - 1) >> 1])
        {
            SiftUp(index);
        }
        else
        {
            SiftDown(index);
        }
    }

    /// <summary>Whether the smallest key is at most <paramref name="bound"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TopIsAtMost(long bound) => _count != 0 && _keys[0] <= bound;

    /// <summary>The smallest key; only when <see cref="Count"/> is not 0.</summary>
    public long TopKey => _keys[0];

    public int Pop()
    {
        int item = _items[0];
        _position[item] = 0;
        int last = --_count;
        if (last > 0)
        {
            _keys[0] = _keys[last];
            _items[0] = _items[last];
            _position[_items[0]] = 1;
            SiftDown(0);
        }

        return item;
    }

    private void SiftUp(int index)
    {
        long key = _keys[index];
        int item = _items[index];
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            _keys[index] = _keys[parent];
            _items[index] = _items[parent];
            _position[_items[index]] = index + 1;
            index = parent;
        }

        _keys[index] = key;
        _items[index] = item;
        _position[item] = index + 1;
    }

    private void SiftDown(int index)
    {
        long key = _keys[index];
        int item = _items[index];
        int half = _count >> 1;
        while (index < half)
        {
            int child = (2 * index) + 1;
            if (child + 1 < _count && _keys[child + 1] < _keys[child])
            {
                child++;
            }

            if (key <= _keys[child])
            {
                break;
            }

            _keys[index] = _keys[child];
            _items[index] = _items[child];
            _position[_items[index]] = index + 1;
            index = child;
        }

        _keys[index] = key;
        _items[index] = item;
        _position[item] = index + 1;
    }
}
