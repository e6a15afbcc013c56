using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using AuctionEngine.Abi;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Demo;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Threshold;

namespace AuctionEngine.Cli.Commands;

/// <summary>
/// <c>auction settle</c>: runs a small demo batch end to end (half commit-reveal, half encrypted) against a settlement
/// contract's address and prints the calldata a host submits: one <c>commit</c> per order in the batch's block, then
/// <c>settle</c>. With <c>--json</c> it prints everything a test chain needs to replay it (demo trader keys included).
/// </summary>
internal static class SettleCommand
{
    private const long DefaultLotSize = 1_000_000_000_000;
    private const long DefaultTickSize = 1_000_000;
    private const long MidPrice = 1_000;

    // Stand-ins for the market's ERC-20s in the CoW calldata; the reference contract is deployed with its own.
    private static readonly Address BaseToken = Address.Parse("0x00000000000000000000000000000000000000b1");
    private static readonly Address QuoteToken = Address.Parse("0x00000000000000000000000000000000000000c1");

    private static readonly string[] KnownOptions = ["--contract", "--chain-id", "--block", "--orders", "--seed", "--lot-size", "--tick-size"];
    private static readonly string[] KnownFlags = ["--json"];

    public static int Run(ReadOnlySpan<string> args)
    {
        ParsedArguments arguments = ParsedArguments.Parse(args, KnownOptions, KnownFlags);
        if (arguments.Positionals.Count > 0)
        {
            throw new UsageException($"settle takes no file; unexpected argument '{arguments.Positionals[0]}'.");
        }

        Address contract = ParseAddress(arguments.GetText("--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        ulong chainId = (ulong)arguments.GetInteger("--chain-id", 1, 1, long.MaxValue);
        long block = arguments.GetInteger("--block", 100, 1, long.MaxValue);
        int orderCount = (int)arguments.GetInteger("--orders", 20, 2, 2_000);
        int seed = (int)arguments.GetInteger("--seed", 42, int.MinValue, int.MaxValue);
        long lotSize = arguments.GetInteger("--lot-size", DefaultLotSize, 1, long.MaxValue);
        long tickSize = arguments.GetInteger("--tick-size", DefaultTickSize, 1, long.MaxValue);

        var market = new Market(BaseToken, QuoteToken, (UInt128)lotSize, (UInt128)tickSize);
        var domain = new Eip712Domain("AuctionEngine", "1", chainId, contract);
        Scenario scenario = Build(market, contract, domain, block, orderCount, seed);
        if (arguments.HasFlag("--json"))
        {
            WriteJson(Console.Out, scenario, chainId, contract, block);
        }
        else
        {
            WriteSummary(Console.Out, scenario, block);
        }

        return ExitCodes.Success;
    }

    private sealed record Scenario(
        DemoTrader[] Traders, List<(DemoTrader Trader, byte[] Calldata)> Commits, SealedBatchResult Result, byte[] SettleCalldata, Market Market);

    private static Scenario Build(Market market, Address contract, Eip712Domain domain, long block, int orderCount, int seed)
    {
        var random = new Random(seed);
        DemoTrader[] traders = [.. Enumerable.Range(1, Math.Max(2, orderCount / 4)).Select(n => new DemoTrader(n))];
        using var keyRandom = new DemoRandomNumberGenerator($"settle-key-{seed}");
        SharedBatchKey key = new TrustedDealer(keyRandom).Generate(threshold: 2, keyperCount: 3);
        DemoKeyper[] keypers = [.. Enumerable.Range(1, 3).Select(i => new DemoKeyper(i, $"settle-keyper-{seed}-{i}"))];
        byte[] publicKey = key.Commitments.GetPublicKey();

        // The contract's batch id is the block of the commitments, and the market an order names is the contract.
        var settings = new SealedBatchSettings(market, contract, orderCount, orderCount, 1_024, revealWindowBlocks: 2);
        var batch = new SealedBatch(settings, domain, (ulong)block, block);
        var calldata = new SettlementCalldata();
        var buffer = new ArrayBufferWriter<byte>();
        var commits = new List<(DemoTrader, byte[])>();
        var reveals = new List<(Hash32 Commitment, SealedOrder Order, Hash32 Salt, byte[] Signature)>();
        for (int i = 0; i < orderCount; i++)
        {
            DemoTrader trader = traders[(i / 2) % traders.Length];
            Side side = i % 2 == 0 ? Side.Buy : Side.Sell;
            long limit = MidPrice + (side == Side.Buy ? 1 : -1) * random.Next(-3, 10);
            var order = new SealedOrder(trader.Address, contract, (ulong)block, side, OrderType.Limit, limit, random.Next(1, 20), (ulong)i);
            byte[] signature = trader.Sign(order, domain);
            Hash32 commitment;
            if (i % 4 < 2)
            {
                var salt = new Hash32(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed * 1_000_003L + i)));
                commitment = Commitments.ForReveal(order.ComputeDigest(domain), salt);
                batch.Commit(trader.Address, commitment, block);
                reveals.Add((commitment, order, salt, signature));
            }
            else
            {
                using var cipherRandom = new DemoRandomNumberGenerator($"settle-{seed}-{i}");
                byte[] ciphertext = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(order, signature), cipherRandom);
                commitment = Commitments.ForCiphertext(ciphertext);
                batch.SubmitEncrypted(trader.Address, ciphertext, block);
            }

            buffer.ResetWrittenCount();
            calldata.WriteCommit(buffer, commitment);
            commits.Add((trader, buffer.WrittenSpan.ToArray()));
        }

