using System.Diagnostics;
using System.Reflection;
using AuctionEngine.Clearing;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>Whether this build's timings mean anything.</summary>
internal static class BuildConfiguration
{
    /// <summary>Printed once on standard error by a Debug build.</summary>
    public const string DebugBuildWarning = "auction: this is a Debug build; timings are not representative — use -c Release";

    /// <summary>
    /// True when the command line or the engine was compiled without optimisation. The engine is checked too because
    /// its speed is what the timings report, and it is the assembly a mixed build could leave unoptimised.
    /// </summary>
    public static bool IsDebug { get; } = IsUnoptimised(typeof(BuildConfiguration).Assembly) || IsUnoptimised(typeof(ClearingEngine).Assembly);

    private static bool IsUnoptimised(Assembly assembly) => assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
}
