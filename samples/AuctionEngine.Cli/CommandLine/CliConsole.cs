namespace AuctionEngine.Cli.CommandLine;

/// <summary>Where a command writes, and whether a person is watching either stream.</summary>
/// <param name="Output">Results: JSON, calldata, summaries. Never progress.</param>
/// <param name="Error">Messages, warnings and the live progress display.</param>
/// <param name="OutputIsTerminal">Whether <paramref name="Output"/> is a terminal rather than a pipe or a file.</param>
/// <param name="ErrorIsTerminal">Whether <paramref name="Error"/> is a terminal rather than a pipe or a file.</param>
internal sealed record CliConsole(TextWriter Output, TextWriter Error, bool OutputIsTerminal, bool ErrorIsTerminal)
{
    /// <summary>The process's standard output and standard error.</summary>
    public static CliConsole Standard => new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected)
    {
        OpenOutput = Console.OpenStandardOutput,
    };

    /// <summary>
    /// Opens <see cref="Output"/> as a stream of UTF-8 bytes, for results written as bytes (the JSON of <c>clear</c>).
    /// The process's standard output opens as itself; any other writer through a decoding adapter.
    /// </summary>
    public Func<Stream> OpenOutput { get; init; } = () => new TextWriterStream(Output);

    /// <summary>
    /// A live display on <see cref="Error"/> when a person is watching it, otherwise nothing: a log or a pipe gets no
    /// redraw codes, and <paramref name="quiet"/> (<c>--quiet</c>) silences it on a terminal too.
    /// </summary>
    public IPhaseProgress Progress(bool quiet) => quiet || !ErrorIsTerminal ? NoProgress.Instance : new LivePhaseProgress(Error, ShowProgressAfter);

    /// <summary>How long a phase runs before its live display appears (see <see cref="LivePhaseProgress.DefaultShowAfter"/>).</summary>
    public TimeSpan ShowProgressAfter { get; init; } = LivePhaseProgress.DefaultShowAfter;
}
