using Spectre.Console;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// Shows each phase as a Spectre.Console live display on standard error while it runs, and clears it when the phase
/// ends, so that whatever the command prints next starts on a clean line.
/// </summary>
/// <remarks>
/// Spectre's display is not thread-safe and its <c>Start</c> blocks until the work is done, while a phase here is a
/// handle that any thread may advance. So each phase runs its display on a thread of its own, which alone touches the
/// Spectre task: <see cref="IPhase.Advance"/> only adds to a counter that the display thread copies a few times a
/// second.
/// </remarks>
/// <param name="error">Standard error, which must be a terminal.</param>
/// <param name="showAfter">How long a phase runs before its display appears; zero shows every phase at once.</param>
internal sealed class LivePhaseProgress(TextWriter error, TimeSpan showAfter) : IPhaseProgress
{
    /// <summary>
    /// A phase that ends sooner never shows: a display that flashes for a few milliseconds tells nobody anything, and
    /// most phases of a small batch are that short.
    /// </summary>
    public static readonly TimeSpan DefaultShowAfter = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(error),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,

        // Only ever created for a terminal (see CliConsole.Progress), which Spectre cannot always tell from the writer.
        Interactive = InteractionSupport.Yes,
    });

    /// <inheritdoc/>
    public IPhase Begin(string description, long total) => new LivePhase(_console, description, total, showAfter);

    private sealed class LivePhase : IPhase
    {
        private readonly ManualResetEventSlim _ended = new();
        private readonly Task _display;
        private long _done;
        private int _disposed;

        public LivePhase(IAnsiConsole console, string description, long total, TimeSpan showAfter)
        {
            ProgressColumn[] columns = total > 0
                ? [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()]
                : [new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn()];
            Progress progress = console.Progress().AutoClear(true).Columns(columns);
            _display = Task.Factory.StartNew(
                () =>
                {
                    if (showAfter > TimeSpan.Zero && _ended.Wait(showAfter))
                    {
                        return;
                    }

                    progress.Start(context =>
                    {
                        ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: total > 0 ? total : 1);
                        task.IsIndeterminate = total <= 0;
                        do
                        {
                            task.Value = Math.Min(Interlocked.Read(ref _done), task.MaxValue);
                            context.Refresh();
                        }
                        while (!_ended.Wait(RefreshInterval));

                        // The last frame shows how far the phase got, which is all of it unless it failed.
                        task.Value = Math.Min(Interlocked.Read(ref _done), task.MaxValue);
                    });
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        public void Advance(long units) => Interlocked.Add(ref _done, units);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _ended.Set();

            // The display is gone from the screen once this returns; a failure to draw it is a failure of the run.
            _display.GetAwaiter().GetResult();
            _ended.Dispose();
        }
    }
}
