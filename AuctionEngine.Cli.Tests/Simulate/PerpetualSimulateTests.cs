using System.Text.Json.Nodes;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Simulate;

/// <summary><c>auction simulate</c> on a perpetual market: the example and its documented output, the new keys, refusals.</summary>
[TestFixture]
public sealed class PerpetualSimulateTests
{
    private const string Market = """
        "market": {"type": "perpetual", "initialMarginPpm": 100000, "maintenanceMarginPpm": 50000, "insuranceFund": 0}
        """;

    private static string Scenario => CliRun.Sample("perpetual-scenario.json");

    [Test]
    public void TheReadmeShowsExactlyWhatThePerpetualExamplePrints()
    {
        SimulateOutput.AssertReadmeShowsWhatItPrints("<!-- perpetual-simulate-output", Scenario);
    }

    [Test]
    public void TheExampleLiquidatesInTheBatchPaysFundingAndResizesAndCancelsReduceOnlyExits()
    {
        List<JsonObject> events = SimulateOutput.Events(CliRun.Of("simulate", Scenario).Output);
        JsonObject liquidation = events.Single(e => (string?)e["event"] == "liquidation");
        JsonObject accounts = events[^1];
        Assert.Multiple(() =>
        {
            Assert.That((string?)liquidation["account"], Is.EqualTo("alice"));
            Assert.That((long)liquidation["price"]!, Is.LessThan((long)liquidation["bankruptcyPrice"]! + 1_000), "a fillable-price limit and a bankruptcy price");
            Assert.That(events.Any(e => (string?)e["event"] == "fill" && (bool?)e["liquidation"] == true && (string?)e["order"] == (string?)liquidation["order"]), "the liquidation fills in the batch");
            Assert.That(events.Count(e => (string?)e["event"] == "funding"), Is.EqualTo(2), "funding every 3 blocks over 7");
            Assert.That(events.Any(e => (string?)e["event"] == "insuranceFund"), "the fund's balance");
            Assert.That(events.Single(e => (string?)e["event"] == "released" && (string?)e["leg"] == "takeProfit")["quantity"]!.GetValue<long>(), Is.EqualTo(6), "the exit resized to the 6 lots left");
            Assert.That(events.Any(e => (string?)e["event"] == "cancelled" && (string?)e["leg"] == "stopLoss" && (string?)e["cause"] == "positionClosed"), "closing cancels the stop");
            Assert.That((string?)accounts["event"], Is.EqualTo("accounts"));
            Assert.That(accounts["block"], Is.Null);
        });

        // Conservation: what the accounts, the fund and the fee account hold is what was deposited.
        long held = accounts["accounts"]!.AsObject().Sum(a => (long)a.Value!["collateral"]!) + (long)accounts["insuranceFund"]! + (long)accounts["feeAccount"]!;
        JsonNode scenario = JsonNode.Parse(File.ReadAllText(Scenario))!;
        long deposited = scenario["accounts"]!.AsObject().Sum(a => (long)a.Value!["collateral"]!) + (long)scenario["market"]!["insuranceFund"]!;
        Assert.That(held, Is.EqualTo(deposited));
        Assert.That(accounts["accounts"]!.AsObject().Sum(a => (long)a.Value!["positions"]![0]!), Is.Zero);
    }

    [Test]
    public void AnOrderBeyondTheInitialMarginIsRejectedWithTheMarginReason()
    {
        // 10 % initial margin at 100 ticks: 1,000 quote atoms carry exactly 100 lots, not 101.
        string output = Run($$$"""
            { {{{Market}}}, "accounts": {"a": {"collateral": 1000}, "b": {"collateral": 1000000}, "c": {"collateral": 1000}},
              "blocks": [{"block": 1, "oracle": 100, "orders": [
                {"id": "fits", "trader": "a", "side": "buy", "price": 100, "quantity": 100},
                {"id": "too-much", "trader": "c", "side": "buy", "price": 100, "quantity": 101},
                {"id": "close-nothing", "trader": "b", "side": "sell", "price": 100, "quantity": 5, "reduceOnly": true},
                {"id": "offer", "trader": "b", "side": "sell", "price": 100, "quantity": 200}]}]}
            """, out int exitCode);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        List<JsonObject> events = SimulateOutput.Events(output);
        Assert.That(
            events.Where(e => (string?)e["event"] == "rejected").Select(e => ((string?)e["id"], (string?)e["reason"])),
            Is.EquivalentTo(new[] { ("too-much", "insufficientMargin"), ("close-nothing", "nothingToReduce") }));
        Assert.That((long)events[^1]["accounts"]!["a"]!["positions"]![0]!, Is.EqualTo(100));
    }

