using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Output;

/// <summary>
/// Writes the outcome of clearing an order file as one JSON object, streamed with <see cref="Utf8JsonWriter"/>:
/// compact by default, indented when asked.
/// </summary>
/// <remarks>
/// <para>
/// Enum values are written in camelCase (<c>nothingExecutable</c>, <c>duplicateId</c>). Lot and quote totals are
/// <see cref="UInt128"/>, which JSON numbers can hold but <see cref="Utf8JsonWriter"/> has no overload for, so a value
/// beyond 64 bits is written as raw decimal digits: still a number, never a string.
/// </para>
/// <para>
/// A large book's fills are formatted in chunks of <see cref="ChunkOrders"/> orders, several at once when threads
/// allow, each by its own <see cref="Utf8JsonWriter"/> opened inside the same two levels of nesting as the real
/// array, so that its bytes (indentation included) are exactly what one writer would have written there. The chunks
/// are written to the output in order as raw values of the real array; the bytes are the same for every thread count.
/// </para>
/// </remarks>
internal static class ClearingJsonWriter
{
    /// <summary>Orders per formatted chunk: big enough to amortise a chunk's set-up, small enough to stream.</summary>
    internal const int ChunkOrders = 16_384;

    // Property names written once per order, encoded once: the writer then skips checking them for escapes each time.
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText SideName = JsonEncodedText.Encode("side");
    private static readonly JsonEncodedText QuantityName = JsonEncodedText.Encode("quantity");
    private static readonly JsonEncodedText FilledName = JsonEncodedText.Encode("filled");
    private static readonly JsonEncodedText QuoteName = JsonEncodedText.Encode("quote");
    private static readonly JsonEncodedText TraderName = JsonEncodedText.Encode("trader");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");

