using AuctionEngine.Cli.CommandLine;

if (BuildConfiguration.IsDebug)
{
    Console.Error.WriteLine(BuildConfiguration.DebugBuildWarning);
}

return Cli.Run(args, CliConsole.Standard);
