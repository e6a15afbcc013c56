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
/// <param name="Block">The block number.</param>
/// <param name="Oracle">The underlying's oracle price in the block, if listed.</param>
/// <param name="Orders">The host's orders.</param>
/// <param name="OrderMarkets">Each order's market index: 0 for the scenario's market, 1 + k for its series k.</param>
/// <param name="Instructions">The signed instructions.</param>
/// <param name="Cancellations">The signed cancellations.</param>
/// <param name="Volatilities">New volatilities from this block on: (series index, volatility).</param>
internal sealed record SimulationBlock(
    long Block, long? Oracle, Order[] Orders, int[] OrderMarkets, SignedInstruction[] Instructions, SignedCancellation[] Cancellations, (int Series, double Volatility)[] Volatilities);

/// <summary>An option series of a perpetual scenario.</summary>
/// <param name="Name">The scenario's name for it.</param>
/// <param name="Series">The series, on the scenario's perpetual market (index 0).</param>
/// <param name="MarketAddress">The market address its instructions are signed for.</param>
/// <param name="Volatility">Its volatility until a block gives another.</param>
internal sealed record SimulationSeries(string Name, OptionSeries Series, Address MarketAddress, double Volatility);

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
    private readonly Dictionary<Hash32, Address> _instructionMarkets = [];

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

    /// <summary>A perpetual market's option series, in listing order (series k is engine market 1 + k).</summary>
    public List<SimulationSeries> Series { get; } = [];

    /// <summary>Block 0's timestamp in seconds since the Unix epoch: block N is at <c>GenesisTimestamp + N × BlockSeconds</c>.</summary>
    public long GenesisTimestamp { get; private init; }

    /// <summary>Seconds between blocks.</summary>
    public long BlockSeconds { get; private init; }

    /// <summary>A block's timestamp, which the option models measure time to expiry from.</summary>
    public long Timestamp(long block) => checked(GenesisTimestamp + (block * BlockSeconds));

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
        root.OnlyKeys("market", "rule", "oracle", "circuitBreaker", "time", "series", "accounts", "blocks");
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
        ScenarioNode? time = root["time"];
        time?.OnlyKeys("genesisTimestamp", "blockSeconds");
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
            GenesisTimestamp = time?["genesisTimestamp"]?.Integer(0, 1L << 40) ?? DefaultGenesisTimestamp,
            BlockSeconds = time?["blockSeconds"]?.Integer(1, 1_000_000) ?? DefaultBlockSeconds,
        };

        if (root["series"] is { } series)
        {
            if (!perpetual)
            {
                throw series.Error("needs a perpetual market (\"market\": {\"type\": \"perpetual\"}): an option series is on a perpetual's index");
            }

            foreach ((string name, ScenarioNode node) in series.Properties)
            {
                scenario.Series.Add(scenario.ReadSeries(name, node));
            }
        }

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
            block.OnlyKeys("block", "oracle", "volatility", "orders", "instructions", "cancel");
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

            (Order Order, int Market)[] orders = [.. (block["orders"]?.Items ?? []).Select(scenario.ReadOrder)];
            scenario.Blocks.Add(new SimulationBlock(
                at,
                block["oracle"]?.Integer(1, MaxPrice),
                [.. orders.Select(o => o.Order)],
                [.. orders.Select(o => o.Market)],
                [.. (block["instructions"]?.Items ?? []).Select(scenario.ReadInstruction)],
                [.. (block["cancel"]?.Items ?? []).Select(scenario.ReadCancellation)],
                scenario.ReadVolatilities(block["volatility"])));
        }

        return scenario;
    }

    /// <summary>2027-01-01T00:00:00Z: where a scenario's clock starts unless it says otherwise.</summary>
    private const long DefaultGenesisTimestamp = 1_798_761_600;

    /// <summary>Ethereum's slot time.</summary>
    private const long DefaultBlockSeconds = 12;

    /// <summary>The highest volatility a scenario may give: 100 (10,000%) is far beyond any market's and keeps the models in range.</summary>
    private const double MaxVolatility = 100;

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

    /// <summary>
    /// An option series on the perpetual: premium ticks and lots of its own, expiry at a block (its timestamp from the
    /// scenario's clock), cash-settled by the venue at the oracle from that block on.
    /// </summary>
    private SimulationSeries ReadSeries(string name, ScenarioNode node)
    {
        node.OnlyKeys("type", "strike", "expiryBlock", "volatility", "contractSize", "lotSize", "tickSize", "maxPosition", "feePpm");
        if (name.Length == 0 || Series.Any(s => s.Name == name))
        {
            throw node.Error(name.Length == 0 ? "needs a non-empty name" : $"series \"{name}\" is listed twice");
        }

        long lotSize = node["lotSize"]?.Integer(1, 1_000_000_000) ?? 1;
        long tickSize = node["tickSize"]?.Integer(1, 1_000_000_000) ?? 1;
        long contractSize = node["contractSize"]?.Integer(1, 1_000_000_000) ?? 1;
        var market = new Market(Address.Zero, Address.Zero, (UInt128)lotSize, (UInt128)tickSize, MaxPrice, 1_000_000_000_000);
        long maxPosition = node["maxPosition"]?.Integer(1, market.MaxOrderQuantity) ?? 1_000_000;

        // The engine bounds a series' largest premium and payoff at 2^96 quote atoms (see PerpetualEngine.ListSeries).
        UInt128 largest = UInt128.Max(
            (UInt128)(ulong)maxPosition * (ulong)MaxPrice * (ulong)tickSize,
            (UInt128)(ulong)maxPosition * (ulong)contractSize * (ulong)Perpetual!.Market.MaxPrice * Perpetual.TickSize);
        if (largest > PerpetualMarket.MaxNotionalBound)
        {
            throw (node["maxPosition"] ?? node).Error("makes the series' largest premium or payoff exceed 2^96 quote atoms; lower maxPosition, contractSize or tickSize");
        }

        long expiryBlock = (node["expiryBlock"] ?? throw node.Error("needs \"expiryBlock\": the first block it no longer trades in")).Integer(1, long.MaxValue / 4);
        var series = new OptionSeries(
            market,
            0,
            (node["type"] ?? throw node.Error("needs \"type\": call or put")).Choice("call", "put") == "call" ? Options.OptionType.Call : Options.OptionType.Put,
            (node["strike"] ?? throw node.Error("needs \"strike\", in the perpetual's ticks")).Integer(1, Perpetual.Market.MaxPrice),
            expiryBlock,
            Timestamp(expiryBlock),
            contractSize,
            maxPosition,
            (int)(node["feePpm"]?.Integer(0, PerpetualMarket.OneMillion) ?? 0));
        double volatility = (node["volatility"] ?? throw node.Error("needs \"volatility\": 0.8 for 80% a year")).Number(0, MaxVolatility);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("auction simulate market " + name));
        return new SimulationSeries(name, series, new Address(hash.AsSpan(0, Address.Length)), volatility);
    }

    /// <summary>A block's <c>"volatility"</c>: one number for every series, or an object of series names and numbers.</summary>
    private (int Series, double Volatility)[] ReadVolatilities(ScenarioNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (Series.Count == 0)
        {
            throw node.Error("needs option series (\"series\"): only they have a volatility");
        }

        if (node.Kind == System.Text.Json.JsonTokenType.Number)
        {
            double all = node.Number(0, MaxVolatility);
            return [.. Enumerable.Range(0, Series.Count).Select(k => (k, all))];
        }

        return [.. node.Properties.Select(p => (SeriesNamed(p.Name, p.Node), p.Node.Number(0, MaxVolatility))).OrderBy(p => p.Item1)];
    }

    private int SeriesNamed(string name, ScenarioNode node)
    {
        int index = Series.FindIndex(s => s.Name == name);
        return index >= 0 ? index : throw node.Error($"names no series (\"{name}\"); the series are {string.Join(", ", Series.Select(s => $"\"{s.Name}\""))}");
    }

    /// <summary>An order's or instruction's <c>"market"</c>: absent for the scenario's market (index 0), else a series' name (index 1 + k).</summary>
    private int MarketOf(ScenarioNode node) => node["market"] is { } market ? 1 + SeriesNamed(market.String(), market) : 0;

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

    private (Order Order, int Market) ReadOrder(ScenarioNode node)
    {
        node.OnlyKeys("id", "trader", "market", "side", "price", "quantity", "reduceOnly");
        int marketIndex = MarketOf(node);
        Market orderMarket = marketIndex == 0 ? Market : Series[marketIndex - 1].Series.Market;
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
        long quantity = (node["quantity"] ?? throw node.Error("needs \"quantity\"")).Integer(1, orderMarket.MaxOrderQuantity);
        if (ReduceOnly(node))
        {
            ReduceOnlyOrders.Add(id);
        }

        return (new Order(id, trader, side, market ? OrderType.Market : OrderType.Limit, market ? 0 : price.Integer(1, MaxPrice), quantity, 0), marketIndex);
    }

    private SignedInstruction ReadInstruction(ScenarioNode node)
    {
        string name = (node["id"] ?? throw node.Error("needs \"id\"")).Name();
        Address trader = Trader(node);
        string type = (node["type"] ?? throw node.Error("needs \"type\"")).Choice("stop", "trailingStop", "limit", "twap", "oco", "bracket", "deltaHedge", "quote");
        int marketIndex = MarketOf(node);
        if (type == "deltaHedge" && (Perpetual is null || marketIndex != 0))
        {
            throw (node["market"] ?? node).Error("a deltaHedge trades the perpetual: it needs a perpetual market and takes no \"market\"");
        }

        if (type == "quote" && marketIndex == 0)
        {
            throw node.Error("a quote needs \"market\": the option series it quotes");
        }

        Address market = marketIndex == 0 ? MarketAddress : Series[marketIndex - 1].MarketAddress;
        bool reduceOnly = ReadInstructionReduceOnly(node, type);
        long expiry = node["expiryBlock"]?.Integer(0, long.MaxValue) ?? 0;
        UInt128 nonce = new(0, BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0));
        Instruction instruction;
        switch (type)
        {
            case "oco":
            {
                node.OnlyKeys("id", "trader", "type", "market", "expiryBlock", "legs", "reduceOnly");
                ScenarioNode legs = node["legs"] ?? throw node.Error("needs \"legs\": two legs");
                if (legs.Items.Count != 2)
                {
                    throw legs.Error("must hold exactly two legs");
                }

                instruction = Instruction.Oco(trader, market, nonce, expiry, ReadLeg(legs.Items[0], nested: true), ReadLeg(legs.Items[1], nested: true));
                break;
            }

            case "bracket":
            {
                node.OnlyKeys("id", "trader", "type", "market", "expiryBlock", "entry", "takeProfit", "stopLoss", "reduceOnly");
                InstructionLeg entry = ReadLeg(node["entry"] ?? throw node.Error("needs \"entry\": a limit or a stop leg"), nested: true);
                Side exit = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
                instruction = Instruction.Bracket(trader, market, nonce, expiry, entry,
                    ReadExit(node["takeProfit"] ?? throw node.Error("needs \"takeProfit\""), exit, StopKind.TakeProfit, entry.Quantity),
                    ReadExit(node["stopLoss"] ?? throw node.Error("needs \"stopLoss\""), exit, StopKind.StopLoss, entry.Quantity));
                break;
            }

            case "twap":
                node.OnlyKeys("id", "trader", "type", "market", "expiryBlock", "side", "quantity", "parts", "blocksPerPart", "startBlock", "toleranceBps", "limitPrice", "reduceOnly");
                instruction = Instruction.Twap(trader, market, nonce, expiry, ReadSide(node), Required(node, "quantity", long.MaxValue),
                    (int)Required(node, "parts", int.MaxValue), (int)Required(node, "blocksPerPart", int.MaxValue),
                    node["startBlock"]?.Integer(0, long.MaxValue) ?? 0, (int)(node["toleranceBps"]?.Integer(0, 10_000) ?? 0), node["limitPrice"]?.Integer(0, MaxPrice) ?? 0);
                break;
            case "deltaHedge":
                node.OnlyKeys("id", "trader", "type", "expiryBlock", "targetDelta", "band", "maxQuantity", "toleranceBps", "reduceOnly");
                instruction = Instruction.DeltaHedge(trader, market, nonce, expiry,
                    node["targetDelta"]?.Integer(-Market.MaxOrderQuantity, Market.MaxOrderQuantity) ?? 0, node["band"]?.Integer(0, Market.MaxOrderQuantity) ?? 0,
                    Required(node, "maxQuantity", Market.MaxOrderQuantity), (int)(node["toleranceBps"]?.Integer(0, 10_000) ?? 0));
                break;
            case "quote":
                node.OnlyKeys("id", "trader", "type", "market", "expiryBlock", "quantity", "halfSpreadBps", "minHalfSpread", "vegaSpreadBps", "vegaUnit",
                    "deltaSpreadBps", "deltaUnit", "maxPosition", "reduceOnly");
                instruction = Instruction.Quote(trader, market, nonce, expiry, Required(node, "quantity", Series[marketIndex - 1].Series.Market.MaxOrderQuantity),
                    (int)(node["halfSpreadBps"]?.Integer(0, 10_000) ?? 0), node["minHalfSpread"]?.Integer(0, MaxPrice) ?? 0,
                    (int)(node["vegaSpreadBps"]?.Integer(0, 10_000) ?? 0), node["vegaUnit"]?.Integer(1, long.MaxValue) ?? 1,
                    (int)(node["deltaSpreadBps"]?.Integer(0, 10_000) ?? 0), node["deltaUnit"]?.Integer(1, long.MaxValue) ?? 1,
                    node["maxPosition"]?.Integer(0, long.MaxValue) ?? 0);
                break;
            default:
            {
                InstructionLeg leg = ReadLeg(node, nested: false);
                instruction = type switch
                {
                    "stop" => Instruction.Stop(trader, market, nonce, expiry, leg),
                    "trailingStop" => Instruction.TrailingStop(trader, market, nonce, expiry, leg),
                    _ => Instruction.Limit(trader, market, nonce, expiry, leg),
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
        _instructionMarkets[id] = market;
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
        string[] outer = nested ? [] : ["id", "trader", "market", "expiryBlock", "reduceOnly"];
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
                return SignedCancellation.Create(new InstructionCancellation(trader, _instructionMarkets[id], id), Domain, _keys[_traders[trader]]);
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