    /// <summary>Writes the batch outcome, then the fills chosen by <paramref name="which"/> and every rejection, each in input order.</summary>
    /// <param name="output">Receives UTF-8 JSON and a final newline.</param>
    /// <param name="outcome">What to write.</param>
    /// <param name="which">Which fills to write.</param>
    /// <param name="pretty">Indent the JSON.</param>
    /// <param name="threads">How many threads may format chunks at once.</param>
    /// <param name="progress">Advanced by one unit per order, once for the fills and once for the rejections.</param>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static void Write(Stream output, ClearOutcome outcome, FillsOutput which, bool pretty, int threads, IPhase progress)
    {
        var options = new JsonWriterOptions { Indented = pretty };
        using (var json = new Utf8JsonWriter(output, options))
        {
            json.WriteStartObject();
            WriteSummary(json, outcome);

            json.WriteStartArray("fills"u8);
            if (which == FillsOutput.None)
            {
                progress.Advance(outcome.Book.Count);
            }
            else
            {
                WriteInChunks(json, outcome, pretty, threads, progress, Section.Fills(which));
            }

            json.WriteEndArray();

            json.WriteStartArray("rejected"u8);
            WriteInChunks(json, outcome, pretty, threads, progress, Section.Rejections);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>Writes only the batch outcome, as one object: for an order table written to a CSV or Parquet file.</summary>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static void WriteSummaryOnly(Stream output, ClearOutcome outcome, bool pretty)
    {
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = pretty }))
        {
            json.WriteStartObject();
            WriteSummary(json, outcome);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>The batch-level keys, from <c>cleared</c> to <c>rationedOrders</c>.</summary>
    private static void WriteSummary(Utf8JsonWriter json, ClearOutcome outcome)
    {
        ClearingResult result = outcome.Result;
        json.WriteBoolean("cleared"u8, result.Cleared);
        json.WriteString("status"u8, OutputNames.CamelCase(result.Status));
        json.WriteString("rule"u8, OutputNames.CamelCase(result.Rule));
        WriteNumberOrNull(json, "referencePrice"u8, outcome.Options.ReferencePrice);
        WriteNumberOrNull(json, "price"u8, result.Price);
        WriteNumber(json, "volume"u8, result.Volume);
        WriteNumber(json, "surplus"u8, result.Surplus);
        json.WriteString("surplusSide"u8, OutputNames.CamelCase(result.SurplusSide));
        WriteNumberOrNull(json, "bestBid"u8, result.BestBid);
        WriteNumberOrNull(json, "bestAsk"u8, result.BestAsk);
        json.WriteNumber("filledOrders"u8, result.FilledCount);
        json.WriteNumber("rationedOrders"u8, result.RationedCount);
    }

    private static void WriteInChunks(Utf8JsonWriter json, ClearOutcome outcome, bool pretty, int threads, IPhase progress, Section section)
    {
        int count = outcome.Book.Count;
        int chunks = (count + ChunkOrders - 1) / ChunkOrders;
        int lanes = Math.Clamp(threads, 1, Math.Max(1, chunks));
        var formatters = new ChunkFormatter[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            formatters[lane] = new ChunkFormatter(outcome, pretty, section);
        }

        try
        {
            WriteRounds(json, formatters, chunks, progress);
        }
        finally
        {
            foreach (ChunkFormatter formatter in formatters)
            {
                formatter.Dispose();
            }
        }
    }

    private static void WriteRounds(Utf8JsonWriter json, ChunkFormatter[] formatters, int chunks, IPhase progress)
    {
        int lanes = formatters.Length;

        // Rounds of one chunk per lane: formatted side by side, then written in order.
        for (int round = 0; round < chunks; round += lanes)
        {
            int inRound = Math.Min(lanes, chunks - round);
            if (inRound == 1)
            {
                formatters[0].Format(round);
            }
            else
            {
                Parallel.For(0, inRound, new ParallelOptions { MaxDegreeOfParallelism = inRound }, lane => formatters[lane].Format(round + lane));
            }

            for (int lane = 0; lane < inRound; lane++)
            {
                ReadOnlySpan<byte> elements = formatters[lane].Elements;
                if (!elements.IsEmpty)
                {
                    json.WriteRawValue(elements, skipInputValidation: true);
                    json.Flush();
                }

                progress.Advance(formatters[lane].Orders);
            }
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, UInt128 value)
    {
        if (value <= ulong.MaxValue)
        {
            json.WriteNumber(name, (ulong)value);
            return;
        }

        json.WritePropertyName(name);
        json.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, long? value)
    {
        if (value is long number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Which orders an array lists and how it writes each.</summary>
    private sealed class Section
    {
        private Section(FillsOutput? fills) => FillsShown = fills;

        public static Section Rejections { get; } = new(null);

        /// <summary>The fills shown, or null for the rejections.</summary>
        public FillsOutput? FillsShown { get; }

        public static Section Fills(FillsOutput which) => new(which);

        public bool Lists(ClearOutcome outcome, int index) =>
            FillsShown is FillsOutput which ? outcome.ShowsFill(index, which) : outcome.Fills[index].IsRejected;
    }

    /// <summary>Formats one chunk of an array's elements at a time, into a buffer it reuses.</summary>
    private sealed class ChunkFormatter : IDisposable
    {
        // A chunk is read as one run of ids when at least this share of its orders is listed; otherwise id by id.
        private const int SparseRatio = 16;

        private readonly ClearOutcome _outcome;
        private readonly Section _section;
        private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
        private readonly Utf8JsonWriter _json;
        private readonly IdBatch _ids = new();
        private readonly char[] _address = new char[2 + (2 * Address.Length)];
        private int _prefix;

        public ChunkFormatter(ClearOutcome outcome, bool pretty, Section section)
        {
            _outcome = outcome;
            _section = section;
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = pretty, SkipValidation = true });
        }

        public void Dispose() => _json.Dispose();

        /// <summary>The last chunk's elements, separated by commas, without the array's brackets.</summary>
        public ReadOnlySpan<byte> Elements => _buffer.WrittenSpan[_prefix..];

        /// <summary>How many orders the last chunk covered.</summary>
        public int Orders { get; private set; }

        public void Format(int chunk)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);

            // The same nesting as the real array ({"fills":[ … ), so that indentation and separators come out right;
            // the prefix is cut off again.
            _json.WriteStartObject();
            _json.WriteStartArray("x"u8);
            _json.Flush();
            _prefix = _buffer.WrittenCount;

            int first = chunk * ChunkOrders;
            int end = Math.Min(_outcome.Book.Count, first + ChunkOrders);
            Orders = end - first;
            int listed = 0;
            for (int i = first; i < end; i++)
            {
                listed += _section.Lists(_outcome, i) ? 1 : 0;
            }

            if (listed == 0)
            {
                _prefix = _buffer.WrittenCount;
                return;
            }

            bool dense = listed * SparseRatio >= end - first;
            if (dense)
            {
                _outcome.Book.Ids.Read(first, end - first, _ids);
            }

            for (int i = first; i < end; i++)
            {
                if (!_section.Lists(_outcome, i))
                {
                    continue;
                }

                if (!dense)
                {
                    _outcome.Book.Ids.Read(i, 1, _ids);
                }

                if (_section.FillsShown is null)
                {
                    WriteRejection(i);
                }
                else
                {
                    WriteFill(i);
                }
            }

            _json.Flush();
        }

        private void WriteFill(int index)
        {
            Order order = _outcome.Book.Orders[index];
            Fill fill = _outcome.Fills[index];
            _json.WriteStartObject();
            _json.WriteString(IdName, _ids[index]);
            _json.WriteString(SideName, OutputNames.Side(order.Side));
            _json.WriteNumber(QuantityName, order.Quantity);
            _json.WriteNumber(FilledName, fill.FilledQuantity);
            if (fill.QuoteAmount <= ulong.MaxValue)
            {
                _json.WriteNumber(QuoteName, (ulong)fill.QuoteAmount);
            }
            else
            {
                WriteNumber(_json, "quote"u8, fill.QuoteAmount);
            }

            if (_outcome.Book.HasTrader)
            {
                order.Trader.TryFormat(_address, out int written, default, CultureInfo.InvariantCulture);
                _json.WriteString(TraderName, _address.AsSpan(0, written));
            }

            _json.WriteEndObject();
        }

        private void WriteRejection(int index)
        {
            _json.WriteStartObject();
            _json.WriteString(IdName, _ids[index]);
            _json.WriteNumber(LineName, _outcome.Book.Lines.LineOf(index));
            _json.WriteString(ReasonName, OutputNames.Reason(_outcome.Fills[index].Rejection));
            _json.WriteEndObject();
        }
    }
}
