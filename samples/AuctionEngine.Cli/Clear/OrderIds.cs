namespace AuctionEngine.Cli.Clear;

/// <summary>
/// Where the orders' id text lives once they are read: a CSV book reads it back from the file when it is needed
/// (for output, and to tell a hash collision from a duplicate), so that memory never grows with the file's text.
/// </summary>
/// <remarks>Implementations are safe to call from several threads at once, each with its own <see cref="IdBatch"/>.</remarks>
internal interface IOrderIds : IDisposable
{
    /// <summary>Fills <paramref name="batch"/> with the UTF-8 ids of orders <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1.</summary>
    /// <exception cref="OrderFileException">The file no longer holds what was read from it.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    void Read(int first, int count, IdBatch batch);
}

/// <summary>The ids of a run of consecutive orders, in one reusable buffer.</summary>
internal sealed class IdBatch
{
    private int[] _start = new int[64];
    private int[] _length = new int[64];

    /// <summary>The buffer the ids are sliced from; implementations grow it with <see cref="EnsureBuffer"/>.</summary>
    public byte[] Buffer { get; private set; } = new byte[4096];

    /// <summary>The order index of the first id.</summary>
    public int First { get; private set; }

    /// <summary>The UTF-8 id of order <paramref name="order"/>, which must lie in the batch.</summary>
    public ReadOnlySpan<byte> this[int order] => Buffer.AsSpan(_start[order - First], _length[order - First]);

    /// <summary>Empties the batch for orders <paramref name="first"/> onwards, making room for <paramref name="count"/> ids.</summary>
    public void Reset(int first, int count)
    {
        First = first;
        if (_start.Length < count)
        {
            _start = new int[count];
            _length = new int[count];
        }
    }

    /// <summary>Makes <see cref="Buffer"/> at least <paramref name="length"/> bytes, keeping its first <paramref name="keep"/> bytes.</summary>
    public void EnsureBuffer(int length, int keep)
    {
        if (Buffer.Length < length)
        {
            byte[] larger = new byte[Math.Max(length, 2 * Buffer.Length)];
            Buffer.AsSpan(0, keep).CopyTo(larger);
            Buffer = larger;
        }
    }

    /// <summary>Says where in <see cref="Buffer"/> the id of the <paramref name="slot"/>-th order of the batch is.</summary>
    public void Set(int slot, int start, int length)
    {
        _start[slot] = start;
        _length[slot] = length;
    }
}
