using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>Progress appears on standard error at a terminal only, never with --quiet, and never on standard output.</summary>
[TestFixture]
public sealed class ProgressTests
{
    private static readonly string[] LargePlainDemo = ["demo", "--plain", "--orders", "400000", "--threads", "2"];

    [Test]
    public void APipeGetsNoProgress()
    {
        CliRun run = CliRun.Of(LargePlainDemo);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Error, Is.Empty);
        }
    }

    [Test]
    public void QuietSilencesItAtATerminal()
    {
        CliRun run = CliRun.AtTerminal([.. LargePlainDemo, "--quiet"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Error, Is.Empty);
        }
    }

    [Test]
    public void ATerminalSeesEachLongPhaseOnStandardErrorOnly()
    {
        CliRun run = CliRun.AtTerminal(LargePlainDemo);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Error, Does.Contain("generating 400,000 orders").And.Contain("clearing 400,000 orders"));
            Assert.That(run.Output, Does.StartWith("Demo batch: 400,000 orders"));
            Assert.That(run.Output, Does.Not.Contain("generating"));
            Assert.That(run.Output.Contains('\u001b', StringComparison.Ordinal), Is.False, "an escape code on standard output");
        }
    }

    [Test]
    public void APhaseShorterThanTheDelayNeverShows()
    {
        using var error = new StringWriter();
        var progress = new LivePhaseProgress(error, TimeSpan.FromMinutes(1));

        using (IPhase phase = progress.Begin("brief", 10))
        {
            phase.Advance(10);
        }

        Assert.That(error.ToString(), Is.Empty);
    }

    [Test]
    public void APhaseMayBeAdvancedFromManyThreads()
    {
        using var error = new StringWriter();
        var progress = new LivePhaseProgress(error, TimeSpan.Zero);

        using (IPhase phase = progress.Begin("counting", 100_000))
        {
            Parallel.For(0, 100_000, _ => phase.Advance(1));
        }

        // The last frame shows the count the threads reached: one lost update and it would say 99%.
        Assert.That(error.ToString(), Does.Contain("counting").And.Contain("100%"));
    }
}
