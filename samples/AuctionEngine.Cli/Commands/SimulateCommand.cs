using System.CommandLine;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Simulation;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction simulate SCENARIO.json</c>: runs standing instructions, orders and oracle prices block by block through
/// a <see cref="Venue.BatchVenue"/> (order management, one sealed batch per block, a circuit breaker) and prints every
/// event as JSON Lines.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "simulate";

    /// <summary>The command, whose action writes the events to <paramref name="console"/>'s output.</summary>
    public static Command Create(CliConsole console)
    {
        var scenario = new Argument<string>("SCENARIO.json")
        {
            Description = "The scenario: {\"market\": {\"lotSize\", \"tickSize\"} or a perpetual market {\"type\": \"perpetual\", margin, funding and liquidation parameters, \"insuranceFund\"}, its option \"series\": {name: {\"type\", \"strike\", \"expiryBlock\", \"volatility\", ...}}, \"time\": {\"genesisTimestamp\", \"blockSeconds\"}, \"accounts\": {name: {\"collateral\"}}, \"rule\", \"oracle\": {\"maxAgeBlocks\"}, \"circuitBreaker\": {\"dynamicBandBps\", \"staticBandBps\", \"extensionBlocks\"}, \"blocks\": [{\"block\", \"oracle\", \"volatility\", \"orders\", \"instructions\", \"cancel\"}]}; every key but blocks is optional (see the README).",
        };
        var command = new Command(Name, "Run a scenario of standing instructions (stops, trailing stops, limits and icebergs, TWAPs, OCOs, brackets, delta hedges, option quotes), orders and oracle prices block by block, one uniform-price batch per block behind a circuit breaker, and print every event as one JSON object per line. Traders are names, signed for with demo keys derived from them.")
        {
            scenario,
        };
        command.SetAction(parsed =>
        {
            string file = parsed.GetRequiredValue(scenario);
            string path = $"{AuctionCli.Name} {Name}";
            SimulationScenario read;
            try
            {
                read = SimulationScenario.Read(file, File.ReadAllBytes(file));
            }
            catch (Exception e) when (e is ScenarioException or IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"{path}: {(e is ScenarioException ? e.Message : $"{file}: cannot read it: {e.Message}")}");
                return ExitCodes.InputError;
            }

            using Stream output = console.OpenOutput();
            SimulationRunner.Run(read, output);
            return ExitCodes.Success;
        });
        return command;
    }
}
