using AuctionEngine.Cli.CommandLine;

namespace AuctionEngine.Cli.Commands;

/// <summary><c>auction abi</c>: prints the reference settlement contract's ABI JSON, the one the engine's calldata follows.</summary>
internal static class AbiCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length > 0)
        {
            throw new UsageException($"abi takes no arguments; unexpected '{args[0]}'.");
        }

        using Stream abi = typeof(AbiCommand).Assembly.GetManifestResourceStream("AuctionSettlement.abi.json")
            ?? throw new InvalidOperationException("The settlement ABI is missing from the build.");
        using var reader = new StreamReader(abi);
        Console.Out.Write(reader.ReadToEnd());
        return ExitCodes.Success;
    }
}
