using System.Diagnostics;
using System.Runtime.ExceptionServices;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using Microsoft.Win32.SafeHandles;

namespace AuctionEngine.Cli.Csv;

/// <summary>
/// Reads an order file: UTF-8 (an optional byte order mark is skipped), a header row naming the columns <c>id</c>,
/// <c>side</c>, <c>price</c>, <c>quantity</c> and optionally <c>trader</c> in any order and case, then one order per
/// line; LF or CRLF line ends, blank lines skipped, fields split by <see cref="CsvLine"/>.
/// </summary>
/// <remarks>
/// <para>
/// The file is read as bytes and never held whole: it is cut into ranges of <see cref="RangeBytes"/> (1 MiB), each
/// parsed by whichever thread is free (a range owns the lines that start in it), and the ranges are put together in
/// file order, so the book, the line numbers and the first error reported are the same for every thread count. What
/// is kept per order is the order itself and where its id lies in the file (<see cref="CsvOrderIds"/> reads ids back
/// when they are needed); the text is dropped range by range. The file must be a regular file, since it is read twice.
/// </para>
/// <para>At most <c>2 × threads</c> ranges are parsed ahead of the one being put in place, which bounds the memory.</para>
/// </remarks>
internal sealed class OrderCsvReader
{
    /// <summary>How much of the file one thread parses at a time.</summary>
    internal const int RangeBytes = 1 << 20;

    // "a,buy,1,1" and a line feed: no data line is shorter, so a file never holds more rows than its bytes / 10.
    private const int ShortestRowBytes = 10;

    private readonly int _rangeBytes;
    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly CsvRowParser _parser;
    private readonly long _dataStart;
    private readonly long _firstDataLine;
    private readonly int _rangeCount;

    private OrderCsvReader(string path, SafeFileHandle file, long length, CsvRowParser parser, long dataStart, long firstDataLine, int rangeBytes)
    {
        _rangeBytes = rangeBytes;
        _path = path;
        _file = file;
        _length = length;
        _parser = parser;
        _dataStart = dataStart;
        _firstDataLine = firstDataLine;
        _rangeCount = (int)((length - dataStart + rangeBytes - 1) / rangeBytes);
    }

    /// <summary>Reads every order in the file at <paramref name="path"/>, in file order.</summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">How many threads may parse at once.</param>
    /// <param name="hash">Hashes each id to its engine id and priority key.</param>
    /// <param name="progress">Advanced by the bytes read.</param>
    /// <returns>The book; its ids are read back from the file, which stays open until the book is disposed.</returns>
    /// <exception cref="OrderFileException">The file is not a well-formed order file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static OrderBook Read(string path, int threads, OrderIdHash hash, IPhase progress) =>
        Read(path, threads, hash, progress, RangeBytes);

    /// <summary><see cref="Read(string, int, OrderIdHash, IPhase)"/> with ranges of <paramref name="rangeBytes"/>, for tests that cut small files in many places.</summary>
    internal static OrderBook Read(string path, int threads, OrderIdHash hash, IPhase progress, int rangeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1);
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = LengthOf(path, file);
            (CsvLayout layout, long dataStart, long headerLine) = ReadHeader(path, file, length);
            progress.Advance(dataStart);
            var reader = new OrderCsvReader(path, file, length, new CsvRowParser(layout, hash), dataStart, headerLine + 1, rangeBytes);
            (Order[] orders, ulong[] locators, int count, LineMap lines) = reader.ReadRanges(Math.Max(1, threads), progress);
            var ids = new CsvOrderIds(path, file, locators, orders, hash);
            return new OrderBook(orders, count, layout.Trader >= 0, ids, lines);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static long LengthOf(string path, SafeFileHandle file)
    {
        long length;
        try
        {
            length = RandomAccess.GetLength(file);
            RandomAccess.Read(file, Span<byte>.Empty, 0);
        }
        catch (NotSupportedException)
        {
            throw OrderFileException.AtLine(path, 0, "is not a regular file; clear reads its input twice (once for the orders, once for their ids), so give it a file, not a pipe.");
        }

        if (length > CsvLimits.MaxFileBytes)
        {
            throw OrderFileException.AtLine(path, 0, $"is larger than {CsvLimits.MaxFileBytes >> 40} TiB.");
        }

        return length;
    }

