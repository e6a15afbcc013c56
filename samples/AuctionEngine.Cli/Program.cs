using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Commands;

if (args.Length == 0)
{
    Console.Error.Write(Usage.Text);
    return ExitCodes.UsageError;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.Write(Usage.Text);
    return ExitCodes.Success;
}

try
{
    return args[0] switch
    {
        "clear" => ClearCommand.Run(args.AsSpan(1)),
        "demo" => DemoCommand.Run(args.AsSpan(1)),
        "settle" => SettleCommand.Run(args.AsSpan(1)),
        "abi" => AbiCommand.Run(args.AsSpan(1)),
        _ => throw new UsageException($"unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"auction: {e.Message}");
    Console.Error.Write(Usage.Text);
    return ExitCodes.UsageError;
}
