using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
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
/// <c>auction settle</c>: runs a small demo batch end to end against a settlement contract's address and prints the
/// calldata a host and its traders submit: deposits, one <c>commit</c> or <c>commitEncrypted</c> per order in the
/// batch's block, an on-chain <c>reveal</c>, then <c>settle</c> once the reveal window has closed. With <c>--json</c>
/// it prints everything a test chain needs to replay it (demo trader keys, the contract's constructor arguments, the
/// balance every account must end with). With <c>--cow</c> it also settles the batch as CoW Protocol: each traded
/// order's GPv2 order signed by its demo trader (or pre-signed), and the <c>GPv2Settlement.settle</c> calldata.
/// </summary>
/// <remarks>
/// Besides the honest orders the batch holds one of each case the contract must settle without help: a commitment
/// never revealed (its bond goes to the treasury), a ciphertext damaged in transit, an order its reservation cannot
/// pay for, one signed order committed twice, and an order its trader reveals on-chain.
/// </remarks>
internal static class SettleCommand
{
    private const long DefaultLotSize = 1_000_000_000_000;
    private const long DefaultTickSize = 1_000_000;
    private const long MidPrice = 1_000;
    private const int RevealWindowBlocks = 2;
    private const int SettleWindowBlocks = 20;
    private const int ExtraOrders = 6;
    private const int MaxCiphertextBytes = SealedOrderCodec.EncodedLength + Ecies.Overhead;

    /// <summary>The highest block a batch can use: its reveal window and settlement must still have block numbers.</summary>
    private const long MaxBlock = long.MaxValue - RevealWindowBlocks - SettleWindowBlocks - 2;

    /// <summary>The command's name.</summary>
    public const string Name = "settle";

    /// <summary>The name and version of the EIP-712 domain the reference contract is deployed with.</summary>
    private const string DomainName = "AuctionEngine";

    private const string DomainVersion = "1";