    [Test]
    public void AReduceOnlyTwapClosesThePositionAndStopsWhereAnUnflaggedTwinGoesShort()
    {
        // a and c are both long 6 and both TWAP out 10 lots in two parts of 5; only a's TWAP is signed reduce-only.
        string output = Run($$$"""
            { {{{Market}}}, "accounts": {"a": {"collateral": 10000}, "c": {"collateral": 10000}, "b": {"collateral": 1000000}},
              "blocks": [
                {"block": 1, "oracle": 100, "orders": [
                  {"id": "a-long", "trader": "a", "side": "buy", "price": 100, "quantity": 6},
                  {"id": "c-long", "trader": "c", "side": "buy", "price": 100, "quantity": 6},
                  {"id": "b-offer", "trader": "b", "side": "sell", "price": 100, "quantity": 12}],
                 "instructions": [
                  {"id": "a-exit", "trader": "a", "type": "twap", "side": "sell", "quantity": 10, "parts": 2, "blocksPerPart": 1, "toleranceBps": 100, "reduceOnly": true},
                  {"id": "c-exit", "trader": "c", "type": "twap", "side": "sell", "quantity": 10, "parts": 2, "blocksPerPart": 1, "toleranceBps": 100, "reduceOnly": false}]},
                {"block": 2, "oracle": 100},
                {"block": 3, "oracle": 100, "orders": [{"id": "b-bid-3", "trader": "b", "side": "buy", "price": 100, "quantity": 50}]},
                {"block": 4, "oracle": 100, "orders": [{"id": "b-bid-4", "trader": "b", "side": "buy", "price": 100, "quantity": 50}]}]}
            """, out int exitCode);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        List<JsonObject> events = SimulateOutput.Events(output);
        JsonObject accounts = events[^1]["accounts"]!.AsObject();
        Assert.Multiple(() =>
        {
            JsonObject reduced = events.Single(e => (string?)e["event"] == "reduced");
            Assert.That(((string?)reduced["id"], (long)reduced["quantity"]!), Is.EqualTo(("a-exit", 1L)), "the second part is cut to the 1 lot left");
            Assert.That(events.Where(e => (string?)e["event"] == "fill" && (string?)e["instruction"] == "a-exit").Sum(e => (long)e["filled"]!), Is.EqualTo(6));
            Assert.That((long)accounts["a"]!["positions"]![0]!, Is.Zero, "the reduce-only TWAP closes and stops");
            Assert.That((long)accounts["c"]!["positions"]![0]!, Is.EqualTo(-4), "the unflagged TWAP sells through to a short");
        });
    }

    [TestCase("{\"market\": {\"type\": \"future\"}, \"blocks\": [{\"block\": 1}]}", "market.type: must be one of \"spot\", \"perpetual\"")]
    [TestCase("{\"market\": {\"initialMarginPpm\": 1}, \"blocks\": [{\"block\": 1}]}", "market.initialMarginPpm: is not a known key here")]
    [TestCase("{\"market\": {\"type\": \"perpetual\", \"initialMarginPpm\": 50000, \"maintenanceMarginPpm\": 50000}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "market.maintenanceMarginPpm: must be an integer from 1 to 49999")]
    [TestCase("{\"market\": {\"type\": \"perpetual\", \"fundingIntervalBlocks\": 0}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "market.fundingIntervalBlocks: must be an integer from 1")]
    [TestCase("{\"market\": {\"type\": \"perpetual\", \"bankruptcyAdjustmentPpm\": 999999}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "market.bankruptcyAdjustmentPpm: must be an integer from 1000000")]
    [TestCase("{\"market\": {\"type\": \"perpetual\", \"insuranceFund\": -1}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "market.insuranceFund: must be an integer from 0")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1}]}", "blocks[0]: needs \"oracle\": a perpetual market needs an index price")]
    [TestCase("{\"accounts\": {\"a\": {\"collateral\": 1}}, \"blocks\": [{\"block\": 1}]}", "accounts: needs a perpetual market")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"accounts\": {\"a\": {\"cash\": 1}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "accounts.a.cash: is not a known key here")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"accounts\": {\"a\": {\"collateral\": -5}}, \"blocks\": [{\"block\": 1, \"oracle\": 1}]}", "accounts.a.collateral: must be an integer from 0")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"orders\": [{\"id\": \"o\", \"trader\": \"x\", \"side\": \"buy\", \"price\": 1, \"quantity\": 1, \"reduceOnly\": true}]}]}", "blocks[0].orders[0].reduceOnly: needs a perpetual market")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"orders\": [{\"id\": \"o\", \"trader\": \"x\", \"side\": \"buy\", \"price\": 1, \"quantity\": 1, \"reduceOnly\": \"yes\"}]}]}", "blocks[0].orders[0].reduceOnly: must be true or false")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"instructions\": [{\"id\": \"s\", \"trader\": \"x\", \"type\": \"stop\", \"side\": \"sell\", \"kind\": \"stopLoss\", \"triggerPrice\": 1, \"quantity\": 1, \"reduceOnly\": false}]}]}", "blocks[0].instructions[0].reduceOnly: must be true: a stop on a perpetual market is always reduce-only")]
    [TestCase("{\"market\": {\"type\": \"perpetual\"}, \"blocks\": [{\"block\": 1, \"oracle\": 1, \"instructions\": [{\"id\": \"b\", \"trader\": \"x\", \"type\": \"bracket\", \"reduceOnly\": true, \"entry\": {\"type\": \"limit\", \"side\": \"buy\", \"price\": 1, \"quantity\": 1}, \"takeProfit\": {\"triggerPrice\": 2}, \"stopLoss\": {\"triggerPrice\": 1}}]}]}", "blocks[0].instructions[0].reduceOnly: cannot be true on a bracket")]
    [TestCase("{\"blocks\": [{\"block\": 1, \"instructions\": [{\"id\": \"t\", \"trader\": \"x\", \"type\": \"twap\", \"side\": \"sell\", \"quantity\": 4, \"parts\": 2, \"blocksPerPart\": 1, \"reduceOnly\": true}]}]}", "blocks[0].instructions[0].reduceOnly: needs a perpetual market")]
    public void ABadPerpetualScenarioIsRefusedWithTheFieldAndExitCode2(string json, string message)
    {
        SimulateOutput.AssertRefused(json, message);
    }

    private static string Run(string json, out int exitCode)
    {
        CliRun run = SimulateOutput.Simulate(json);
        exitCode = run.ExitCode;
        return run.Output;
    }
}
