namespace AuctionEngine.Cli.CommandLine;

/// <summary>The command line cannot be run as given; the message says why, and the usage text follows it.</summary>
internal sealed class UsageException(string message) : Exception(message);
