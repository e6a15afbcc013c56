using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using AuctionEngine.Cli.Commands;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// The <c>auction</c> command line: parses the arguments with System.CommandLine, runs the command, and turns every
/// outcome into an exit code (<see cref="ExitCodes"/>). Program.cs only hands it the process's streams, so tests run
/// the whole command line in process.
/// </summary>
internal static class AuctionCli
{
    /// <summary>The command's name, as users type it and as help and messages show it.</summary>
    public const string Name = "auction";

    /// <summary>Help text wraps at this width when it is not going to a terminal (a file, a pipe, a test).</summary>
    private const int RedirectedHelpWidth = 120;

    /// <summary>
    /// Response files (<c>@file</c>) are off: <c>auction clear @book.csv</c> would otherwise read the order file as
    /// a list of arguments.
    /// </summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    /// <summary>Runs the command line with <paramref name="args"/>, writing to streams that are not terminals (so no progress).</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">Receives results.</param>
    /// <param name="error">Receives messages.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, new CliConsole(output, error, OutputIsTerminal: false, ErrorIsTerminal: false));

    /// <summary>Runs the command line with <paramref name="args"/> on <paramref name="console"/>.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="console">Where to write, and whether a person is watching.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, CliConsole console)
    {
        try
        {
            RootCommand root = CreateRootCommand(console);
            ParseResult parsed = root.Parse(args, Parsing);
            if (UsageError.Find(parsed) is { } usage)
            {
                string path = CommandPath(usage.Command);
                console.Error.WriteLine($"{path}: {usage.Message}");
                console.Error.WriteLine($"see '{path} --help'");
                return ExitCodes.UsageError;
            }

            return parsed.Invoke(new InvocationConfiguration
            {
                Output = console.Output,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
#pragma warning disable CA1031 // Whatever escapes a command becomes one line and exit code 1, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            console.Error.WriteLine($"{Name}: unexpected failure: {OneLine(e)}");
            return ExitCodes.UnexpectedFailure;
        }
    }

    /// <summary><c>auction</c> for the root, <c>auction clear</c> for a command, <c>auction option price</c> for a subcommand.</summary>
    public static string CommandPath(Command command) =>
        command is RootCommand ? Name
        : command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? $"{CommandPath(parent)} {command.Name}"
        : $"{Name} {command.Name}";

    /// <summary>Every command and option, writing to <paramref name="console"/>.</summary>
    internal static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("Sealed, per-block uniform-price batch auctions: clear an order file, run a demo batch through its whole life, or produce a settlement contract's calldata.")
        {
            HelpName = Name,
        };
        root.Add(ClearCommand.Create(console));
        root.Add(DemoCommand.Create(console));
        root.Add(SettleCommand.Create(console));
        root.Add(AbiCommand.Create(console));
        root.Add(OptionCommand.Create(console));
        root.Add(SimulateCommand.Create(console));

        HelpOption help = root.Options.OfType<HelpOption>().Single();
        var helpAction = (HelpAction)help.Action!;
        helpAction.MaxWidth = console.OutputIsTerminal && !Console.IsOutputRedirected ? Math.Max(Console.WindowWidth, 60) : RedirectedHelpWidth;
        help.Action = new HelpWithExitCodes(helpAction);

        VersionOption version = root.Options.OfType<VersionOption>().Single();
        version.Action = new PrintVersion();
        return root;
    }

    private static string OneLine(Exception e) =>
        $"{e.GetType().Name}: {string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}";

    /// <summary>The generated help, then what each exit code means for the command asked about.</summary>
    private sealed class HelpWithExitCodes(HelpAction generated) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            generated.Invoke(parseResult);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            Command command = parseResult.CommandResult.Command;
            output.WriteLine("Exit codes:");
            output.WriteLine("  0  success");
            output.WriteLine("  1  unexpected failure (one line on standard error says what)");
            output.WriteLine("  2  bad usage or unusable input");
            if (command is RootCommand || command.Name == ClearCommand.Name)
            {
                output.WriteLine($"  3  {(command is RootCommand ? "clear: " : "")}the batch needs a reference price to choose among tied prices; pass --reference-price");
            }

            output.WriteLine();
            return ExitCodes.Success;
        }
    }

    /// <summary>Prints the engine's version: the command line is built with it, from the same commit.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            Assembly engine = typeof(ClearingEngine).Assembly;
            string version = engine.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? engine.GetName().Version?.ToString()
                ?? "unknown";
            parseResult.InvocationConfiguration.Output.WriteLine($"{Name} {version}");
            return ExitCodes.Success;
        }
    }
}
