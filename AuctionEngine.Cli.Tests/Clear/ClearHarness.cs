using System.Text;
using System.Text.Json;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.Tests.Clear;

/// <summary>What one run of <c>auction clear</c> left behind.</summary>
internal sealed record ClearRun(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);

    public JsonElement Json => JsonDocument.Parse(Output).RootElement;
}

/// <summary>Runs <see cref="ClearRunner"/> in process on files in a temporary folder, with standard output captured.</summary>
internal sealed class ClearHarness : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("auction-clear-tests-").FullName;
    private int _files;

    public string Folder => _folder;

    /// <summary>Writes <paramref name="content"/> to a new file with <paramref name="extension"/> and returns its path.</summary>
    public string File(byte[] content, string extension = ".csv")
    {
        string path = Path.Combine(_folder, $"book{Interlocked.Increment(ref _files)}{extension}");
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public string File(string text, string extension = ".csv") => File(Encoding.UTF8.GetBytes(text), extension);

    /// <summary>A path in the folder that nothing has written yet.</summary>
    public string NewPath(string extension) => Path.Combine(_folder, $"out{Interlocked.Increment(ref _files)}{extension}");

    public static ClearRequest Request(string path, int threads = 1, FillsOutput fills = FillsOutput.All, bool pretty = false, string? output = null, PriceRule rule = PriceRule.Midpoint, long? reference = null) =>
        new(path, rule, reference, fills, pretty, output, threads);

    public static ClearRun Run(ClearRequest request, OrderIdHash? hash = null, int rangeBytes = 1 << 20)
    {
        var output = new MemoryStream();
        using var error = new StringWriter();
        var seams = new ClearRunner.ClearSeams(hash ?? OrderIdentity.Hash, () => new NonClosingStream(output), rangeBytes);
        int exitCode = ClearRunner.Run(request, error, NoProgress.Instance, seams);
        return new ClearRun(exitCode, output.ToArray(), error.ToString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Keeps the captured output readable after the runner disposes "standard output".</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
