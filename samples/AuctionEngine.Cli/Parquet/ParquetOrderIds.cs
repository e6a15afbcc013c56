using AuctionEngine.Cli.Clear;

namespace AuctionEngine.Cli.Parquet;

/// <summary>
/// A Parquet book's ids, kept as UTF-8 in one buffer. Unlike a CSV file, a Parquet file cannot hand back one id
/// without decoding its whole page, so the ids are kept: their bytes and one offset per order, never a string each.
/// </summary>
internal sealed class ParquetOrderIds : IOrderIds
{
    private byte[] _bytes = new byte[1 << 16];
    private int[] _starts = new int[1 << 12];
    private int _count;

    /// <summary>Appends the next order's id.</summary>
    /// <exception cref="InvalidOperationException">The ids together exceed 2 GiB.</exception>
    public void Add(ReadOnlySpan<byte> id)
    {
        int end = _starts[_count];
        if (_count + 2 > _starts.Length)
        {
            Array.Resize(ref _starts, 2 * _starts.Length);
        }

        if ((long)end + id.Length > Array.MaxLength)
        {
            throw new InvalidOperationException("The ids of one Parquet book may take at most 2 GiB.");
        }

        if (end + id.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(end + id.Length, 2L * _bytes.Length)));
        }

        id.CopyTo(_bytes.AsSpan(end));
        _starts[++_count] = end + id.Length;
    }

    /// <inheritdoc/>
    public void Read(int first, int count, IdBatch batch)
    {
        batch.Reset(first, count);
        int start = _starts[first];
        int end = _starts[first + count];
        batch.EnsureBuffer(end - start, 0);
        _bytes.AsSpan(start, end - start).CopyTo(batch.Buffer);
        for (int slot = 0; slot < count; slot++)
        {
            batch.Set(slot, _starts[first + slot] - start, _starts[first + slot + 1] - _starts[first + slot]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
