using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Orders;
using Microsoft.Win32.SafeHandles;

namespace AuctionEngine.Cli.Csv;

/// <summary>
/// A CSV book's ids, read back from the file by the positions the reader kept (40 bits of offset, 16 of length and a
/// flag for doubled quotes, in one <see cref="ulong"/> per order). Each id read back is hashed again and checked
/// against the order's priority key, so a file changed while it is cleared is an error, never a wrong id.
/// </summary>
internal sealed class CsvOrderIds(string path, SafeFileHandle file, ulong[] locators, Order[] orders, OrderIdHash hash) : IOrderIds
{
    private const ulong OffsetMask = (1UL << CsvRowParser.LengthShift) - 1;

    /// <inheritdoc/>
    public void Read(int first, int count, IdBatch batch)
    {
        batch.Reset(first, count);
        if (count == 0)
        {
            return;
        }

        long regionStart = (long)(locators[first] & OffsetMask);
        ulong last = locators[first + count - 1];
        long regionEnd = (long)(last & OffsetMask) + LengthOf(last);
        int regionLength = checked((int)(regionEnd - regionStart));
        batch.EnsureBuffer(regionLength, 0);
        if (OrderCsvReader.ReadFully(file, batch.Buffer.AsSpan(0, regionLength), regionStart) < regionLength)
        {
            throw Changed();
        }

        int end = regionLength;
        for (int slot = 0; slot < count; slot++)
        {
            ulong locator = locators[first + slot];
            int start = (int)((long)(locator & OffsetMask) - regionStart);
            int length = LengthOf(locator);
            if ((locator & CsvRowParser.EscapedFlag) != 0)
            {
                batch.EnsureBuffer(end + length, end);
                int unescaped = CsvLine.Unescape(batch.Buffer.AsSpan(start, length), batch.Buffer.AsSpan(end));
                (start, length) = (end, unescaped);
                end += unescaped;
            }

            batch.Set(slot, start, length);
            if (OrderIdentity.FromHash(hash(batch[first + slot], 0)).PriorityKey != orders[first + slot].PriorityKey)
            {
                throw Changed();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => file.Dispose();

    private static int LengthOf(ulong locator) => (int)((locator >> CsvRowParser.LengthShift) & 0xFFFF);

    private OrderFileException Changed() => OrderFileException.AtLine(path, 0, "changed while it was being cleared; nothing written from it can be trusted.");
}
