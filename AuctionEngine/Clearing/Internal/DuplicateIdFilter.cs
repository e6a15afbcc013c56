using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AuctionEngine.Clearing.Internal;

/// <summary>
/// A first-pass filter for repeated order ids: three bits per id hash, all in one 64-bit word of a bitmap small
/// enough to stay in cache (a blocked Bloom filter). An id whose three bits are already set becomes a
/// <em>suspect</em>; only orders whose hash is suspect need the exact check, which honest batches run on well under
/// one percent of their orders, if any.
/// </summary>
/// <remarks>
/// <para>
/// Ids are hashed with a bijective 64-bit mix, so two orders have equal hashes exactly when they have equal ids:
/// the exact check can compare hashes. Every repeated id is caught, because its second copy finds its own bits set
/// and marks the hash suspect, and every copy of a suspect hash is then re-examined.
/// </para>
/// <para>
/// The seen bitmap holds 16 bits per order (2 MiB for a million orders), so about 0.5% of an honest batch's ids are
/// false suspects. An adversary who aims ids at the same bits only makes more orders suspect; the exact check
/// is a radix sort of the suspects, whose cost no choice of ids can push past one sort of the whole batch.
/// </para>
/// </remarks>
internal sealed class DuplicateIdFilter
{
    private const int SeenBitsPerId = 16;
    private const int SuspectBitsPerId = 2;

    private readonly ulong[] _seen;
    private readonly ulong[] _suspect;
    private int _seenWords;
    private int _suspectWords;
    private int _seenShift;
    private int _suspectShift;
    private int _suspectCount;

    public DuplicateIdFilter(int capacity)
    {
        _seen = new ulong[WordsFor(capacity, SeenBitsPerId)];
        _suspect = new ulong[WordsFor(capacity, SuspectBitsPerId)];
    }

    /// <summary>How many ids found their bit already set in this batch; 0 means every id is certainly unique.</summary>
    public int SuspectCount => _suspectCount;

    /// <summary>Starts a batch of at most <paramref name="count"/> ids, clearing only the part of the bitmaps it uses.</summary>
    public void Reset(int count)
    {
        _seenWords = WordsFor(count, SeenBitsPerId);
        _suspectWords = WordsFor(count, SuspectBitsPerId);
        Debug.Assert(_seenWords <= _seen.Length && _suspectWords <= _suspect.Length);
        Array.Clear(_seen, 0, _seenWords);
        Array.Clear(_suspect, 0, _suspectWords);
        _seenShift = 64 - BitOperations.Log2((uint)_seenWords);
        _suspectShift = 64 - 6 - BitOperations.Log2((uint)_suspectWords);
        _suspectCount = 0;
    }

    /// <summary>The id's hash: a bijection, so equal hashes mean equal ids. SplitMix64's finaliser.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ulong id)
    {
        id = (id ^ (id >> 30)) * 0xBF58476D1CE4E5B9UL;
        id = (id ^ (id >> 27)) * 0x94D049BB133111EBUL;
        return id ^ (id >> 31);
    }

    /// <summary>
    /// The state <see cref="Adder.Add"/> needs, for a caller to hold in locals through its loop: through the filter
    /// object, every id would reload the bitmap and the shift from memory.
    /// </summary>
    public Adder StartAdding() => new(this);

    /// <summary>Adds ids to one batch of a <see cref="DuplicateIdFilter"/>; see <see cref="StartAdding"/>.</summary>
    public readonly ref struct Adder
    {
        private readonly Span<ulong> _seen;
        private readonly int _shift;
        private readonly DuplicateIdFilter _filter;

        internal Adder(DuplicateIdFilter filter)
        {
            _seen = filter._seen.AsSpan(0, filter._seenWords);
            _shift = filter._seenShift;
            _filter = filter;
        }

        /// <summary>
        /// Asks the CPU to start loading the bitmap word <paramref name="hash"/> falls in, a few orders before
        /// <see cref="Adder.Add"/> needs it, so that the loads overlap instead of each waiting a full cache miss.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public unsafe void Prefetch(ulong hash)
        {
            if (Sse.IsSupported)
            {
                // A prefetch is only a hint and cannot fault, so an unpinned address is harmless.
                ref ulong word = ref Unsafe.Add(ref MemoryMarshal.GetReference(_seen), (nint)(hash >> _shift));
                Sse.Prefetch0(Unsafe.AsPointer(ref word));
            }
        }

        /// <summary>Records one id by its <paramref name="hash"/>, marking the hash suspect if its three bits were already set.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ulong hash)
        {
            ref ulong word = ref _seen[(int)(hash >> _shift)];
            ulong bits = SeenBits(hash);
            if ((word & bits) == bits)
            {
                _filter.MarkSuspect(hash);
            }

            word |= bits;
        }
    }