    /// <summary>The command, whose action writes the calldata (or with <c>--json</c> the replay) to <paramref name="console"/>'s output.</summary>
    public static Command Create(CliConsole console)
    {
        Option<Address> contract = CliOptions.Address("--contract", "The settlement contract: the EIP-712 domain's verifying contract, and the market every order names.", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        Option<long> chainId = CliOptions.Integer("--chain-id", "N", "The chain id of the EIP-712 domain that orders and keyper shares are signed under.", 1L, long.MaxValue, 1L, range: "1 to 2^63 − 1");
        Option<long> block = CliOptions.Integer("--block", "B", "The block the batch's commitments go in: its id on-chain. The reveal window and the settlement take the blocks after it.", 1L, MaxBlock, 100L, range: "1 to 2^63 − 25");
        Option<int> orders = CliOptions.Integer("--orders", "N", "How many honest orders, half committed and half encrypted; the awkward cases come on top.", 2, 2_000, 20);
        Option<int> seed = CliOptions.Integer("--seed", "S", "The random seed; the same seed gives the same calldata.", int.MinValue, int.MaxValue, 42);
        Option<long> lotSize = CliOptions.Integer("--lot-size", "ATOMS", "Base-token atoms per lot, as the contract was deployed with.", 1L, long.MaxValue, DefaultLotSize, range: "1 to 2^63 − 1");
        Option<long> tickSize = CliOptions.Integer("--tick-size", "ATOMS", "Quote-token atoms per lot per tick, as the contract was deployed with.", 1L, long.MaxValue, DefaultTickSize, range: "1 to 2^63 − 1");
        Option<Address> baseToken = CliOptions.Address("--base-token", "The base token the contract is deployed with (the default is a stand-in).", "0x00000000000000000000000000000000000000b1");
        Option<Address> quoteToken = CliOptions.Address("--quote-token", "The quote token the contract is deployed with (the default is a stand-in).", "0x00000000000000000000000000000000000000c1");
        Option<Address> treasury = CliOptions.Address("--treasury", "The account that takes forfeited bonds (the default is a stand-in).", "0x00000000000000000000000000000000000000f0");
        Option<Address> settlementOperator = CliOptions.Address("--operator", "The only account that may settle (the default is a stand-in).", "0x00000000000000000000000000000000000000e0");
        var json = new Option<bool>("--json") { Description = "Print everything a test chain needs to replay the batch, as JSON." };
        var cow = new Option<bool>("--cow") { Description = "Also settle the batch as CoW Protocol (GPv2Settlement.settle): each trade's GPv2 order, owner, UID and signature (or pre-signature call), and the settle calldata a solver sends. Needs --valid-to." };
        Option<Address> cowSettlement = CliOptions.Address("--cow-settlement", "The GPv2Settlement contract CoW orders are signed for (its EIP-712 domain is \"Gnosis Protocol\" v2 on --chain-id); the default is CoW's mainnet deployment.", MainnetCowSettlement);
        Option<uint?> validTo = CliOptions.OptionalInteger<uint>("--valid-to", "UNIX", "With --cow: the last Unix time the CoW orders may be settled, which should end with the batch's settlement: the unfilled rest of an order is then never settled later. Default: none; --cow needs it.", 1, uint.MaxValue);
        Option<string> cowSigning = CliOptions.Choice("--cow-signing", "With --cow: how traders sign their CoW orders: 'eip712' (each demo trader's key signs, default) or 'presign' (each trader first sends setPreSignature(uid, true) to the settlement contract).", CowSigningNames, "eip712");

        var command = new Command(Name, "Run a small sealed batch against a settlement contract and print the calldata its traders and host send: a commit per order in block B, an on-chain reveal in B+1, and settle after the reveal window, with its size and a decoded summary. Besides the honest orders: a commitment never revealed, a damaged ciphertext, an order that reserved nothing, one signed order committed twice, and an order revealed on-chain.")
        {
            contract, chainId, block, orders, seed, lotSize, tickSize, baseToken, quoteToken, treasury, settlementOperator, json,
            cow, cowSettlement, validTo, cowSigning,
        };
        command.Validators.Add(result =>
        {
            bool cowAsked = result.GetValue(cow);
            if (cowAsked && result.GetResult(validTo) is null)
            {
                result.AddError("--cow needs --valid-to: the Unix time its orders expire, which should end with the batch's settlement.");
            }

            foreach (Option option in (Option[])[cowSettlement, validTo, cowSigning])
            {
                if (!cowAsked && result.GetResult(option) is not null)
                {
                    result.AddError($"{option.Name} applies to settle --cow.");
                }
            }
        });
        command.SetAction(parsed =>
        {
            var setup = new Setup(
                Contract: parsed.GetValue(contract),
                ChainId: (ulong)parsed.GetValue(chainId),
                Block: parsed.GetValue(block),
                OrderCount: parsed.GetValue(orders),
                Seed: parsed.GetValue(seed),
                Market: new Market(parsed.GetValue(baseToken), parsed.GetValue(quoteToken), (UInt128)parsed.GetValue(lotSize), (UInt128)parsed.GetValue(tickSize)),
                Treasury: parsed.GetValue(treasury),
                Operator: parsed.GetValue(settlementOperator),
                Cow: parsed.GetValue(cow)
                    ? new CowSetup(parsed.GetValue(cowSettlement), parsed.GetValue(validTo)!.Value, parsed.GetRequiredValue(cowSigning) == "presign" ? CowSigningScheme.PreSign : CowSigningScheme.Eip712)
                    : null);
            Scenario scenario = Build(setup);
            if (parsed.GetValue(json))
            {
                WriteJson(console.Output, scenario);
            }
            else
            {
                WriteSummary(console.Output, scenario);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>CoW Protocol's GPv2Settlement on Ethereum mainnet.</summary>
    private const string MainnetCowSettlement = "0x9008D19f58AAbD9eD0D60971565AA8510560ab41";

    private static readonly string[] CowSigningNames = ["eip712", "presign"];

    /// <summary>What the command was asked for.</summary>
    private sealed record Setup(Address Contract, ulong ChainId, long Block, int OrderCount, int Seed, Market Market, Address Treasury, Address Operator, CowSetup? Cow)
    {
        public Eip712Domain Domain { get; } = new(DomainName, DomainVersion, ChainId, Contract);

        /// <summary>The bond a commit-reveal commitment posts: one lot at the mid price.</summary>
        public UInt128 Bond => Market.QuoteAtoms(1, MidPrice);

        public int MaxCommitments => OrderCount + ExtraOrders;

    }

    /// <summary>The CoW settlement asked for with <c>--cow</c>.</summary>
    private sealed record CowSetup(Address Settlement, uint ValidTo, CowSigningScheme Scheme);

    /// <summary>One traded order as a CoW trade: the signed order, its trade, and what GPv2 must move.</summary>
    private sealed record CowFill(CowOrder Order, CowTrade Trade, SealedOrderOutcome Outcome);

    /// <summary>The batch as a CoW settlement: the trades in batch order and the settle calldata.</summary>
    private sealed record CowBatch(Eip712Domain Domain, CowSetup Setup, CowFill[] Fills, byte[] Calldata);

    /// <summary>One transaction a trader sends, with the calldata.</summary>
    private sealed record Call(DemoTrader From, byte[] Data);

    private sealed record Scenario(Setup Setup, DemoTrader[] Traders, List<Call> Commits, List<Call> Reveals, SealedBatchResult Result, byte[] SettleCalldata, CowBatch? Cow)
    {
        public long SettleBlock => Setup.Block + RevealWindowBlocks + 1;
    }

    private static Scenario Build(Setup setup)
    {
        var random = new Random(setup.Seed);
        DemoTrader[] traders = [.. Enumerable.Range(1, Math.Max(2, setup.OrderCount / 4)).Select(n => new DemoTrader(n))];
        using var keyRandom = new DemoRandomNumberGenerator($"settle-key-{setup.Seed}");
        SharedBatchKey key = new TrustedDealer(keyRandom).Generate(threshold: 2, keyperCount: 3);
        DemoKeyper[] keypers = [.. Enumerable.Range(1, 3).Select(i => new DemoKeyper(i, $"settle-keyper-{setup.Seed}-{i}"))];
        byte[] publicKey = key.Commitments.GetPublicKey();

        // The contract's batch id is the block of the commitments, and the market an order names is the contract.
        long block = setup.Block;
        var settings = new SealedBatchSettings(setup.Market, setup.Contract, setup.MaxCommitments, setup.MaxCommitments, MaxCiphertextBytes, RevealWindowBlocks);
        var batch = new SealedBatch(settings, setup.Domain, (ulong)block, block);
        var calldata = new SettlementCalldata();
        var buffer = new ArrayBufferWriter<byte>();
        var commits = new List<Call>();
        var reveals = new List<Call>();
        var offChainReveals = new List<(Hash32 Commitment, SealedOrder Order, Hash32 Salt, byte[] Signature)>();

        void Commit(DemoTrader trader, SealedOrder order, byte[] signature, Hash32 salt, Reservation reservation, bool revealOffChain = true)
        {
            Hash32 commitment = Commitments.ForReveal(order.ComputeDigest(setup.Domain), salt);
            Accepted(batch.Commit(trader.Address, commitment, reservation, block));
            calldata.WriteCommit(Reset(buffer), commitment, reservation);
            commits.Add(new Call(trader, buffer.WrittenSpan.ToArray()));
            if (revealOffChain)
            {
                offChainReveals.Add((commitment, order, salt, signature));
            }
        }

        byte[] Encrypt(DemoTrader trader, SealedOrder order, byte[] signature, Reservation reservation, int index, bool damage = false)
        {
            using var cipherRandom = new DemoRandomNumberGenerator($"settle-{setup.Seed}-{index}");
            byte[] ciphertext = Ecies.Encrypt(publicKey, SealedOrderCodec.Encode(order, signature), cipherRandom);
            Hash32 commitment = Commitments.ForEncrypted(order.ComputeDigest(setup.Domain), ciphertext);
            if (damage)
            {
                ciphertext[^1] ^= 0x01; // in transit, after the trader committed to the original
            }

            Accepted(batch.SubmitEncrypted(trader.Address, commitment, ciphertext, reservation, block));
            calldata.WriteCommitEncrypted(Reset(buffer), commitment, reservation, ciphertext);
            commits.Add(new Call(trader, buffer.WrittenSpan.ToArray()));
            return ciphertext;
        }

        SealedOrder Draw(DemoTrader trader, int index)
        {
            Side side = index % 2 == 0 ? Side.Buy : Side.Sell;
            long quantity = random.Next(1, 20);
            if (index % 10 == 9)
            {
                long worst = MidPrice + ((side == Side.Buy ? 1 : -1) * 15);
                return new SealedOrder(trader.Address, setup.Contract, (ulong)block, side, OrderType.Market, worst, quantity, (ulong)index);
            }

            long limit = MidPrice + ((side == Side.Buy ? 1 : -1) * random.Next(-3, 10));
            return new SealedOrder(trader.Address, setup.Contract, (ulong)block, side, OrderType.Limit, limit, quantity, (ulong)index);
        }

        Hash32 SaltOf(int index) => new(SHA256.HashData(BitConverter.GetBytes((setup.Seed * 1_000_003L) + index)));

        for (int i = 0; i < setup.OrderCount; i++)
        {
            DemoTrader trader = traders[(i / 2) % traders.Length];
            SealedOrder order = Draw(trader, i);
            byte[] signature = trader.Sign(order, setup.Domain);
            if (i % 4 < 2)
            {
                Commit(trader, order, signature, SaltOf(i), WorstCase(setup.Market, order));
            }
            else
            {
                Encrypt(trader, order, signature, WorstCase(setup.Market, order), i);
            }
        }

        // The cases the contract must settle without anyone's help, one each.
        int extra = setup.OrderCount;
        DemoTrader Extra(int k) => traders[k % traders.Length];
        SealedOrder neverRevealed = Draw(Extra(0), extra);
        Commit(Extra(0), neverRevealed, Extra(0).Sign(neverRevealed, setup.Domain), SaltOf(extra++), WorstCase(setup.Market, neverRevealed), revealOffChain: false);

        SealedOrder damaged = Draw(Extra(1), extra);
        Encrypt(Extra(1), damaged, Extra(1).Sign(damaged, setup.Domain), WorstCase(setup.Market, damaged), extra++, damage: true);

        SealedOrder unfunded = Draw(Extra(2), extra);
        Commit(Extra(2), unfunded, Extra(2).Sign(unfunded, setup.Domain), SaltOf(extra++), reservation: default);

        SealedOrder twice = Draw(Extra(3), extra);
        byte[] twiceSignature = Extra(3).Sign(twice, setup.Domain);
        Commit(Extra(3), twice, twiceSignature, SaltOf(extra++), WorstCase(setup.Market, twice));
        Commit(Extra(3), twice, twiceSignature, SaltOf(extra++), WorstCase(setup.Market, twice));

        // Revealed by its trader on-chain in the first block of the window (and seen there by the host).
        SealedOrder onChain = Draw(Extra(4), extra);
        byte[] onChainSignature = Extra(4).Sign(onChain, setup.Domain);
        Hash32 onChainSalt = SaltOf(extra);
        Commit(Extra(4), onChain, onChainSignature, onChainSalt, WorstCase(setup.Market, onChain), revealOffChain: false);
        calldata.WriteReveal(Reset(buffer), (ulong)block, onChain, onChainSalt, onChainSignature);
        reveals.Add(new Call(Extra(4), buffer.WrittenSpan.ToArray()));
        offChainReveals.Add((Commitments.ForReveal(onChain.ComputeDigest(setup.Domain), onChainSalt), onChain, onChainSalt, onChainSignature));

        batch.Close(block + 1);
        batch.BeginReveal(block + 1, Commitments.CiphertextSecret(BitConverter.GetBytes(setup.Seed)));
        foreach ((Hash32 commitment, SealedOrder order, Hash32 salt, byte[] signature) in offChainReveals)
        {
            Accepted(batch.Reveal(commitment, order, salt, signature, block + 1));
        }

        var shareContext = new KeyperShareContext(setup.Domain, setup.Contract, (ulong)block, key.Commitments);
        batch.OpenEncrypted(key.Commitments, new KeyperSet(keypers.Select(k => k.Address)), [.. keypers.Select(k => k.Release(key, shareContext))], Environment.ProcessorCount);
        using var engine = new ClearingEngine(batch.Count);
        SealedBatchResult result = batch.Clear(engine, new ClearingOptions(PriceRule.Midpoint, MidPrice), batch.RevealDeadline!.Value);
        calldata.WriteSettle(Reset(buffer), (ulong)block, result.SettlementPrice, result.SettlementFills, result.Voids, result.BatchKey.Span);
        CowBatch? cow = setup.Cow is null || !result.Clearing.Cleared ? null : BuildCow(setup, setup.Cow, traders, result);
        return new Scenario(setup, traders, commits, reveals, result, buffer.WrittenSpan.ToArray(), cow);
    }

    /// <summary>
    /// The traded orders as CoW trades: each trader signs the GPv2 order of its sealed order (or will pre-sign its
    /// UID), and the solver's trade fills it by the lots the engine gave it.
    /// </summary>
    private static CowBatch BuildCow(Setup setup, CowSetup cow, DemoTrader[] traders, SealedBatchResult result)
    {
        Eip712Domain domain = CowSettlement.Domain(setup.ChainId, cow.Settlement);
        Dictionary<Address, DemoTrader> byAddress = traders.ToDictionary(t => t.Address);
        CowFill[] fills = [.. result.Orders.Where(o => o.Fill.FilledQuantity > 0).Select(outcome =>
        {
            CowOrder order = CowSettlement.Order(setup.Market, outcome.SignedOrder, setup.Domain, domain, cow.ValidTo);
            byte[] signature = cow.Scheme == CowSigningScheme.PreSign ? [] : byAddress[order.Owner].Sign(order);
            return new CowFill(order, order.Trade(outcome.Fill.FilledQuantity, cow.Scheme, signature), outcome);
        })];
        byte[] calldata = CowSettlement.Encode(setup.Market, result.Clearing.Price!.Value, [.. fills.Select(f => f.Trade)]);
        return new CowBatch(domain, cow, fills, calldata);
    }

    /// <summary>Every submission of the demo batch is meant to be accepted; the awkward ones are refused only later.</summary>
    private static void Accepted(SealRejectReason reason)
    {
        if (reason != SealRejectReason.None)
        {
            throw new InvalidOperationException($"The demo batch refused one of its own submissions: {reason}.");
        }
    }

    /// <summary>A reservation that pays for the order at its worst: a buy's quote at its limit, a sell's base.</summary>
    private static Reservation WorstCase(Market market, in SealedOrder order) => order.Side == Side.Buy
        ? new Reservation(UInt128.Zero, market.QuoteAtoms(order.Quantity, order.LimitPrice))
        : new Reservation(market.BaseAtoms(order.Quantity), UInt128.Zero);

    private static ArrayBufferWriter<byte> Reset(ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>Each account's net change in free balance from before its commits to after the settlement.</summary>
    private static Dictionary<Address, (BigInteger Base, BigInteger Quote)> ExpectedChanges(Scenario scenario)
    {
        Market market = scenario.Setup.Market;
        var expected = scenario.Traders.ToDictionary(t => t.Address, _ => (BigInteger.Zero, BigInteger.Zero));
        foreach (SealedOrderOutcome outcome in scenario.Result.Orders)
        {
            long lots = outcome.Fill.FilledQuantity;
            BigInteger sign = outcome.SignedOrder.Side == Side.Buy ? 1 : -1;
            (BigInteger b, BigInteger q) = expected[outcome.SignedOrder.Trader];
            expected[outcome.SignedOrder.Trader] = (b + (sign * (BigInteger)market.BaseAtoms(lots)), q - (sign * (BigInteger)outcome.Fill.QuoteAmount));
        }

        BigInteger bond = (BigInteger)scenario.Setup.Bond;
        foreach (SealRejection forfeit in scenario.Result.Forfeited)
        {
            (BigInteger b, BigInteger q) = expected[forfeit.Trader];
            expected[forfeit.Trader] = (b, q - bond);
            (BigInteger tb, BigInteger tq) = expected.GetValueOrDefault(scenario.Setup.Treasury);
            expected[scenario.Setup.Treasury] = (tb, tq + bond);
        }

        return expected;
    }

    private static void WriteSummary(TextWriter output, Scenario scenario)
    {
        SealedBatchResult result = scenario.Result;
        long block = scenario.Setup.Block;
        Eip712Domain domain = scenario.Setup.Domain;
        output.WriteLine($"Settlement contract {domain.VerifyingContract} on chain id {domain.ChainId}");
        output.WriteLine($"EIP-712 domain: name \"{domain.Name}\", version \"{domain.Version}\", chain id {domain.ChainId}, verifying contract {domain.VerifyingContract}");
        output.WriteLine($"  (separator {domain.Separator}); every order and keyper share is signed under it, and the contract refuses a signature under any other");
        output.WriteLine();
        output.WriteLine($"Batch of block {block}: {scenario.Commits.Count} sealed orders, half committed, half encrypted, with {ExtraOrders - 1} awkward cases");
        output.WriteLine(result.Clearing.Cleared
            ? $"Cleared at {result.Clearing.Price} ticks: {result.Clearing.Volume} lots; {result.SettlementFills.Count(f => f.Lots > 0)} of {result.SettlementFills.Count} opened orders trade"
            : $"Nothing trades ({result.Clearing.Status}); the settlement still returns every reservation");
        output.WriteLine($"Voided: {string.Join(", ", result.Voids.Select(v => v.Reason))}; refused when clearing: {string.Join(", ", result.Orders.Where(o => o.Refusal != SealRejectReason.None).Select(o => o.Refusal))}");
        output.WriteLine();
        output.WriteLine($"commit calldata (one per order, sent by its trader in block {block}), e.g.:");
        output.WriteLine($"  0x{Convert.ToHexStringLower(scenario.Commits[0].Data)}");
        output.WriteLine($"reveal calldata (sent on-chain in block {block + 1}):");
        output.WriteLine($"  0x{Convert.ToHexStringLower(scenario.Reveals[0].Data)}");
        output.WriteLine();
        output.WriteLine($"settle calldata ({scenario.SettleCalldata.Length:N0} bytes, sent by the operator in block {scenario.SettleBlock}, after the reveal window):");
        output.WriteLine($"  0x{Convert.ToHexStringLower(scenario.SettleCalldata)}");
        output.WriteLine();
        output.WriteLine($"decoded: {SettlementCalldata.Settle.Signature}");
        IReadOnlyList<AbiValue> decoded = SettlementCalldata.Settle.DecodeCall(scenario.SettleCalldata);
        output.WriteLine($"  batchId {decoded[0].Integer}, price {decoded[1].Integer} ticks, {decoded[2].Items.Count} fills, {decoded[3].Items.Count} voids, batch key {decoded[4].Bytes.Length} bytes");
        foreach (AbiValue fill in decoded[2].Items)
        {
            IReadOnlyList<AbiValue> order = fill.Items[0].Items;
            string side = order[1].Integer == 1 ? "buy " : "sell";
            string type = order[2].Integer == 1 ? "market, worst" : "limit";
            output.WriteLine($"  {order[0].Address} {side} {fill.Items[3].Integer,4} of {order[4].Integer,3} lots, {type} {order[3].Integer}");
        }

        foreach (AbiValue voided in decoded[3].Items)
        {
            output.WriteLine($"  {voided.Items[0].Address} void: {(SealRejectReason)(byte)voided.Items[2].Integer}");
        }

        if (scenario.Cow is { } cow)
        {
            WriteCowSummary(output, cow);
        }
    }

    private static void WriteCowSummary(TextWriter output, CowBatch cow)
    {
        Eip712Domain domain = cow.Domain;
        bool preSigned = cow.Setup.Scheme == CowSigningScheme.PreSign;
        output.WriteLine();
        output.WriteLine($"CoW Protocol: GPv2Settlement {domain.VerifyingContract} on chain id {domain.ChainId}, EIP-712 domain \"{domain.Name}\" {domain.Version} (separator {domain.Separator})");
        output.WriteLine($"  {cow.Fills.Length} trades, one per traded order, each partially fillable, valid to {cow.Setup.ValidTo}, with the sealed order's digest as appData; {(preSigned ? "each owner pre-signs its order's UID" : "each owner signs its order (EIP-712)")}");
        if (cow.Fills.Length > 0)
        {
            CowFill first = cow.Fills[0];
            output.WriteLine($"  e.g. owner {first.Order.Owner}, UID 0x{Convert.ToHexStringLower(first.Order.Uid.Span)}");
            output.WriteLine(preSigned
                ? $"  setPreSignature calldata (sent by the owner to the settlement contract before the solver settles): 0x{Convert.ToHexStringLower(first.Order.SetPreSignatureCalldata())}"
                : $"  signature 0x{Convert.ToHexStringLower(first.Trade.Terms.Signature)}");
        }

        output.WriteLine($"settle calldata for GPv2Settlement ({cow.Calldata.Length:N0} bytes, sent by a solver on its allow-list):");
        output.WriteLine($"  0x{Convert.ToHexStringLower(cow.Calldata)}");
    }

    private static void WriteJson(TextWriter output, Scenario scenario)
    {
        Setup setup = scenario.Setup;
        Market market = setup.Market;
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("chainId", setup.ChainId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("contract", setup.Contract.ToString());

        // What every order and keyper share in the batch is signed under; the contract checks signatures against it.
        json.WriteStartObject("domain");
        json.WriteString("name", setup.Domain.Name);
        json.WriteString("version", setup.Domain.Version);
        json.WriteString("chainId", setup.Domain.ChainId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("verifyingContract", setup.Domain.VerifyingContract.ToString());
        json.WriteString("separator", setup.Domain.Separator.ToString());
        json.WriteEndObject();
        json.WriteNumber("block", setup.Block);
        json.WriteNumber("revealBlock", setup.Block + 1);
        json.WriteNumber("settleBlock", scenario.SettleBlock);

        // The reference contract's constructor arguments, in order, for the market the batch cleared in.
        json.WriteStartObject("deploy");
        json.WriteString("baseToken", market.BaseToken.ToString());
        json.WriteString("quoteToken", market.QuoteToken.ToString());
        json.WriteString("lotSize", market.LotSize.ToString(CultureInfo.InvariantCulture));
        json.WriteString("tickSize", market.TickSize.ToString(CultureInfo.InvariantCulture));
        json.WriteString("maxPrice", market.MaxPrice.ToString(CultureInfo.InvariantCulture));
        json.WriteString("maxQuantity", market.MaxOrderQuantity.ToString(CultureInfo.InvariantCulture));
        json.WriteString("operator", setup.Operator.ToString());
        json.WriteString("treasury", setup.Treasury.ToString());
        json.WriteString("commitBond", setup.Bond.ToString(CultureInfo.InvariantCulture));
        json.WriteNumber("revealWindow", RevealWindowBlocks);
        json.WriteNumber("settleWindow", SettleWindowBlocks);
        json.WriteStartArray("limits");
        json.WriteNumberValue(setup.MaxCommitments);
        json.WriteNumberValue(setup.MaxCommitments);
        json.WriteNumberValue(MaxCiphertextBytes);
        json.WriteEndArray();
        json.WriteString("name", setup.Domain.Name);
        json.WriteString("version", setup.Domain.Version);
        json.WriteEndObject();

        json.WriteBoolean("cleared", scenario.Result.Clearing.Cleared);
        json.WriteString("price", scenario.Result.SettlementPrice.ToString(CultureInfo.InvariantCulture));
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
        WriteCalls(json, "commits", scenario.Commits);
        WriteCalls(json, "reveals", scenario.Reveals);
        json.WriteString("settle", "0x" + Convert.ToHexStringLower(scenario.SettleCalldata));
        json.WriteNumber("fills", scenario.Result.SettlementFills.Count);
        json.WriteNumber("trades", scenario.Result.SettlementFills.Count(f => f.Lots > 0));
        json.WriteStartArray("voids");
        foreach (SealRejection voided in scenario.Result.Voids)
        {
            json.WriteStringValue(voided.Reason.ToString());
        }

        json.WriteEndArray();
        json.WriteStartArray("expected");
        foreach ((Address account, (BigInteger baseDelta, BigInteger quoteDelta)) in ExpectedChanges(scenario))
        {
            json.WriteStartObject();
            json.WriteString("address", account.ToString());
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

    private static void WriteCalls(Utf8JsonWriter json, string name, List<Call> calls)
    {
        json.WriteStartArray(name);
        foreach (Call call in calls)
        {
            json.WriteStartObject();
            json.WriteString("from", call.From.Address.ToString());
            json.WriteString("data", "0x" + Convert.ToHexStringLower(call.Data));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// The same batch as CoW Protocol's GPv2 settlement: the domain, each trade's order, owner, UID and signature with
    /// the amounts GPv2 must move, the pre-signature calls when orders are pre-signed, and the settle calldata.
    /// </summary>
    private static void WriteCow(Utf8JsonWriter json, Scenario scenario)
    {
        if (scenario.Cow is not { } cow)
        {
            return;
        }

        Market market = scenario.Setup.Market;
        (BigInteger basePrice, BigInteger quotePrice) = CowSettlement.ClearingPrices(market, scenario.Result.Clearing.Price!.Value);
        json.WriteStartObject("cow");
        json.WriteString("settlement", cow.Domain.VerifyingContract.ToString());
        json.WriteString("chainId", cow.Domain.ChainId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("domainSeparator", cow.Domain.Separator.ToString());
        json.WriteNumber("validTo", cow.Setup.ValidTo);
        json.WriteString("signingScheme", cow.Setup.Scheme == CowSigningScheme.PreSign ? "presign" : "eip712");
        json.WriteStartArray("tokens");
        json.WriteStringValue(market.BaseToken.ToString());
        json.WriteStringValue(market.QuoteToken.ToString());
        json.WriteEndArray();
        json.WriteStartArray("clearingPrices");
        json.WriteStringValue(basePrice.ToString(CultureInfo.InvariantCulture));
        json.WriteStringValue(quotePrice.ToString(CultureInfo.InvariantCulture));
        json.WriteEndArray();
        json.WriteStartArray("trades");
        foreach (CowFill fill in cow.Fills)
        {
            GPv2Order order = fill.Order.Order;
            string baseAtoms = market.BaseAtoms(fill.Outcome.Fill.FilledQuantity).ToString(CultureInfo.InvariantCulture);
            string quoteAtoms = fill.Outcome.Fill.QuoteAmount.ToString(CultureInfo.InvariantCulture);
            bool buy = order.Kind == GPv2OrderKind.Buy;
            json.WriteStartObject();
            json.WriteString("owner", fill.Order.Owner.ToString());
            json.WriteString("uid", "0x" + Convert.ToHexStringLower(fill.Order.Uid.Span));
            json.WriteString("digest", fill.Order.Digest.ToString());
            json.WriteStartObject("order");
            json.WriteString("sellToken", order.SellToken.ToString());
            json.WriteString("buyToken", order.BuyToken.ToString());
            json.WriteString("receiver", order.Receiver.ToString());
            json.WriteString("sellAmount", order.SellAmount.ToString(CultureInfo.InvariantCulture));
            json.WriteString("buyAmount", order.BuyAmount.ToString(CultureInfo.InvariantCulture));
            json.WriteNumber("validTo", order.ValidTo);
            json.WriteString("appData", order.AppData.ToString());
            json.WriteString("feeAmount", order.FeeAmount.ToString(CultureInfo.InvariantCulture));
            json.WriteString("kind", buy ? "buy" : "sell");
            json.WriteBoolean("partiallyFillable", order.PartiallyFillable);
            json.WriteString("sellTokenBalance", "erc20");
            json.WriteString("buyTokenBalance", "erc20");
            json.WriteEndObject();
            json.WriteString("flags", fill.Trade.Flags.ToString(CultureInfo.InvariantCulture));
            json.WriteString("executedAmount", fill.Trade.ExecutedAmount.ToString(CultureInfo.InvariantCulture));
            json.WriteString("signature", "0x" + Convert.ToHexStringLower(fill.Trade.Terms.Signature));

            // What GPv2 must move: the owner's sold atoms out, its bought atoms in, exactly as the engine filled it.
            json.WriteString("sell", buy ? quoteAtoms : baseAtoms);
            json.WriteString("buy", buy ? baseAtoms : quoteAtoms);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("preSignatures");
        if (cow.Setup.Scheme == CowSigningScheme.PreSign)
        {
            foreach (CowFill fill in cow.Fills)
            {
                json.WriteStartObject();
                json.WriteString("from", fill.Order.Owner.ToString());
                json.WriteString("to", cow.Domain.VerifyingContract.ToString());
                json.WriteString("data", "0x" + Convert.ToHexStringLower(fill.Order.SetPreSignatureCalldata()));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteString("calldata", "0x" + Convert.ToHexStringLower(cow.Calldata));
        json.WriteEndObject();
    }
}
