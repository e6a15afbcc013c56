using System.Text.Json;
using System.Text.Json.Nodes;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Simulate;

/// <summary><c>auction simulate</c>: the example scenario and its documented output, determinism, and refused scenarios.</summary>
[TestFixture]
public sealed class SimulateCommandTests
{
    private static readonly int[] TwapParts = [0, 1, 2];

    private static string Scenario => CliRun.Sample("scenario.json");

    [Test]
    public void TheReadmeShowsExactlyWhatTheExampleScenarioPrints()
    {
        SimulateOutput.AssertReadmeShowsWhatItPrints("<!-- simulate-output", Scenario);
    }

    [Test]
    public void TheExampleExercisesEveryInstructionTypeACancellationAndAnInterruption()
    {
        List<JsonObject> events = SimulateOutput.Events(CliRun.Of("simulate", Scenario).Output);
        bool Has(string kind, string? instruction = null, string? leg = null) => events.Any(e =>
            (string?)e["event"] == kind && (instruction is null || (string?)e["instruction"] == instruction) && (leg is null || (string?)e["leg"] == leg));
        Assert.Multiple(() =>
        {
            Assert.That(Has("triggered", "alice-stop") && Has("fill", "alice-stop"), "stop");
            Assert.That(Has("activated", "bob-trailing") && Has("triggered", "bob-trailing"), "trailing stop");
            Assert.That(events.Where(e => (string?)e["instruction"] == "carol-iceberg" && (string?)e["event"] == "released").All(e => (long)e["quantity"]! <= 3) && Has("completed", "carol-iceberg"), "iceberg");
            Assert.That(events.Where(e => (string?)e["instruction"] == "dave-twap" && (string?)e["event"] == "released").Select(e => (int)e["part"]!), Is.EqualTo(TwapParts), "TWAP");
            Assert.That(Has("cancelled", "erin-oco", "first") && Has("triggered", "erin-oco", "second"), "OCO");
            Assert.That(Has("fill", "frank-bracket", "entry") && Has("fill", "frank-bracket", "stopLoss") && Has("cancelled", "frank-bracket", "takeProfit"), "bracket");
            Assert.That(Has("cancelled", "gina-limit") && Has("withdrawn", "gina-limit"), "cancellation");
            Assert.That(events.Any(e => (string?)e["event"] == "rejected" && (string?)e["id"] == "hal-twap"), "refusal");
            Assert.That(events.Any(e => (string?)e["event"] == "interrupted" && (string?)e["band"] == "dynamic"), "interruption");
            Assert.That(events.Any(e => (string?)e["event"] == "cleared" && e["firstBatch"] is not null), "the extended batch clears");
            Assert.That(Has("stale"), "stale oracle");
        });
    }

    [Test]
    public void EveryLineIsOneJsonObjectWithItsBlockAndEventAndBlocksAscend()
    {
        string output = CliRun.Of("simulate", Scenario).Output;
        Assert.That(output, Does.EndWith("\n"));
        List<JsonObject> events = SimulateOutput.Events(output);
        Assert.That(events.Select(e => (long)e["block"]!), Is.Ordered);
        Assert.That(events.All(e => e["event"] is JsonValue), Is.True);
    }