    /// <summary>
    /// Writes (hash, index) for every position of <paramref name="hashes"/> whose hash is suspect, so that the exact
    /// check can sort them: every copy of a repeated id is among them.
    /// </summary>
    /// <returns>How many records it wrote to <paramref name="suspects"/>.</returns>
    public int GatherSuspects(ReadOnlySpan<ulong> hashes, Span<KeyedValue> suspects)
    {
        ReadOnlySpan<ulong> bitmap = _suspect.AsSpan(0, _suspectWords);
        int shift = _suspectShift;
        int count = 0;
        for (int i = 0; i < hashes.Length; i++)
        {
            ulong bitIndex = hashes[i] >> shift;
            if ((bitmap[(int)(bitIndex >> 6)] & (1UL << (int)bitIndex)) != 0)
            {
                suspects[count++] = new KeyedValue(hashes[i], i);
            }
        }

        return count;
    }

    /// <summary>
    /// For filters that each took one slice of a batch, reset for the same count so that they share a layout: writes
    /// the bits set in the seen bitmaps of at least two of them, where an id added to two filters has all three of its bits.
    /// </summary>
    public static void FindSeenInSeveral(ReadOnlySpan<DuplicateIdFilter> filters, Span<ulong> seenInSeveral)
    {
        int words = filters[0]._seenWords;
        Debug.Assert(seenInSeveral.Length >= words);
        seenInSeveral = seenInSeveral[..words];
        seenInSeveral.Clear();
        for (int f = 1; f < filters.Length; f++)
        {
            Debug.Assert(filters[f]._seenWords == words);
            ReadOnlySpan<ulong> seen = filters[f]._seen.AsSpan(0, words);
            for (int w = 0; w < words; w++)
            {
                ulong seenEarlier = 0;
                for (int e = 0; e < f; e++)
                {
                    seenEarlier |= filters[e]._seen[w];
                }

                seenInSeveral[w] |= seenEarlier & seen[w];
            }
        }
    }

    /// <summary>
    /// The lane form of <see cref="GatherSuspects(ReadOnlySpan{ulong}, Span{KeyedValue})"/>, for a filter that took one
    /// slice of a batch (the hashes from index <paramref name="firstIndex"/>): also gathers every hash whose three bits are
    /// set in <paramref name="seenInSeveral"/> (see <see cref="FindSeenInSeveral"/>), since a copy of it may sit in
    /// another slice.
    /// </summary>
    /// <returns>How many records it wrote to <paramref name="suspects"/>.</returns>
    public int GatherSuspects(ReadOnlySpan<ulong> hashes, int firstIndex, ReadOnlySpan<ulong> seenInSeveral, Span<KeyedValue> suspects)
    {
        ReadOnlySpan<ulong> bitmap = _suspect.AsSpan(0, _suspectWords);
        seenInSeveral = seenInSeveral[.._seenWords];
        int suspectShift = _suspectShift;
        int seenShift = _seenShift;
        int count = 0;
        for (int i = 0; i < hashes.Length; i++)
        {
            ulong hash = hashes[i];
            ulong bitIndex = hash >> suspectShift;
            ulong word = seenInSeveral[(int)(hash >> seenShift)];
            ulong bits = SeenBits(hash);
            if (((bitmap[(int)(bitIndex >> 6)] & (1UL << (int)bitIndex)) != 0) | ((word & bits) == bits))
            {
                suspects[count++] = new KeyedValue(hash, firstIndex + i);
            }
        }

        return count;
    }

    /// <summary>How many words the seen bitmap of a batch of <paramref name="count"/> ids takes.</summary>
    public static int SeenWordsFor(int count) => WordsFor(count, SeenBitsPerId);

    /// <summary>
    /// The three bits an id sets in its word of the seen bitmap. They come from the hash's lowest eighteen bits and the
    /// word from its top bits (at most 26 of them, for <see cref="Clearing.ClearingEngine.MaxCapacity"/> ids), so the
    /// two are independent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SeenBits(ulong hash) => (1UL << (int)hash) | (1UL << (int)(hash >> 6)) | (1UL << (int)(hash >> 12));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MarkSuspect(ulong hash)
    {
        ulong bitIndex = hash >> _suspectShift;
        _suspect[(int)(bitIndex >> 6)] |= 1UL << (int)bitIndex;
        _suspectCount++;
    }

    /// <summary>Whole 64-bit words, a power of two of them (at least two), for at least <paramref name="bitsPerId"/> bits per id.</summary>
    private static int WordsFor(int count, int bitsPerId) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, (long)count * bitsPerId / 64));
}
