using System.Security.Cryptography;
using System.Text;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Venue;

namespace AuctionEngine.Cli.Simulation;

/// <summary>One block of a scenario, signed and ready for the venue.</summary>
internal sealed record SimulationBlock(long Block, long? Oracle, Order[] Orders, SignedInstruction[] Instructions, SignedCancellation[] Cancellations);

/// <summary>
/// A scenario file read into what a <see cref="BatchVenue"/> takes: the market, the rule, the circuit breaker, and each
/// listed block's orders, signed instructions and signed cancellations. Names become ids: an instruction's name maps to
/// its EIP-712 digest, an order's to a 64-bit engine id, a trader's to the address of a demo key.
/// </summary>
/// <remarks>
/// Traders sign with demo keys: the private key is SHA-256 of the UTF-8 bytes of <c>"auction simulate demo trader "</c>
/// followed by the trader's name. Anyone can derive them; they exist so a scenario can name traders and still exercise
/// the signature checks, and must never hold anything.
/// </remarks>
internal sealed class SimulationScenario
{
    /// <summary>The market address instructions are signed for.</summary>
    public static readonly Address MarketAddress = Address.Parse("0x000000000000000000000000000000000000a11c");

    /// <summary>The EIP-712 domain the demo traders sign in.</summary>
    public static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, MarketAddress);

    /// <summary>The highest price in ticks a scenario may use.</summary>
    public const long MaxPrice = 1_000_000_000_000;

    private readonly Dictionary<Hash32, string> _instructionNames = [];
    private readonly Dictionary<ulong, string> _orderNames = [];
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, string> _traders = [];
    private readonly Dictionary<string, Address> _addresses = new(StringComparer.Ordinal);
    private readonly Dictionary<Hash32, Address> _instructionTraders = [];
    private readonly HashSet<Hash32> _twaps = [];

    private SimulationScenario()
    {
    }

    public required Market Market { get; init; }

    public PriceRule Rule { get; private init; }

    public int MaxOracleAgeBlocks { get; private init; }

    public required CircuitBreakerSettings CircuitBreaker { get; init; }

    public List<SimulationBlock> Blocks { get; } = [];

    /// <summary>The perpetual market when <c>"market": {"type": "perpetual"}</c>; null for a spot market.</summary>
    public PerpetualMarket? Perpetual { get; private init; }

    /// <summary>A perpetual market's initial insurance fund, in quote atoms.</summary>
    public long InsuranceFund { get; private init; }

    /// <summary>A perpetual market's accounts: each trader's name and the collateral it deposits before the first block.</summary>
    public List<(string Name, Address Trader, long Collateral)> Accounts { get; } = [];

    /// <summary>The host orders marked <c>"reduceOnly": true</c>.</summary>
    public HashSet<ulong> ReduceOnlyOrders { get; } = [];

    public int InstructionCount { get; private set; }

    public int OrderCount { get; private set; }

    /// <summary>The scenario's name for an instruction id, or its hex when the scenario never named it.</summary>
    public string InstructionName(Hash32 id) => _instructionNames.TryGetValue(id, out string? name) ? name : id.ToString();

    /// <summary>Whether the instruction is a TWAP (whose releases name their part).</summary>
    public bool IsTwap(Hash32 id) => _twaps.Contains(id);

    /// <summary>The scenario's name for a trader's address.</summary>
    public string TraderName(Address trader) => _traders.TryGetValue(trader, out string? name) ? name : trader.ToString();

    /// <summary>The scenario's name for a host order id, or null for an order the manager released.</summary>
    public string? OrderName(ulong id) => _orderNames.GetValueOrDefault(id);

    /// <summary>The demo private key of a named trader.</summary>
    public static byte[] DemoKey(string trader) => SHA256.HashData(Encoding.UTF8.GetBytes("auction simulate demo trader " + trader));

    /// <summary>Reads a scenario file.</summary>
    /// <exception cref="ScenarioException">The file is not a scenario; the message names the line and the field.</exception>
    public static SimulationScenario Read(string file, byte[] utf8)
    {
        ScenarioNode root = ScenarioNode.Parse(file, utf8);
        try
        {
            return Read(root);
        }
        catch (ScenarioException e)
        {
            throw new ScenarioException($"{file}, {e.Message}");
        }
    }

    private static SimulationScenario Read(ScenarioNode root)
    {
        root.OnlyKeys("market", "rule", "oracle", "circuitBreaker", "accounts", "blocks");
        ScenarioNode? market = root["market"];
        bool perpetual = market?["type"]?.Choice("spot", "perpetual") == "perpetual";
        if (perpetual)
        {
            market!.OnlyKeys([.. SpotKeys, .. PerpetualKeys]);
        }
        else
        {
            market?.OnlyKeys(SpotKeys);
        }

        long lotSize = market?["lotSize"]?.Integer(1, long.MaxValue) ?? 1;
        long tickSize = market?["tickSize"]?.Integer(1, long.MaxValue) ?? 1;
        UInt128 perTick = (UInt128)lotSize * (UInt128)tickSize;
        long maxQuantity = (long)UInt128.Min(UInt128.MaxValue / perTick / MaxPrice / 2, 1_000_000_000_000);
        if (maxQuantity < 1)
        {
            throw (market ?? root).Error($"lotSize × tickSize is too large for prices up to {MaxPrice} ticks");
        }

        ScenarioNode? oracle = root["oracle"];
        oracle?.OnlyKeys("maxAgeBlocks");
        ScenarioNode? breaker = root["circuitBreaker"];
        breaker?.OnlyKeys("dynamicBandBps", "staticBandBps", "extensionBlocks");
        var spot = new Market(Address.Zero, Address.Zero, (UInt128)lotSize, (UInt128)tickSize, MaxPrice, maxQuantity);
        var scenario = new SimulationScenario
        {
            Market = spot,
            Perpetual = perpetual ? ReadPerpetual(market!, spot) : null,
            InsuranceFund = perpetual ? market!["insuranceFund"]?.Integer(0, long.MaxValue) ?? 0 : 0,
            Rule = root["rule"] is { } rule ? CommandLine.PriceRuleNames.All[rule.Choice("midpoint", "xetra", "euronext")] : PriceRule.Midpoint,
            MaxOracleAgeBlocks = (int)(oracle?["maxAgeBlocks"]?.Integer(0, 1_000_000) ?? OrderManagerSettings.DefaultMaxOracleAgeBlocks),
            CircuitBreaker = new CircuitBreakerSettings(
                (int)(breaker?["dynamicBandBps"]?.Integer(0, CircuitBreakerSettings.MaxBandBps) ?? 0),
                (int)(breaker?["staticBandBps"]?.Integer(0, CircuitBreakerSettings.MaxBandBps) ?? 0),
                (int)(breaker?["extensionBlocks"]?.Integer(1, 1_000_000) ?? 1)),
        };

        if (root["accounts"] is { } accounts)
        {
            if (!perpetual)
            {
                throw accounts.Error("needs a perpetual market (\"market\": {\"type\": \"perpetual\"}): a spot market has no accounts");
            }

            foreach ((string name, ScenarioNode account) in accounts.Properties)
            {
                account.OnlyKeys("collateral");
                long collateral = (account["collateral"] ?? throw account.Error("needs \"collateral\", in quote atoms")).Integer(0, long.MaxValue);
                scenario.Accounts.Add((name, scenario.TraderNamed(name, account), collateral));
            }
        }

        ScenarioNode blocks = root["blocks"] ?? throw root.Error("needs \"blocks\", a list of blocks");
        if (blocks.Items.Count == 0)
        {
            throw blocks.Error("must list at least one block");
        }

        long previous = 0;
        foreach (ScenarioNode block in blocks.Items)
        {
            block.OnlyKeys("block", "oracle", "orders", "instructions", "cancel");
            ScenarioNode number = block["block"] ?? throw block.Error("needs \"block\", its number");
            long at = number.Integer(1, long.MaxValue / 4);
            if (at <= previous)
            {
                throw number.Error($"must come after block {previous}: blocks are listed in ascending order");
            }

            previous = at;
            if (perpetual && scenario.Blocks.Count == 0 && block["oracle"] is null)
            {
                throw block.Error("needs \"oracle\": a perpetual market needs an index price in its first block");
            }

            scenario.Blocks.Add(new SimulationBlock(
                at,
                block["oracle"]?.Integer(1, MaxPrice),
                [.. (block["orders"]?.Items ?? []).Select(scenario.ReadOrder)],
                [.. (block["instructions"]?.Items ?? []).Select(scenario.ReadInstruction)],
                [.. (block["cancel"]?.Items ?? []).Select(scenario.ReadCancellation)]));
        }

        return scenario;
    }

    private static readonly string[] SpotKeys = ["type", "lotSize", "tickSize"];

    private static readonly string[] PerpetualKeys =
    [
        "initialMarginPpm", "maintenanceMarginPpm", "maxPosition", "feePpm", "fundingIntervalBlocks", "fundingCapPpm", "bankruptcyAdjustmentPpm",
        "spreadToMaintenanceMarginRatioPpm", "maxLiquidationFeePpm", "minPositionNotionalLiquidated", "maxPositionPortionLiquidatedPpm", "insuranceFund",
    ];

    /// <summary>
    /// A perpetual market over the spot market's units. Defaults follow dYdX v4's BTC-USD: 5% initial and 3% maintenance
    /// margin, no fee, hourly funding at a 1% cap (in blocks, here 1,000), BA 1, SMMR 1.5 (1,500,000 ppm), a 1.5% liquidation
    /// fee, and partial liquidations of at most 10% of a position per block above a 10^9-atom minimum.
    /// </summary>
    private static PerpetualMarket ReadPerpetual(ScenarioNode node, Market market)
    {
        // The engine bounds a position's notional at 2^96 quote atoms: the default maximum position is the most that allows.
        UInt128 bound = PerpetualMarket.MaxNotionalBound / ((UInt128)(ulong)market.MaxPrice * market.TickSize);
        long maxPosition = (long)UInt128.Min(bound, (UInt128)market.MaxOrderQuantity);
        int initial = (int)(node["initialMarginPpm"]?.Integer(2, PerpetualMarket.OneMillion) ?? 50_000);
        try
        {
            return new PerpetualMarket(
                market,
                initial,
                (int)(node["maintenanceMarginPpm"]?.Integer(1, initial - 1) ?? Math.Min(30_000, initial - 1)),
                node["maxPosition"]?.Integer(1, maxPosition) ?? maxPosition,
                (int)(node["feePpm"]?.Integer(0, PerpetualMarket.OneMillion) ?? 0),
                (int)(node["fundingIntervalBlocks"]?.Integer(1, int.MaxValue) ?? 1_000),
                (int)(node["fundingCapPpm"]?.Integer(0, PerpetualMarket.OneMillion) ?? 10_000),
                node["bankruptcyAdjustmentPpm"]?.Integer(PerpetualMarket.OneMillion, uint.MaxValue) ?? PerpetualMarket.OneMillion,
                (int)(node["spreadToMaintenanceMarginRatioPpm"]?.Integer(1, 10 * PerpetualMarket.OneMillion) ?? 1_500_000),
                (int)(node["maxLiquidationFeePpm"]?.Integer(0, PerpetualMarket.OneMillion) ?? 15_000),
                (UInt128)(node["minPositionNotionalLiquidated"]?.Integer(0, long.MaxValue) ?? 1_000_000_000),
                (int)(node["maxPositionPortionLiquidatedPpm"]?.Integer(1, PerpetualMarket.OneMillion) ?? 100_000));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw (node[e.ParamName ?? ""] ?? node).Error(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>Whether <c>"reduceOnly"</c> is set on an order or instruction; only a perpetual market knows it.</summary>
    private bool ReduceOnly(ScenarioNode node)
    {
        if (node["reduceOnly"] is not { } flag)
        {
            return false;
        }

        bool reduceOnly = flag.Boolean();
        return !reduceOnly || Perpetual is not null ? reduceOnly : throw flag.Error("needs a perpetual market: a spot market has no position to reduce");
    }

    private Order ReadOrder(ScenarioNode node)
    {
        node.OnlyKeys("id", "trader", "side", "price", "quantity", "reduceOnly");
        string name = (node["id"] ?? throw node.Error("needs \"id\"")).Name();
        // The engine id comes from the name, not the order of listing, so that reordering a block changes nothing.
        ulong id = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes("auction simulate order " + name)), 0);
        if (Perpetual is not null)
        {
            id &= ~PerpetualEngine.LiquidationIdFlag; // the margin engine's liquidation orders own the top bit
        }

        if (_orderNames.ContainsKey(id))
        {
            throw node["id"]!.Error($"order \"{name}\" is listed twice");
        }

        _orderNames.Add(id, name);
        OrderCount++;
        Address trader = Trader(node);
        Side side = ReadSide(node);
        ScenarioNode price = node["price"] ?? throw node.Error("needs \"price\": ticks, or \"market\"");
        bool market = price.Kind == System.Text.Json.JsonTokenType.String && price.Choice("market") == "market";
        long quantity = (node["quantity"] ?? throw node.Error("needs \"quantity\"")).Integer(1, Market.MaxOrderQuantity);
        if (ReduceOnly(node))
        {
            ReduceOnlyOrders.Add(id);
        }

        return new Order(id, trader, side, market ? OrderType.Market : OrderType.Limit, market ? 0 : price.Integer(1, MaxPrice), quantity, 0);
    }

    private SignedInstruction ReadInstruction(ScenarioNode node)
    {
        string name = (node["id"] ?? throw node.Error("needs \"id\"")).Name();
        Address trader = Trader(node);
        string type = (node["type"] ?? throw node.Error("needs \"type\"")).Choice("stop", "trailingStop", "limit", "twap", "oco", "bracket");
        bool reduceOnly = ReadInstructionReduceOnly(node, type);
        long expiry = node["expiryBlock"]?.Integer(0, long.MaxValue) ?? 0;
        UInt128 nonce = new(0, BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0));
        Instruction instruction;
        switch (type)
        {
            case "oco":
            {
                node.OnlyKeys("id", "trader", "type", "expiryBlock", "legs", "reduceOnly");
                ScenarioNode legs = node["legs"] ?? throw node.Error("needs \"legs\": two legs");
                if (legs.Items.Count != 2)
                {
                    throw legs.Error("must hold exactly two legs");
                }

                instruction = Instruction.Oco(trader, MarketAddress, nonce, expiry, ReadLeg(legs.Items[0], nested: true), ReadLeg(legs.Items[1], nested: true));
                break;
            }

            case "bracket":
            {
                node.OnlyKeys("id", "trader", "type", "expiryBlock", "entry", "takeProfit", "stopLoss", "reduceOnly");
                InstructionLeg entry = ReadLeg(node["entry"] ?? throw node.Error("needs \"entry\": a limit or a stop leg"), nested: true);
                Side exit = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
                instruction = Instruction.Bracket(trader, MarketAddress, nonce, expiry, entry,
                    ReadExit(node["takeProfit"] ?? throw node.Error("needs \"takeProfit\""), exit, StopKind.TakeProfit, entry.Quantity),
                    ReadExit(node["stopLoss"] ?? throw node.Error("needs \"stopLoss\""), exit, StopKind.StopLoss, entry.Quantity));
                break;
            }

            case "twap":
                node.OnlyKeys("id", "trader", "type", "expiryBlock", "side", "quantity", "parts", "blocksPerPart", "startBlock", "toleranceBps", "limitPrice", "reduceOnly");
                instruction = Instruction.Twap(trader, MarketAddress, nonce, expiry, ReadSide(node), Required(node, "quantity", long.MaxValue),
                    (int)Required(node, "parts", int.MaxValue), (int)Required(node, "blocksPerPart", int.MaxValue),
                    node["startBlock"]?.Integer(0, long.MaxValue) ?? 0, (int)(node["toleranceBps"]?.Integer(0, 10_000) ?? 0), node["limitPrice"]?.Integer(0, MaxPrice) ?? 0);
                break;
            default:
            {
                InstructionLeg leg = ReadLeg(node, nested: false);
                instruction = type switch
                {
                    "stop" => Instruction.Stop(trader, MarketAddress, nonce, expiry, leg),
                    "trailingStop" => Instruction.TrailingStop(trader, MarketAddress, nonce, expiry, leg),
                    _ => Instruction.Limit(trader, MarketAddress, nonce, expiry, leg),
                };
                break;
            }
        }

        instruction = instruction with { ReduceOnly = reduceOnly };
        Hash32 id = instruction.ComputeDigest(Domain);
        if (_instructionNames.ContainsValue(name))
        {
            throw node["id"]!.Error($"instruction \"{name}\" is listed twice");
        }

        _instructionNames[id] = name;
        _instructionTraders[id] = trader;
        if (instruction.Kind == InstructionKind.Twap)
        {
            _twaps.Add(id);
        }

        InstructionCount++;
        return SignedInstruction.Create(instruction, Domain, _keys[_traders[trader]]);
    }

    /// <summary>
    /// An instruction's <c>"reduceOnly"</c>, signed into it (the last member of every kind's struct). Only a perpetual
    /// market has a position to reduce. There stops and trailing stops are reduce-only with or without the flag, so they
    /// may say true and may not say false; a bracket may not say true, because its entry opens the position its exits
    /// protect (the exits are reduce-only anyway); limits, TWAPs and OCOs may say either.
    /// </summary>
    private bool ReadInstructionReduceOnly(ScenarioNode node, string type)
    {
        if (node["reduceOnly"] is not { } flag)
        {
            return false;
        }

        bool reduceOnly = ReduceOnly(node);
        if (Perpetual is not null && type is "stop" or "trailingStop" && !reduceOnly)
        {
            throw flag.Error($"must be true: a {type} on a perpetual market is always reduce-only");
        }

        if (Perpetual is not null && type == "bracket" && reduceOnly)
        {
            throw flag.Error("cannot be true on a bracket: its entry opens the position its exits protect, and the exits are always reduce-only");
        }

        return reduceOnly;
    }

    /// <summary>A stop, trailing stop or limit: an instruction of that type, or an OCO's or bracket's leg (which has its own "type").</summary>
    private static InstructionLeg ReadLeg(ScenarioNode node, bool nested)
    {
        string[] outer = nested ? [] : ["id", "trader", "expiryBlock", "reduceOnly"];
        string type = (node["type"] ?? throw node.Error("needs \"type\": stop, trailingStop or limit")).Choice("stop", "trailingStop", "limit");
        switch (type)
        {
            case "stop":
                node.OnlyKeys([.. outer, "type", "side", "kind", "triggerPrice", "quantity", "limitPrice", "slippageBps"]);
                return InstructionLeg.Stop(ReadSide(node), ReadKind(node), Required(node, "triggerPrice", MaxPrice), Required(node, "quantity", long.MaxValue),
                    node["limitPrice"]?.Integer(0, MaxPrice) ?? 0, (int)(node["slippageBps"]?.Integer(0, 10_000) ?? InstructionLeg.DefaultSlippageBps));
            case "trailingStop":
                node.OnlyKeys([.. outer, "type", "side", "kind", "trailingBps", "activationPrice", "quantity", "limitPrice", "slippageBps"]);
                return InstructionLeg.TrailingStop(ReadSide(node), ReadKind(node), (int)Required(node, "trailingBps", 10_000), Required(node, "quantity", long.MaxValue),
                    node["activationPrice"]?.Integer(0, MaxPrice) ?? 0, node["limitPrice"]?.Integer(0, MaxPrice) ?? 0,
                    (int)(node["slippageBps"]?.Integer(0, 10_000) ?? InstructionLeg.DefaultSlippageBps));
            default:
                node.OnlyKeys([.. outer, "type", "side", "price", "quantity", "displayQuantity"]);
                return InstructionLeg.Limit(ReadSide(node), Required(node, "price", MaxPrice), Required(node, "quantity", long.MaxValue), node["displayQuantity"]?.Integer(0, long.MaxValue) ?? 0);
        }
    }

    private static InstructionLeg ReadExit(ScenarioNode node, Side side, StopKind kind, long quantity)
    {
        node.OnlyKeys("triggerPrice", "limitPrice", "slippageBps");
        return InstructionLeg.Stop(side, kind, Required(node, "triggerPrice", MaxPrice), quantity,
            node["limitPrice"]?.Integer(0, MaxPrice) ?? 0, (int)(node["slippageBps"]?.Integer(0, 10_000) ?? InstructionLeg.DefaultSlippageBps));
    }

    private SignedCancellation ReadCancellation(ScenarioNode node)
    {
        // A cancellation is signed by the instruction's own trader.
        string name = node.Name();
        foreach ((Hash32 id, string listed) in _instructionNames)
        {
            if (listed == name)
            {
                Address trader = _instructionTraders[id];
                return SignedCancellation.Create(new InstructionCancellation(trader, MarketAddress, id), Domain, _keys[_traders[trader]]);
            }
        }

        throw node.Error($"names no instruction listed before it (\"{name}\")");
    }

    private Address Trader(ScenarioNode node) => TraderNamed((node["trader"] ?? throw node.Error("needs \"trader\", a name")).String(), node["trader"]!);

    private Address TraderNamed(string name, ScenarioNode node)
    {
        if (name.Length == 0)
        {
            throw node.Error("must not be empty");
        }

        if (!_addresses.TryGetValue(name, out Address address))
        {
            byte[] key = DemoKey(name);
            address = Secp256k1.AddressFromPrivateKey(key);
            _keys.Add(name, key);
            _addresses.Add(name, address);
            _traders[address] = name;
        }

        return address;
    }

    private static Side ReadSide(ScenarioNode node) =>
        (node["side"] ?? throw node.Error("needs \"side\": buy or sell")).Choice("buy", "sell") == "buy" ? Side.Buy : Side.Sell;

    private static StopKind ReadKind(ScenarioNode node) =>
        (node["kind"] ?? throw node.Error("needs \"kind\": stopLoss or takeProfit")).Choice("stopLoss", "takeProfit") == "stopLoss" ? StopKind.StopLoss : StopKind.TakeProfit;

    private static long Required(ScenarioNode node, string key, long max) => (node[key] ?? throw node.Error($"needs \"{key}\"")).Integer(0, max);
}
