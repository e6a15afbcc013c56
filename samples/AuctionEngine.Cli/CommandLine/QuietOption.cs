using System.CommandLine;

namespace AuctionEngine.Cli.CommandLine;

/// <summary><c>--quiet</c>, for the commands with phases long enough to show progress.</summary>
internal static class QuietOption
{
    public static Option<bool> Create() => new("--quiet", "-q")
    {
        Description = "Show no progress. Progress is shown on standard error only when it is a terminal, never on standard output.",
    };
}