    /// <summary>Skips a byte order mark and blank lines, and reads the header.</summary>
    private static (CsvLayout Layout, long DataStart, long HeaderLine) ReadHeader(string path, SafeFileHandle file, long length)
    {
        byte[] buffer = new byte[CsvLimits.MaxLineBytes + 2];
        long position = 0;
        long line = 0;
        while (true)
        {
            int read = ReadFully(file, buffer, position);
            ReadOnlySpan<byte> window = buffer.AsSpan(0, read);
            bool windowReachesEnd = position + read >= length;
            if (position == 0)
            {
                if (window is [0xEF, 0xBB, 0xBF, ..])
                {
                    window = window[3..];
                    position = 3;
                }
                else if (window is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
                {
                    throw OrderFileException.AtLine(path, 0, "is UTF-16; save it as UTF-8.");
                }
            }

            if (window.IsEmpty)
            {
                throw OrderFileException.AtLine(path, Math.Max(line, 1), "the file has no header row; expected 'id,side,price,quantity' and optionally ',trader'.");
            }

            line++;
            int end = window.IndexOf((byte)'\n');
            bool lastLine = end < 0 && windowReachesEnd;
            if (end < 0 && !lastLine)
            {
                throw OrderFileException.AtLine(path, line, $"the line is longer than {CsvLimits.MaxLineBytes} bytes.");
            }

            ReadOnlySpan<byte> text = TrimLineEnd(end < 0 ? window : window[..end]);
            if (text.Length > CsvLimits.MaxLineBytes)
            {
                throw OrderFileException.AtLine(path, line, $"the line is longer than {CsvLimits.MaxLineBytes} bytes.");
            }

            long next = end < 0 ? length : position + end + 1;
            if (CsvLine.IsBlank(text))
            {
                position = next;
                continue;
            }

            return (ParseHeader(path, line, text), next, line);
        }
    }

    private static CsvLayout ParseHeader(string path, long line, ReadOnlySpan<byte> text)
    {
        Span<CsvField> fields = stackalloc CsvField[CsvLayout.Names.Length + 1];
        int count = CsvLine.Split(text, fields, out string? problem, out int column);
        if (count < 0)
        {
            throw OrderFileException.AtLine(path, line, $"column {column} of the header: {problem}");
        }

        if (count > CsvLayout.Names.Length)
        {
            throw OrderFileException.AtLine(path, line, $"the header has {count} columns; the columns are {string.Join(", ", CsvLayout.Names)} (trader is optional).");
        }

        var names = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> name = fields[i].In(text);
            if (!System.Text.Unicode.Utf8.IsValid(name))
            {
                throw OrderFileException.AtLine(path, line, $"column {i + 1} of the header is not valid UTF-8; save the file as UTF-8.");
            }

            names.Add(name.ToArray());
        }

        return CsvLayout.FromHeader(names, out problem, out column)
            ?? throw OrderFileException.AtLine(path, line, column > 0 ? $"column {column} of the header: {problem}" : problem!);
    }

    private (Order[] Orders, ulong[] Locators, int Count, LineMap Lines) ReadRanges(int threads, IPhase progress)
    {
        var assembly = new Assembly(this);
        if (threads == 1 || _rangeCount <= 1)
        {
            var range = new RangeResult();
            for (int k = 0; k < _rangeCount; k++)
            {
                ParseRange(k, range);
                assembly.Place(range);
                progress.Advance(range.Bytes);
            }
        }
        else
        {
            // threads − 1 workers parse ahead; this thread puts ranges in place and, while the next one is not
            // ready, parses a range too, so that exactly `threads` threads are busy.
            using var pipeline = new Pipeline(this, threads);
            for (int k = 0; k < _rangeCount; k++)
            {
                RangeResult? range;
                while (!pipeline.TryTake(k, out range))
                {
                    if (!pipeline.TryParseNext())
                    {
                        range = pipeline.Take(k);
                        break;
                    }
                }

                try
                {
                    assembly.Place(range!);
                }
                finally
                {
                    pipeline.Return(range!);
                }

                progress.Advance(range!.Bytes);
            }
        }

        return (assembly.Orders, assembly.Locators, assembly.Count, assembly.Lines);
    }

