using AuctionEngine.Cli.CommandLine;
using System.Text.Json.Nodes;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Simulate;

/// <summary>
/// What the simulate suites share: running a scenario given as text, the checks on a refused one, the README's copy of
/// an example's output, and JSON Lines as events.
/// </summary>
internal static class SimulateOutput
{
    /// <summary>Runs <c>auction simulate</c> on <paramref name="json"/>, written to a temporary file that is deleted after.</summary>
    public static CliRun Simulate(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return CliRun.Of("simulate", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs a scenario that must be refused: exit code 2, one error line naming the file and containing <paramref name="message"/>, no output.</summary>
    public static void AssertRefused(string json, string message)
    {
        CliRun run = Simulate(json);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError), run.Error);
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Match(@"^auction simulate: .*scenario-[0-9a-f]{32}\.json, "));
            Assert.That(run.Error, Does.Contain(message));
            Assert.That(run.Output, Is.Empty);
        });
    }

    /// <summary>Checks that <c>auction simulate</c> on <paramref name="scenario"/> succeeds and prints exactly the README's block after <paramref name="marker"/>.</summary>
    public static void AssertReadmeShowsWhatItPrints(string marker, string scenario)
    {
        string shown = ReadmeBlock(marker);
        CliRun run = CliRun.Of("simulate", scenario);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Is.EqualTo(shown));
    }

    /// <summary>The <c>jsonl</c> block the README shows after the HTML comment that begins with <paramref name="marker"/>.</summary>
    public static string ReadmeBlock(string marker)
    {
        string readme = File.ReadAllText(CliRun.Sample("README.md"));
        int at = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0), "the README marks the output it shows");
        int start = readme.IndexOf("```jsonl\n", at, StringComparison.Ordinal) + "```jsonl\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    /// <summary>One JSON object per line of <paramref name="output"/>.</summary>
    public static List<JsonObject> Events(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
}
