using System.Runtime.CompilerServices;

namespace AuctionEngine.Perpetuals.Internal;

/// <summary>
/// Finds a block's liquidatable accounts without visiting the healthy ones that hold a single position.
/// </summary>
/// <remarks>
/// <para>
/// An account with one position of n lots in one market is liquidatable exactly when C' / |n| &lt; θ, where
/// C' = collateral + n × (the funding index its position last settled at) does not change when funding accrues or
/// the oracle moves, and θ depends only on the market, the side, the oracle and the funding index (see
/// <see cref="PerpetualEngine.LiquidationThreshold"/>). So such accounts sit in one array per market and side,
/// sorted by ⌊C' / |n|⌋, and a block's candidates are the prefix with a key at most ⌊θ⌋, found by binary search:
/// every one below ⌊θ⌋ is liquidatable and the ones equal to it are checked exactly.
/// </para>
/// <para>
/// An account that changes (a fill, a deposit) gets a new version, which makes its entries stale, and joins a
/// dirty list checked one by one each block; when the list grows past 1/32 of the index (at least 4,096), the
/// dirty accounts are merged in, in one linear pass into spare arrays. Accounts with several positions are kept in a
/// list with their C' = collateral + Σ n × entry index, so that checking one reads its positions and nothing else.
/// Nothing is allocated once the arrays have grown to the accounts' number.
/// </para>
/// </remarks>
internal sealed class LiquidationIndex
{

    private Entry[][] _sides = [];
    private Entry[][] _spares = [];
    private int[] _sideCounts = [];
    private Entry[][] _fresh = [];
    private int[] _freshCounts = [];
    private int[] _multi = [];
    private int[] _multiVersions = [];
    private Int128[] _multiAdjusted = [];
    private int _multiCount;
    private int[] _multiSpare = [];
    private int[] _multiVersionsSpare = [];
    private Int128[] _multiAdjustedSpare = [];

    private int[] _versions = [];
    private bool[] _isDirty = [];
    private int[] _dirty = [];
    private int _dirtyCount;
    private int _indexed;

    /// <summary>How many accounts may wait in the dirty list before a merge, at least (tests lower it to merge often).</summary>
    public int MinimumDirtyBeforeMerge { get; set; } = 4096;

    /// <summary>Marks an account as changed: its indexed entries are stale until the next merge.</summary>
    public void MarkDirty(int id)
    {
        if (id >= _versions.Length)
        {
            Grow(id + 1);
        }

        _versions[id]++;
        if (!_isDirty[id])
        {
            _isDirty[id] = true;
            _dirty[_dirtyCount++] = id;
        }
    }