        batch.Close(block + 1);
        batch.BeginReveal(block + 1, Commitments.ForCiphertext(BitConverter.GetBytes(seed)));
        foreach ((Hash32 commitment, SealedOrder order, Hash32 salt, byte[] signature) in reveals)
        {
            batch.Reveal(commitment, order, salt, signature, block + 1);
        }

        var shareContext = new KeyperShareContext(domain, contract, (ulong)block, key.Commitments);
        batch.OpenEncrypted(key.Commitments, new KeyperSet(keypers.Select(k => k.Address)), [.. keypers.Select(k => k.Release(key, shareContext))], Environment.ProcessorCount);
        SealedBatchResult result = batch.Clear(new ClearingEngine(orderCount), new ClearingOptions(PriceRule.Midpoint), block + 1);
        buffer.ResetWrittenCount();
        if (result.Clearing.Cleared)
        {
            calldata.WriteSettle(buffer, (ulong)block, result.Clearing.Price!.Value, result.SettlementFills);
        }

        return new Scenario(traders, commits, result, buffer.WrittenSpan.ToArray(), market);
    }

    private static void WriteSummary(TextWriter output, Scenario scenario, long block)
    {
        SealedBatchResult result = scenario.Result;
        output.WriteLine($"Batch of block {block}: {scenario.Commits.Count} sealed orders, half committed, half encrypted");
        if (!result.Clearing.Cleared)
        {
            output.WriteLine($"The batch did not clear ({result.Clearing.Status}); there is nothing to settle.");
            return;
        }

        output.WriteLine($"Cleared at {result.Clearing.Price} ticks: {result.Clearing.Volume} lots, {result.SettlementFills.Count} fills");
        output.WriteLine();
        output.WriteLine($"commit calldata (one per order, sent by its trader in block {block}), e.g.:");
        output.WriteLine($"  0x{Convert.ToHexStringLower(scenario.Commits[0].Calldata)}");
        output.WriteLine();
        output.WriteLine($"settle calldata ({scenario.SettleCalldata.Length:N0} bytes, sent by the operator in block {block + 1}):");
        output.WriteLine($"  0x{Convert.ToHexStringLower(scenario.SettleCalldata)}");
        output.WriteLine();
        output.WriteLine($"decoded: {SettlementCalldata.Settle.Signature}");
        IReadOnlyList<AbiValue> decoded = SettlementCalldata.Settle.DecodeCall(scenario.SettleCalldata);
        output.WriteLine($"  batchId {decoded[0].Integer}, price {decoded[1].Integer} ticks, {decoded[2].Items.Count} fills");
        foreach (AbiValue fill in decoded[2].Items)
        {
            IReadOnlyList<AbiValue> order = fill.Items[0].Items;
            string side = order[1].Integer == 1 ? "buy " : "sell";
            string sealing = fill.Items[4].Bytes.Length == 0 ? "revealed" : $"encrypted ({fill.Items[4].Bytes.Length} bytes)";
            output.WriteLine($"  {order[0].Address} {side} {fill.Items[3].Integer,4} of {order[4].Integer,3} lots, limit {order[3].Integer}, {sealing}");
        }
    }

    private static void WriteJson(TextWriter output, Scenario scenario, ulong chainId, Address contract, long block)
    {
        var expected = new Dictionary<Address, (BigInteger Base, BigInteger Quote)>();
        foreach (SealedOrderOutcome outcome in scenario.Result.Orders)
        {
            long lots = outcome.Fill.FilledQuantity;
            BigInteger sign = outcome.SignedOrder.Side == Side.Buy ? 1 : -1;
            (BigInteger b, BigInteger q) = expected.GetValueOrDefault(outcome.SignedOrder.Trader);
            expected[outcome.SignedOrder.Trader] = (b + (sign * (BigInteger)scenario.Market.BaseAtoms(lots)), q - (sign * (BigInteger)outcome.Fill.QuoteAmount));
        }

        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("chainId", chainId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("contract", contract.ToString());
        json.WriteNumber("block", block);
        json.WriteBoolean("cleared", scenario.Result.Clearing.Cleared);
        json.WriteString("price", scenario.Result.Clearing.Price?.ToString(CultureInfo.InvariantCulture));
        json.WriteString("volume", scenario.Result.Clearing.Volume.ToString(CultureInfo.InvariantCulture));
        json.WriteStartArray("traders");
        foreach (DemoTrader trader in scenario.Traders)
        {
            json.WriteStartObject();
            json.WriteString("address", trader.Address.ToString());
            json.WriteString("privateKey", trader.PrivateKeyHex);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("commits");
        foreach ((DemoTrader trader, byte[] data) in scenario.Commits)
        {
            json.WriteStartObject();
            json.WriteString("from", trader.Address.ToString());
            json.WriteString("data", "0x" + Convert.ToHexStringLower(data));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("settle", "0x" + Convert.ToHexStringLower(scenario.SettleCalldata));
        json.WriteNumber("fills", scenario.Result.SettlementFills.Count);
        json.WriteStartArray("expected");
        foreach ((Address trader, (BigInteger baseDelta, BigInteger quoteDelta)) in expected)
        {
            json.WriteStartObject();
            json.WriteString("address", trader.ToString());
            json.WriteString("base", baseDelta.ToString(CultureInfo.InvariantCulture));
            json.WriteString("quote", quoteDelta.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteCow(json, scenario);
        json.WriteEndObject();
        json.Flush();
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>The same batch as CoW Protocol's GPv2 settle calldata, with the amounts each trade must execute.</summary>
    private static void WriteCow(Utf8JsonWriter json, Scenario scenario)
    {
        if (!scenario.Result.Clearing.Cleared)
        {
            return;
        }

        var terms = new CowOrderTerms(Address.Zero, uint.MaxValue, Hash32.Zero, CowSigningScheme.PreSign, new byte[Address.Length]);
        SealedOrderOutcome[] traded = [.. scenario.Result.Orders.Where(o => o.Fill.FilledQuantity > 0)];
        CowTrade[] trades = [.. traded.Select(o => CowSettlement.Trade(scenario.Market, o.Order, o.Fill, terms))];
        json.WriteStartObject("cow");
        json.WriteString("calldata", "0x" + Convert.ToHexStringLower(CowSettlement.Encode(scenario.Market, scenario.Result.Clearing.Price!.Value, trades)));
        json.WriteStartArray("expected");
        foreach (SealedOrderOutcome outcome in traded)
        {
            string baseAtoms = scenario.Market.BaseAtoms(outcome.Fill.FilledQuantity).ToString(CultureInfo.InvariantCulture);
            string quoteAtoms = outcome.Fill.QuoteAmount.ToString(CultureInfo.InvariantCulture);
            bool buy = outcome.Order.Side == Side.Buy;
            json.WriteStartObject();
            json.WriteString("sell", buy ? quoteAtoms : baseAtoms);
            json.WriteString("buy", buy ? baseAtoms : quoteAtoms);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static Address ParseAddress(string text) =>
        Address.TryParse(text, out Address address) ? address : throw new UsageException($"--contract: '{text}' is not an address.");
}
