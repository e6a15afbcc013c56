namespace AuctionEngine.Cli.CommandLine;

/// <summary>The process exit codes.</summary>
/// <remarks>
/// Bad usage and unusable input share 2, the code many Unix tools use for trouble with what they were given; 1 is
/// anything else that went wrong, which is never the user's doing. They keep separate names so each call site says
/// which it means.
/// </remarks>
internal static class ExitCodes
{
    /// <summary>The command ran; for <c>clear</c>, whether or not the batch cleared.</summary>
    public const int Success = 0;

    /// <summary>Something failed that neither the arguments nor the input explain; one line on standard error says what.</summary>
    public const int UnexpectedFailure = 1;

    /// <summary>Unknown command or option, missing or malformed argument.</summary>
    public const int UsageError = 2;

    /// <summary>The input file is missing, unreadable or malformed.</summary>
    public const int InputError = 2;

    /// <summary>
    /// <c>clear</c> ran, but the price rule needs a reference price to choose among tied prices and none was given:
    /// run again with <c>--reference-price</c>. The JSON says <c>"status": "referencePriceRequired"</c>.
    /// </summary>
    public const int ReferencePriceRequired = 3;
}