    /// <summary>Writes every liquidatable account (unsorted) into <paramref name="output"/> and returns how many.</summary>
    public int CollectLiquidatable(PerpetualEngine engine, ref int[] output)
    {
        int markets = engine.MarketCount;
        if (_sides.Length != 2 * markets)
        {
            Initialise(markets);
        }

        if (_dirtyCount > Math.Max(MinimumDirtyBeforeMerge, _indexed / 32) || (MinimumDirtyBeforeMerge == 0 && _dirtyCount > 0))
        {
            Merge(engine);
        }

        int count = 0;
        for (int side = 0; side < _sides.Length; side++)
        {
            Int128 threshold = engine.LiquidationThreshold(side >> 1, isLong: (side & 1) == 0);
            Entry[] entries = _sides[side];
            int end = UpperBound(entries, _sideCounts[side], threshold);
            for (int i = 0; i < end; i++)
            {
                ref readonly Entry entry = ref entries[i];
                if (entry.Version == _versions[entry.Account] && engine.IsLiquidatableNow(entry.Account))
                {
                    Append(ref output, ref count, entry.Account);
                }
            }
        }

        for (int i = 0; i < _multiCount; i++)
        {
            int id = _multi[i];
            if (_multiVersions[i] == _versions[id] && engine.IsLiquidatableFromAdjusted(id, _multiAdjusted[i]))
            {
                Append(ref output, ref count, id);
            }
        }

        for (int i = 0; i < _dirtyCount; i++)
        {
            int id = _dirty[i];
            if (engine.IsLiquidatableNow(id))
            {
                Append(ref output, ref count, id);
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Append(ref int[] output, ref int count, int id)
    {
        if (count == output.Length)
        {
            Array.Resize(ref output, Math.Max(64, output.Length * 2));
        }

        output[count++] = id;
    }

    /// <summary>The number of entries with a key at most <paramref name="threshold"/> (they are a prefix).</summary>
    private static int UpperBound(Entry[] entries, int count, Int128 threshold)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            if (entries[middle].Key <= threshold)
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

    private void Initialise(int markets)
    {
        _sides = new Entry[2 * markets][];
        _spares = new Entry[2 * markets][];
        _fresh = new Entry[2 * markets][];
        for (int i = 0; i < _sides.Length; i++)
        {
            _sides[i] = [];
            _spares[i] = [];
            _fresh[i] = [];
        }

        _sideCounts = new int[2 * markets];
        _freshCounts = new int[2 * markets];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, Math.Max(1024, _versions.Length * 2));
        Array.Resize(ref _versions, capacity);
        Array.Resize(ref _isDirty, capacity);
        Array.Resize(ref _dirty, capacity);
    }

    /// <summary>Folds the dirty accounts into the sorted arrays and the multi-position list.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Merge(PerpetualEngine engine)
    {
        Array.Clear(_freshCounts);
        int freshMulti = 0;
        for (int i = 0; i < _dirtyCount; i++)
        {
            int id = _dirty[i];
            _isDirty[id] = false;
            int positions = engine.SinglePosition(id, out int market, out long lots, out Int128 key, out Int128 adjusted);
            if (positions == 1)
            {
                int side = (2 * market) + (lots > 0 ? 0 : 1);
                Push(ref _fresh[side], ref _freshCounts[side], new Entry(key, id, _versions[id]));
            }
            else if (positions > 1)
            {
                // Fresh multi-position accounts go to the spare list's tail after the surviving ones (below).
                EnsureMultiSpare(_multiCount + freshMulti + 1);
                _multiSpare[_multiCount + freshMulti] = id;
                _multiVersionsSpare[_multiCount + freshMulti] = _versions[id];
                _multiAdjustedSpare[_multiCount + freshMulti] = adjusted;
                freshMulti++;
            }
        }

        _dirtyCount = 0;
        _indexed = 0;
        for (int side = 0; side < _sides.Length; side++)
        {
            Span<Entry> fresh = _fresh[side].AsSpan(0, _freshCounts[side]);
            HeapSort.Sort(fresh, default(EntryComparer));
            Entry[] old = _sides[side];
            int oldCount = _sideCounts[side];
            Entry[] target = _spares[side];
            if (target.Length < oldCount + fresh.Length)
            {
                target = new Entry[Math.Max(oldCount + fresh.Length, target.Length * 2)];
            }

            int written = 0;
            int a = 0;
            int b = 0;
            while (true)
            {
                while (a < oldCount && old[a].Version != _versions[old[a].Account])
                {
                    a++;
                }

                if (a < oldCount && (b == fresh.Length || default(EntryComparer).Compare(old[a], fresh[b]) <= 0))
                {
                    target[written++] = old[a++];
                }
                else if (b < fresh.Length)
                {
                    target[written++] = fresh[b++];
                }
                else
                {
                    break;
                }
            }

            _spares[side] = old;
            _sides[side] = target;
            _sideCounts[side] = written;
            _indexed += written;
        }

        // Surviving multi-position entries in front of the fresh ones, in place in the spare list.
        int kept = 0;
        for (int i = 0; i < _multiCount; i++)
        {
            if (_multiVersions[i] == _versions[_multi[i]])
            {
                _multiSpare[kept] = _multi[i];
                _multiVersionsSpare[kept] = _multiVersions[i];
                _multiAdjustedSpare[kept] = _multiAdjusted[i];
                kept++;
            }
        }

        Array.Copy(_multiSpare, _multiCount, _multiSpare, kept, freshMulti);
        Array.Copy(_multiVersionsSpare, _multiCount, _multiVersionsSpare, kept, freshMulti);
        Array.Copy(_multiAdjustedSpare, _multiCount, _multiAdjustedSpare, kept, freshMulti);
        (_multi, _multiSpare) = (_multiSpare, _multi);
        (_multiVersions, _multiVersionsSpare) = (_multiVersionsSpare, _multiVersions);
        (_multiAdjusted, _multiAdjustedSpare) = (_multiAdjustedSpare, _multiAdjusted);
        _multiCount = kept + freshMulti;
        _indexed += _multiCount;
    }

    private void EnsureMultiSpare(int needed)
    {
        if (_multiSpare.Length < needed)
        {
            int capacity = Math.Max(needed, Math.Max(64, _multiSpare.Length * 2));
            Array.Resize(ref _multiSpare, capacity);
            Array.Resize(ref _multiVersionsSpare, capacity);
            Array.Resize(ref _multiAdjustedSpare, capacity);
            Array.Resize(ref _multi, capacity);
            Array.Resize(ref _multiVersions, capacity);
            Array.Resize(ref _multiAdjusted, capacity);
        }
    }

    private static void Push(ref Entry[] array, ref int count, Entry entry)
    {
        if (count == array.Length)
        {
            Array.Resize(ref array, Math.Max(64, array.Length * 2));
        }

        array[count++] = entry;
    }

    private readonly record struct Entry(Int128 Key, int Account, int Version);

    private readonly struct EntryComparer : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            int c = x.Key.CompareTo(y.Key);
            return c != 0 ? c : x.Account.CompareTo(y.Account);
        }
    }
}
