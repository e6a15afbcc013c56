using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Output;

/// <summary>
/// Writes one row per order as CSV (<c>--output FILE.csv</c>): the fills chosen by <see cref="FillsOutput"/> and every
/// rejection, in input order, under the header <c>id,line,side,price,quantity,filled,quote,reason</c> and <c>,trader</c>
/// when the input had traders. <c>reason</c> is empty for an accepted order; an id that holds a comma, a quote, a line
/// break or surrounding blanks is quoted, so the file reads back with the same ids.
/// </summary>
internal static class ClearingCsvWriter
{
    /// <summary>Writes the rows.</summary>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static void Write(Stream output, ClearOutcome outcome, FillsOutput which, IPhase progress)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        buffer.Write(outcome.Book.HasTrader ? "id,line,side,price,quantity,filled,quote,reason,trader\n"u8 : "id,line,side,price,quantity,filled,quote,reason\n"u8);
        var ids = new IdBatch();
        int count = outcome.Book.Count;
        for (int first = 0; first < count; first += ClearingJsonWriter.ChunkOrders)
        {
            int end = Math.Min(count, first + ClearingJsonWriter.ChunkOrders);
            outcome.Book.Ids.Read(first, end - first, ids);
            for (int i = first; i < end; i++)
            {
                Fill fill = outcome.Fills[i];
                if (fill.IsRejected || outcome.ShowsFill(i, which))
                {
                    WriteRow(buffer, outcome, i, ids[i]);
                }
            }

            output.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
            progress.Advance(end - first);
        }
    }

    private static void WriteRow(ArrayBufferWriter<byte> buffer, ClearOutcome outcome, int index, ReadOnlySpan<byte> id)
    {
        Order order = outcome.Book.Orders[index];
        Fill fill = outcome.Fills[index];
        WriteId(buffer, id);
        buffer.Write(","u8);
        WriteInteger(buffer, outcome.Book.Lines.LineOf(index));
        buffer.Write(order.Side == Side.Buy ? ",buy,"u8 : ",sell,"u8);
        if (order.IsMarket)
        {
            buffer.Write("market"u8);
        }
        else
        {
            WriteInteger(buffer, order.LimitPrice);
        }

        buffer.Write(","u8);
        WriteInteger(buffer, order.Quantity);
        buffer.Write(","u8);
        WriteInteger(buffer, fill.FilledQuantity);
        buffer.Write(","u8);
        Span<byte> digits = buffer.GetSpan(40);
        fill.QuoteAmount.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        buffer.Advance(written);
        buffer.Write(","u8);
        if (fill.IsRejected)
        {
            buffer.Write(OutputNames.Reason(fill.Rejection).EncodedUtf8Bytes);
        }

        if (outcome.Book.HasTrader)
        {
            buffer.Write(","u8);
            Span<char> address = stackalloc char[2 + (2 * Address.Length)];
            order.Trader.TryFormat(address, out int length, default, CultureInfo.InvariantCulture);
            Span<byte> text = buffer.GetSpan(length);
            buffer.Advance(Encoding.ASCII.GetBytes(address[..length], text));
        }

        buffer.Write("\n"u8);
    }

    private static void WriteInteger(ArrayBufferWriter<byte> buffer, long value)
    {
        Utf8Formatter.TryFormat(value, buffer.GetSpan(20), out int written);
        buffer.Advance(written);
    }

    private static void WriteId(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> id)
    {
        bool quote = id.IndexOfAny(",\"\r\n"u8) >= 0 || id[0] is (byte)' ' or (byte)'\t' || id[^1] is (byte)' ' or (byte)'\t';
        if (!quote)
        {
            buffer.Write(id);
            return;
        }

        buffer.Write("\""u8);
        foreach (byte b in id)
        {
            buffer.Write(b == (byte)'"' ? "\"\""u8 : [b]);
        }

        buffer.Write("\""u8);
    }
}
