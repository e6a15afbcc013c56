using AuctionEngine.Cli.CommandLine;

if (BuildConfiguration.IsDebug)
{
    Console.Error.WriteLine(BuildConfiguration.DebugBuildWarning);
}

return AuctionCli.Run(args, CliConsole.Standard);
