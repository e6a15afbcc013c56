namespace AuctionEngine.Management.Internal;

/// <summary>A set of small integer items with O(1) add, remove and dense iteration (removal swaps in the last item).</summary>
internal sealed class IndexedSet
{
    private int[] _items;
    private int[] _position; // index + 1; 0 when absent
    private int _count;

    public IndexedSet(int itemCapacity)
    {
        _items = new int[itemCapacity];
        _position = new int[itemCapacity];
    }

    public ReadOnlySpan<int> Items => _items.AsSpan(0, _count);

    public void Grow(int itemCapacity)
    {
        Array.Resize(ref _items, itemCapacity);
        Array.Resize(ref _position, itemCapacity);
    }

    public void Add(int item)
    {
        if (_position[item] != 0)
        {
            return;
        }

        _items[_count] = item;
        _position[item] = ++_count;
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
        if (index != last)
        {
            _items[index] = _items[last];
            _position[_items[index]] = index + 1;
        }
    }

    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            _position[_items[i]] = 0;
        }

        _count = 0;
    }
}
