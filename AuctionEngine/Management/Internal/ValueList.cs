namespace AuctionEngine.Management.Internal;

/// <summary>A reusable growable buffer: it allocates only when it outgrows its largest size so far (warm-up).</summary>
internal sealed class ValueList<T>
{
    private T[] _items;

    public ValueList(int capacity) => _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public Span<T> Span => _items.AsSpan(0, Count);

    public ref T this[int index] => ref _items[index];

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public void Clear() => Count = 0;

    /// <summary>Makes <see cref="Span"/> at least <paramref name="count"/> long (a scratch buffer's contents are not kept meaningful).</summary>
    public void EnsureCount(int count)
    {
        if (_items.Length < count)
        {
            Array.Resize(ref _items, Math.Max(count, _items.Length * 2));
        }

        Count = Math.Max(Count, count);
    }

    public void RemoveRange(int start, int count)
    {
        Array.Copy(_items, start + count, _items, start, Count - start - count);
        Count -= count;
    }

    public void RemoveAt(int index) => RemoveRange(index, 1);
}