    [Test]
    public void TheSameScenarioPrintsTheSameLinesWhateverTheOrderOfItsListsWithinABlock()
    {
        JsonNode scenario = JsonNode.Parse(File.ReadAllText(Scenario))!;
        foreach (JsonNode? block in scenario["blocks"]!.AsArray())
        {
            foreach (string list in new[] { "orders", "instructions", "cancel" })
            {
                if (block![list] is JsonArray items)
                {
                    JsonNode?[] reversed = [.. items.Select(i => i?.DeepClone()).Reverse()];
                    block[list] = new JsonArray(reversed);
                }
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"scenario-reversed-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, scenario.ToJsonString());
        try
        {
            CliRun first = CliRun.Of("simulate", Scenario);
            Assert.That(CliRun.Of("simulate", Scenario).Output, Is.EqualTo(first.Output));
            Assert.That(CliRun.Of("simulate", path).Output, Is.EqualTo(first.Output));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("{}", "line 1, the scenario: needs \"blocks\"")]
    [TestCase("{\"blocks\": []}", "line 1, blocks: must list at least one block")]
    [TestCase("{\"blocks\": [{\"block\": 2}, {\"block\": 2}]}", "blocks[1].block: must come after block 2")]
    [TestCase("{\"blocks\": [{\"block\": 0}]}", "blocks[0].block: must be an integer from 1")]
    [TestCase("{\"blocks\": [{\"block\": 1}],\n \"extra\": 1}", "line 2, extra: is not a known key here")]
    [TestCase("{\"blocks\": [{\"block\": 1,\n \"orders\": [{\"id\": \"a\", \"trader\": \"x\", \"side\": \"up\", \"price\": 1, \"quantity\": 1}]}]}", "line 2, blocks[0].orders[0].side: must be one of \"buy\", \"sell\"")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"orders\": [{\"id\": \"a\", \"trader\": \"x\", \"side\": \"buy\", \"price\": \"cheap\", \"quantity\": 1}]}]}", "blocks[0].orders[0].price: must be one of \"market\"")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"orders\": [{\"id\": \"a\", \"trader\": \"x\", \"side\": \"buy\", \"price\": 1, \"quantity\": 1.5}]}]}", "blocks[0].orders[0].quantity: must be an integer")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"instructions\": [{\"id\": \"s\", \"trader\": \"x\", \"type\": \"straddle\"}]}]}", "blocks[0].instructions[0].type: must be one of")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"instructions\": [{\"id\": \"s\", \"trader\": \"x\", \"type\": \"stop\", \"side\": \"sell\", \"kind\": \"stopLoss\", \"quantity\": 1}]}]}", "blocks[0].instructions[0]: needs \"triggerPrice\"")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"instructions\": [{\"id\": \"o\", \"trader\": \"x\", \"type\": \"oco\", \"legs\": []}]}]}", "blocks[0].instructions[0].legs: must hold exactly two legs")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"cancel\": [\"nothing\"]}]}", "blocks[0].cancel[0]: names no instruction listed before it")]
    [TestCase("{\"circuitBreaker\": {\"extensionBlocks\": 0}, \"blocks\": [{\"block\": 1}]}", "circuitBreaker.extensionBlocks: must be an integer from 1")]
    [TestCase("{\"rule\": \"vickrey\", \"blocks\": [{\"block\": 1}]}", "rule: must be one of \"midpoint\", \"xetra\", \"euronext\"")]
    [TestCase("{\"blocks\": [{\"block\": 1}]", "line 1: not valid JSON")]
    public void ABadScenarioIsRefusedWithItsLineAndFieldAndExitCode2(string json, string message)
    {
        SimulateOutput.AssertRefused(json, message);
    }

    [Test]
    public void AMissingFileIsAnInputError()
    {
        CliRun run = CliRun.Of("simulate", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
        Assert.That(run.Error, Does.Contain("cannot read it"));
    }

    [Test]
    public void AnOrderPriceAboveTheSimulatorsBoundOrAnOrderIdListedTwiceIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {"blocks": [{"block": 5, "oracle": 100,
              "orders": [{"id": "big", "trader": "x", "side": "buy", "price": 1000000000001, "quantity": 1}],
              "instructions": [{"id": "t", "trader": "x", "type": "twap", "side": "buy", "quantity": 0, "parts": 2, "blocksPerPart": 1}]}]}
            """);
        try
        {
            CliRun run = CliRun.Of("simulate", path);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError), "a price above the simulator's maximum is the scenario's mistake");
            Assert.That(run.Error, Does.Contain("blocks[0].orders[0].price"));
            File.WriteAllText(path, File.ReadAllText(path).Replace("1000000000001", "100", StringComparison.Ordinal).Replace("\"quantity\": 1}", "\"quantity\": 1}, {\"id\": \"big\", \"trader\": \"y\", \"side\": \"sell\", \"price\": 100, \"quantity\": 1}", StringComparison.Ordinal));
            run = CliRun.Of("simulate", path);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
            Assert.That(run.Error, Does.Contain("order \"big\" is listed twice"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ARefusedInstructionIsAnEventWithItsReason()
    {
        CliRun run = SimulateOutput.Simulate("""
            {"blocks": [{"block": 5, "oracle": 100,
              "instructions": [{"id": "t", "trader": "x", "type": "twap", "side": "buy", "quantity": 0, "parts": 2, "blocksPerPart": 1}]}]}
            """);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.StartWith("{\"block\":5,\"event\":\"rejected\",\"id\":\"t\",\"reason\":\"invalidQuantity\"}\n"));
    }
}
