namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// Where a command reports the progress of its long phases (reading, sealing, decrypting, clearing, writing). The
/// command line decides how it is shown: a live display when standard error is a terminal, nothing otherwise or with
/// <c>--quiet</c> (<see cref="NoProgress"/>).
/// </summary>
internal interface IPhaseProgress
{
    /// <summary>Starts a phase; dispose the handle when it ends.</summary>
    /// <param name="description">What the phase does, e.g. "reading orders.csv".</param>
    /// <param name="total">Its size in whatever units <see cref="IPhase.Advance"/> counts (bytes, orders), or 0 if unknown.</param>
    /// <returns>The running phase.</returns>
    IPhase Begin(string description, long total);
}

/// <summary>A phase in progress.</summary>
internal interface IPhase : IDisposable
{
    /// <summary>Records that <paramref name="units"/> more units are done. May be called from any thread.</summary>
    /// <param name="units">Units done since the last call.</param>
    void Advance(long units);
}

/// <summary>Shows nothing: for redirected output, <c>--quiet</c>, and tests.</summary>
internal sealed class NoProgress : IPhaseProgress, IPhase
{
    public static readonly NoProgress Instance = new();

    public IPhase Begin(string description, long total) => this;

    public void Advance(long units)
    {
    }

    public void Dispose()
    {
    }
}