    /// <summary>Parses the lines that start in range <paramref name="index"/> into <paramref name="range"/>.</summary>
    private void ParseRange(int index, RangeResult range)
    {
        range.Reset(index);
        long rangeStart = _dataStart + ((long)index * _rangeBytes);
        long rangeEnd = Math.Min(_length, rangeStart + _rangeBytes);
        range.Bytes = rangeEnd - rangeStart;

        // One byte before the range says whether a line starts at its first byte; the bytes after it finish the
        // range's last line, which may run up to the line limit (and its CR LF) past the range's end.
        long readStart = index == 0 ? rangeStart : rangeStart - 1;
        long readEnd = Math.Min(_length, rangeEnd + CsvLimits.MaxLineBytes + 2);
        range.EnsureText((int)(readEnd - readStart));
        int read = ReadFully(_file, range.Text.AsSpan(0, (int)(readEnd - readStart)), readStart);
        ReadOnlySpan<byte> text = range.Text.AsSpan(0, read);
        bool textReachesEnd = readStart + read >= _length;

        int position = (int)(rangeStart - readStart);
        if (index > 0 && text[0] != (byte)'\n')
        {
            int lineEnd = text[position..].IndexOf((byte)'\n');
            position = lineEnd < 0 ? text.Length : position + lineEnd + 1;
        }

        int ownedEnd = (int)(rangeEnd - readStart);
        bool afterGap = true;
        while (position < ownedEnd)
        {
            int lineEnd = text[position..].IndexOf((byte)'\n');
            if (lineEnd < 0 && !textReachesEnd)
            {
                range.Fail(range.LinesOwned, new RowError(0, $"the line is longer than {CsvLimits.MaxLineBytes} bytes."));
                return;
            }

            ReadOnlySpan<byte> line = TrimLineEnd(lineEnd < 0 ? text[position..] : text.Slice(position, lineEnd));
            long lineOffset = readStart + position;
            position = lineEnd < 0 ? text.Length : position + lineEnd + 1;
            long localLine = range.LinesOwned++;
            if (line.Length > CsvLimits.MaxLineBytes)
            {
                range.Fail(localLine, new RowError(0, $"the line is longer than {CsvLimits.MaxLineBytes} bytes."));
                return;
            }

            if (CsvLine.IsBlank(line))
            {
                afterGap = true;
                continue;
            }

            if (!_parser.TryParse(line, lineOffset, out Order order, out ulong locator, out RowError error))
            {
                range.Fail(localLine, error);
                return;
            }

            if (afterGap)
            {
                range.Anchors.Add((range.Count, localLine));
                afterGap = false;
            }

            range.Add(order, locator);
        }
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    internal static int ReadFully(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>What one range parsed to; reused for range after range.</summary>
    private sealed class RangeResult
    {
        public int Index { get; private set; }

        public byte[] Text { get; private set; } = [];

        public Order[] Orders { get; private set; } = new Order[4096];

        public ulong[] Locators { get; private set; } = new ulong[4096];

        public int Count { get; private set; }

        public long Bytes { get; set; }

        public long LinesOwned { get; set; }

        /// <summary>Rows that follow a gap (the range's start, or a blank line) and the range-relative line they are on.</summary>
        public List<(int Row, long Line)> Anchors { get; } = [];

        public (long Line, RowError Error)? Error { get; private set; }

        public ExceptionDispatchInfo? Exception { get; set; }

        public void Reset(int index)
        {
            Index = index;
            Count = 0;
            Bytes = 0;
            LinesOwned = 0;
            Anchors.Clear();
            Error = null;
            Exception = null;
        }

        public void EnsureText(int length)
        {
            if (Text.Length < length)
            {
                Text = GC.AllocateUninitializedArray<byte>(length);
            }
        }

        public void Add(Order order, ulong locator)
        {
            if (Count == Orders.Length)
            {
                Grow();
            }

            Orders[Count] = order;
            Locators[Count] = locator;
            Count++;
        }

        public void Fail(long localLine, RowError error) => Error = (localLine, error);

        private void Grow()
        {
            var orders = GC.AllocateUninitializedArray<Order>(2 * Orders.Length);
            var locators = GC.AllocateUninitializedArray<ulong>(2 * Locators.Length);
            Orders.AsSpan(0, Count).CopyTo(orders);
            Locators.AsSpan(0, Count).CopyTo(locators);
            Orders = orders;
            Locators = locators;
        }
    }

    /// <summary>Puts ranges in place one after the other, in file order, into the book's arrays.</summary>
    private sealed class Assembly(OrderCsvReader reader)
    {
        private long _nextLine = reader._firstDataLine;
        private long _bytesPlaced;

        public Order[] Orders { get; private set; } = [];

        public ulong[] Locators { get; private set; } = [];

        public int Count { get; private set; }

        public LineMap Lines { get; } = new();

        public void Place(RangeResult range)
        {
            range.Exception?.Throw();
            if (range.Error is (long localLine, RowError error))
            {
                long line = _nextLine + localLine;
                throw error.Column == 0
                    ? OrderFileException.AtLine(reader._path, line, error.Problem)
                    : OrderFileException.AtColumn(reader._path, line, error.Column, reader._parser.Layout.NameOf(error.Column - 1), error.Problem);
            }

            if (Count + range.Count > ClearingEngine.MaxCapacity)
            {
                throw OrderFileException.AtLine(reader._path, 0, $"holds more than {ClearingEngine.MaxCapacity:N0} orders, the most one batch can clear.");
            }

            EnsureCapacity(Count + range.Count, range);
            range.Orders.AsSpan(0, range.Count).CopyTo(Orders.AsSpan(Count));
            range.Locators.AsSpan(0, range.Count).CopyTo(Locators.AsSpan(Count));
            foreach ((int row, long line) in range.Anchors)
            {
                Lines.Add(Count + row, _nextLine + line);
            }

            Count += range.Count;
            _nextLine += range.LinesOwned;
            _bytesPlaced += range.Bytes;
        }

        /// <summary>
        /// Sizes the arrays from the rows per byte seen so far, so that they are allocated about once; they are
        /// allocated uninitialized, and pages past the last order are never touched.
        /// </summary>
        private void EnsureCapacity(int needed, RangeResult range)
        {
            if (needed <= Orders.Length)
            {
                return;
            }

            long dataBytes = reader._length - reader._dataStart;
            double rowsPerByte = (double)needed / Math.Max(1, _bytesPlaced + range.Bytes);
            long estimate = (long)(rowsPerByte * dataBytes * 1.05) + 1024;
            long bound = (dataBytes / ShortestRowBytes) + 1;
            int capacity = (int)Math.Clamp(Math.Max(estimate, needed), needed, Math.Min(bound, ClearingEngine.MaxCapacity));
            Debug.Assert(capacity >= needed, "A range holds at most one row per ten bytes.");

            var orders = GC.AllocateUninitializedArray<Order>(capacity);
            var locators = GC.AllocateUninitializedArray<ulong>(capacity);
            Orders.AsSpan(0, Count).CopyTo(orders);
            Locators.AsSpan(0, Count).CopyTo(locators);
            Orders = orders;
            Locators = locators;
        }
    }

    /// <summary>Threads that parse ranges ahead of the one being put in place.</summary>
    private sealed class Pipeline : IDisposable
    {
        private readonly OrderCsvReader _reader;
        private readonly Thread[] _threads;
        private readonly RangeResult?[] _done;
        private readonly SemaphoreSlim _ahead;
        private readonly System.Collections.Concurrent.ConcurrentBag<RangeResult> _spare = [];
        private readonly object _gate = new();
        private int _next = -1;
        private volatile bool _stopping;

        /// <summary>Starts <paramref name="threads"/> − 1 workers; the caller is the last thread.</summary>
        public Pipeline(OrderCsvReader reader, int threads)
        {
            _reader = reader;
            _done = new RangeResult?[reader._rangeCount];
            _ahead = new SemaphoreSlim(2 * threads);
            _threads = new Thread[Math.Min(threads - 1, reader._rangeCount)];
            for (int i = 0; i < _threads.Length; i++)
            {
                _threads[i] = new Thread(Work) { IsBackground = true, Name = "auction csv reader" };
                _threads[i].Start();
            }
        }

        /// <summary>Takes range <paramref name="index"/> if it is parsed; ranges must be taken in order.</summary>
        public bool TryTake(int index, out RangeResult? range)
        {
            lock (_gate)
            {
                range = _done[index];
                _done[index] = null;
                return range is not null;
            }
        }

        /// <summary>Waits for range <paramref name="index"/>.</summary>
        public RangeResult Take(int index)
        {
            lock (_gate)
            {
                while (_done[index] is null)
                {
                    Monitor.Wait(_gate);
                }

                RangeResult range = _done[index]!;
                _done[index] = null;
                return range;
            }
        }

        /// <summary>Parses the next unclaimed range, if there is one and it is not too far ahead.</summary>
        public bool TryParseNext()
        {
            if (!_ahead.Wait(0))
            {
                return false;
            }

            int index = Interlocked.Increment(ref _next);
            if (index >= _done.Length)
            {
                return false;
            }

            Parse(index);
            return true;
        }

        /// <summary>Hands a placed range's buffers back, letting one more range be parsed ahead.</summary>
        public void Return(RangeResult range)
        {
            _spare.Add(range);
            _ahead.Release();
        }

        public void Dispose()
        {
            _stopping = true;
            if (_threads.Length > 0)
            {
                _ahead.Release(_threads.Length);
            }

            foreach (Thread thread in _threads)
            {
                thread.Join();
            }

            _ahead.Dispose();
        }

        private void Work()
        {
            while (true)
            {
                _ahead.Wait();
                int index = Interlocked.Increment(ref _next);
                if (_stopping || index >= _done.Length)
                {
                    return;
                }

                Parse(index);
            }
        }

        private void Parse(int index)
        {
            RangeResult range = _spare.TryTake(out RangeResult? spare) ? spare : new RangeResult();
            try
            {
                _reader.ParseRange(index, range);
            }
#pragma warning disable CA1031 // Whatever went wrong is rethrown on the placing thread, in file order.
            catch (Exception e)
#pragma warning restore CA1031
            {
                range.Reset(index);
                range.Exception = ExceptionDispatchInfo.Capture(e);
            }

            lock (_gate)
            {
                _done[index] = range;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
