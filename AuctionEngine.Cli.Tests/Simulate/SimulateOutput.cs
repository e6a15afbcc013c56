using System.Text.Json.Nodes;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Simulate;

/// <summary>What both simulate suites read: the README's copy of an example's output, and JSON Lines as events.</summary>
internal static class SimulateOutput
{
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
