using System.CommandLine;
using AuctionEngine.Cli.CommandLine;

namespace AuctionEngine.Cli.Commands;

/// <summary><c>auction abi</c>: prints the reference settlement contract's ABI JSON, the one the engine's calldata follows.</summary>
internal static class AbiCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "abi";

    /// <summary>The command, whose action writes the ABI JSON to <paramref name="console"/>'s output.</summary>
    public static Command Create(CliConsole console)
    {
        var command = new Command(Name, "Print the reference settlement contract's ABI JSON, which the calldata of settle follows.");
        command.SetAction(_ =>
        {
            using Stream abi = typeof(AbiCommand).Assembly.GetManifestResourceStream("AuctionSettlement.abi.json")
                ?? throw new InvalidOperationException("The settlement ABI is missing from the build.");
            using var reader = new StreamReader(abi);
            console.Output.Write(reader.ReadToEnd());
            return ExitCodes.Success;
        });
        return command;
    }
}
