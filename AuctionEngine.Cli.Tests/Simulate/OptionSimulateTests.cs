using System.Text.Json.Nodes;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Simulate;

/// <summary><c>auction simulate</c> with option series: the example and its documented output, quotes, hedges, expiry, refusals.</summary>
[TestFixture]
public sealed class OptionSimulateTests
{
    private const string Perpetual = """
        "market": {"type": "perpetual", "initialMarginPpm": 100000, "maintenanceMarginPpm": 50000},
        "time": {"blockSeconds": 86400},
        "series": {"C": {"type": "call", "strike": 100, "expiryBlock": 5, "volatility": 0.8}}
        """;

    private static string Scenario => CliRun.Sample("option-scenario.json");

    [Test]
    public void TheReadmeShowsExactlyWhatTheOptionExamplePrints()
    {
        SimulateOutput.AssertReadmeShowsWhatItPrints("<!-- option-simulate-output", Scenario);
    }

    [Test]
    public void TheExampleQuotesHedgesSettlesAndConservesMoney()
    {
        List<JsonObject> events = SimulateOutput.Events(CliRun.Of("simulate", Scenario).Output);
        JsonNode scenario = JsonNode.Parse(File.ReadAllText(Scenario))!;
        JsonObject accounts = events[^1];
        JsonObject settled = events.Single(e => (string?)e["event"] == "seriesSettled");
        List<JsonObject> bids = [.. events.Where(e => (string?)e["event"] == "released" && (string?)e["leg"] == "bid")];
        List<JsonObject> asks = [.. events.Where(e => (string?)e["event"] == "released" && (string?)e["leg"] == "ask")];
        List<JsonObject> hedges = [.. events.Where(e => (string?)e["event"] == "fill" && (string?)e["leg"] == "hedge")];
        long strike = (long)scenario["series"]!["ETH-2100-C"]!["strike"]!;
        Assert.Multiple(() =>
        {
            // The quote posts a pair into every batch from its arrival to its expiry block, each bid below its ask.
            Assert.That(bids.Select(e => (long)e["block"]!), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(bids.Zip(asks).All(p => (long)p.First["price"]! < (long)p.Second["price"]! && (long)p.First["block"]! == (long)p.Second["block"]!));
            Assert.That(bids.All(e => (string?)e["market"] == "ETH-2100-C"), "quotes go to the series' batch");

            // After the maker sold 10 calls its spread is wider at the same oracle: its vega and delta widen it.
            long spreadBefore = (long)asks[0]["price"]! - (long)bids[0]["price"]!;
            long spreadAfter = (long)asks[1]["price"]! - (long)bids[1]["price"]!;
            Assert.That(spreadAfter, Is.GreaterThan(spreadBefore));

            // The hedge buys perpetuals against the short calls, then sells them all once the series has settled.
            long bought = hedges.Where(e => (string?)e["side"] == "buy").Sum(e => (long)e["filled"]!);
            Assert.That(bought, Is.Positive);
            Assert.That(hedges.Where(e => (string?)e["side"] == "sell").Sum(e => (long)e["filled"]!), Is.EqualTo(bought));
            Assert.That((long)accounts["accounts"]!["mm"]!["positions"]![0]!, Is.Zero, "flat once the calls are gone");
            Assert.That(hedges.All(e => e["market"] is null), "hedges trade the perpetual");

            // Cash settlement at the oracle of the expiry block: (S − K) a lot, exactly.
            Assert.That((long)settled["block"]!, Is.EqualTo((long)scenario["series"]!["ETH-2100-C"]!["expiryBlock"]!));
            Assert.That((long)settled["payoffPerLot"]!, Is.EqualTo((long)settled["price"]! - strike));
            Assert.That((long)settled["paid"]!, Is.EqualTo((long)settled["payoffPerLot"]! * (long)settled["openInterest"]!));
            Assert.That(accounts["accounts"]!.AsObject().Select(a => (long)a.Value!["positions"]![1]!), Is.All.Zero, "the series closed");
        });

        // Conservation across the perpetual and the series: what the accounts, the fund and the fee account hold is what was deposited.
        long held = accounts["accounts"]!.AsObject().Sum(a => (long)a.Value!["collateral"]!) + (long)accounts["insuranceFund"]! + (long)accounts["feeAccount"]!;
        long deposited = scenario["accounts"]!.AsObject().Sum(a => (long)a.Value!["collateral"]!) + (long)scenario["market"]!["insuranceFund"]!;
        Assert.That(held, Is.EqualTo(deposited));
    }

    [Test]
    public void AnOrderForAnExpiredSeriesIsRejectedWithTheReason()
    {
        string output = Run($$$"""
            { {{{Perpetual}}}, "accounts": {"a": {"collateral": 100000}, "b": {"collateral": 100000}},
              "blocks": [
                {"block": 1, "oracle": 100},
                {"block": 5, "oracle": 120, "orders": [
                  {"id": "late-bid", "trader": "a", "market": "C", "side": "buy", "price": 25, "quantity": 1},
                  {"id": "late-ask", "trader": "b", "market": "C", "side": "sell", "price": 15, "quantity": 1}]}]}
            """, out int exitCode);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        List<JsonObject> events = SimulateOutput.Events(output);
        Assert.That(
            events.Where(e => (string?)e["event"] == "rejected").Select(e => ((string?)e["id"], (string?)e["reason"], (string?)e["market"])),
            Is.EquivalentTo(new[] { ("late-bid", "seriesExpired", "C"), ("late-ask", "seriesExpired", "C") }));
        Assert.That(events.Single(e => (string?)e["event"] == "seriesSettled")["payoffPerLot"]!.GetValue<long>(), Is.EqualTo(20));
    }

    [Test]
    public void AVolatilityGivenInABlockHoldsForTheFollowingBlocks()
    {
        // The maker quotes with no exposure; the bid moves with the fair value only, so a higher volatility raises it.
        string Blocks(string volatility) => Run($$$"""
            { {{{Perpetual}}}, "accounts": {"m": {"collateral": 1000000}},
              "blocks": [
                {"block": 1, "oracle": 100, "instructions": [{"id": "q", "trader": "m", "type": "quote", "market": "C", "quantity": 1, "minHalfSpread": 1}]},
                {"block": 2, "oracle": 100{{{volatility}}}},
                {"block": 3, "oracle": 100}]}
            """, out _);
        static long[] Bids(string output) =>
            [.. SimulateOutput.Events(output).Where(e => (string?)e["leg"] == "bid" && (string?)e["event"] == "released").Select(e => (long)e["price"]!)];
        long[] same = Bids(Blocks(""));
        long[] higher = Bids(Blocks(", \"volatility\": 1.6"));
        Assert.Multiple(() =>
        {
            Assert.That(higher[0], Is.EqualTo(same[0]), "block 1 is before the change");
            Assert.That(higher[1], Is.GreaterThan(same[1]), "block 2 gives 160%");
            Assert.That(higher[2], Is.GreaterThan(same[2]), "block 3 keeps it");
        });
    }

    [TestCase("{\"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1}]}", "series: needs a perpetual market")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"straddle\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "series.C.type: must be one of \"call\", \"put\"")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "series.C: needs \"volatility\"")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": -0.1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "series.C.volatility: must be a number from 0 to 100")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1, \"contractSize\": 1000000000, \"maxPosition\": 1000000000000}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "series.C.maxPosition: makes the series' largest premium or payoff exceed 2^96")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"volatility\": 0.5}]}", "blocks[0].volatility: needs option series")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"volatility\": {\"P\": 0.5}}]}", "blocks[0].volatility.P: names no series (\"P\"); the series are \"C\"")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"orders\": [{\"id\": \"o\", \"trader\": \"x\", \"market\": \"D\", \"side\": \"buy\", \"price\": 1, \"quantity\": 1}]}]}", "blocks[0].orders[0].market: names no series (\"D\")")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"instructions\": [{\"id\": \"q\", \"trader\": \"x\", \"type\": \"quote\", \"quantity\": 1}]}]}", "blocks[0].instructions[0]: a quote needs \"market\"")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"series\": {\"C\": {\"type\": \"call\", \"strike\": 1, \"expiryBlock\": 2, \"volatility\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"instructions\": [{\"id\": \"h\", \"trader\": \"x\", \"type\": \"deltaHedge\", \"market\": \"C\", \"maxQuantity\": 1}]}]}", "blocks[0].instructions[0].market: a deltaHedge trades the perpetual")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"instructions\": [{\"id\": \"h\", \"trader\": \"x\", \"type\": \"deltaHedge\", \"maxQuantity\": 1}]}]}", "blocks[0].instructions[0]: a deltaHedge trades the perpetual")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"instructions\": [{\"id\": \"h\", \"trader\": \"x\", \"type\": \"deltaHedge\"}]}]}", "blocks[0].instructions[0]: needs \"maxQuantity\"")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"time\": {\"blockSeconds\": 0}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "time.blockSeconds: must be an integer from 1")]
    public void ABadOptionScenarioIsRefusedWithTheFieldAndExitCode2(string json, string message)
    {
        SimulateOutput.AssertRefused(json, message);
    }

    private static string Run(string json, out int exitCode)
    {
        CliRun run = SimulateOutput.Simulate(json);
        exitCode = run.ExitCode;
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        return run.Output;
    }
}
