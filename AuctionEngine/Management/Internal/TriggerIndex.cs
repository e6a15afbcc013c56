namespace AuctionEngine.Management.Internal;

/// <summary>
/// The legs waiting for one direction of trigger, by key (a falling trigger's key is its negated price, so both
/// directions pop the smallest key first): a long sorted run that a block's triggers consume from its front, plus a
/// small heap of the legs added since the run was last rebuilt.
/// </summary>
/// <remarks>
/// <para>
/// A heap of a million legs costs a cache miss per level on every pop (about 20 per triggered leg); the run gives
/// the triggered legs as one contiguous, sequential stretch. New legs go to the heap (small enough to stay in cache)
/// and are merged into the run, sequentially, once it holds 4,096 of them: a million-leg run costs a few milliseconds
/// to rebuild, under a microsecond per leg added, paid when instructions arrive rather than when they trigger. A removed leg is found by binary search on its key (it knows its own price) and left as a
/// tombstone that the next merge drops.
/// </para>
/// <para>
/// Each entry carries a tag beside its leg (the manager's: the first 8 bytes of the instruction's id, its sort key), so
/// that the legs a block takes can be sorted without reading their records, which lie scattered over the arrays of a
/// million instructions.
/// </para>
/// <para>
/// Which of two equal keys comes out first depends on insertion history; callers take every leg at or past a bound
/// and sort them by instruction id, so it is never observable.
/// </para>
/// </remarks>
internal sealed class TriggerIndex
{
    private const int MergeThreshold = 4_096;
    private const int Removed = -1;

    private readonly IndexedHeap _recent;
    private ulong[] _recentTags; // by leg, for the legs in the heap
    private long[] _keys;
    private int[] _legs;
    private ulong[] _tags;
    private long[] _spareKeys;
    private int[] _spareLegs;
    private ulong[] _spareTags;
    private int _start;
    private int _end;
    private int _tombstones;

    public TriggerIndex(int legCapacity)
    {
        _recent = new IndexedHeap(legCapacity);
        _recentTags = new ulong[legCapacity];
        _keys = new long[MergeThreshold];
        _legs = new int[MergeThreshold];
        _tags = new ulong[MergeThreshold];
        _spareKeys = new long[MergeThreshold];
        _spareLegs = new int[MergeThreshold];
        _spareTags = new ulong[MergeThreshold];
    }

    public int Count => _end - _start - _tombstones + _recent.Count;

    public void Grow(int legCapacity)
    {
        _recent.Grow(legCapacity);
        Array.Resize(ref _recentTags, legCapacity);
    }

    public void Insert(int leg, long key, ulong tag = 0)
    {
        _recent.Insert(leg, key);
        _recentTags[leg] = tag;
        if (_recent.Count >= MergeThreshold)
        {
            Merge();
        }
    }

    /// <summary>Removes a leg inserted with <paramref name="key"/>; nothing happens if it is not in the index.</summary>
    public void Remove(int leg, long key)
    {
        if (_recent.Contains(leg))
        {
            _recent.Remove(leg);
            return;
        }

        int index = LowerBound(key);
        for (; index < _end && _keys[index] == key; index++)
        {
            if (_legs[index] == leg)
            {
                _legs[index] = Removed;
                _tombstones++;
                return;
            }
        }
    }

    /// <summary>Whether the smallest key is at most <paramref name="bound"/>.</summary>
    public bool TopIsAtMost(long bound)
    {
        SkipTombstones();
        return (_start < _end && _keys[_start] <= bound) || _recent.TopIsAtMost(bound);
    }

    /// <summary>Takes the leg with the smallest key (call after <see cref="TopIsAtMost"/> said there is one).</summary>
    public int Pop() => Pop(out _);

    /// <summary>Takes the leg with the smallest key and gives the tag it was inserted with.</summary>
    public int Pop(out ulong tag)
    {
        SkipTombstones();
        if (_start < _end && !_recent.TopIsAtMost(_keys[_start] - 1))
        {
            tag = _tags[_start];
            return _legs[_start++];
        }

        int leg = _recent.Pop();
        tag = _recentTags[leg];
        return leg;
    }

    private void SkipTombstones()
    {
        while (_start < _end && _legs[_start] == Removed)
        {
            _start++;
            _tombstones--;
        }
    }

    private int LowerBound(long key)
    {
        int low = _start;
        int high = _end;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            if (_keys[middle] < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Merges the heap into the run, dropping tombstones: one sequential pass.</summary>
    private void Merge()
    {
        int size = _end - _start - _tombstones + _recent.Count;
        if (_spareKeys.Length < size)
        {
            int capacity = Math.Max(size, _spareKeys.Length * 2);
            _spareKeys = new long[capacity];
            _spareLegs = new int[capacity];
            _spareTags = new ulong[capacity];
        }

        int written = 0;
        int index = _start;
        while (true)
        {
            while (index < _end && _legs[index] == Removed)
            {
                index++;
            }

            bool fromRun = index < _end;
            bool fromHeap = _recent.Count != 0;
            if (!fromRun && !fromHeap)
            {
                break;
            }

            if (fromRun && (!fromHeap || !_recent.TopIsAtMost(_keys[index] - 1)))
            {
                _spareKeys[written] = _keys[index];
                _spareTags[written] = _tags[index];
                _spareLegs[written++] = _legs[index++];
            }
            else
            {
                _spareKeys[written] = _recent.TopKey;
                int leg = _recent.Pop();
                _spareTags[written] = _recentTags[leg];
                _spareLegs[written++] = leg;
            }
        }

        (_keys, _spareKeys) = (_spareKeys, _keys);
        (_legs, _spareLegs) = (_spareLegs, _legs);
        (_tags, _spareTags) = (_spareTags, _tags);
        _start = 0;
        _end = written;
        _tombstones = 0;
    }
}
