using System.Security.Cryptography;
using System.Text;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// Drives an <see cref="OrderManager"/> block by block as a venue would (submit, clear the released orders with a
/// chosen fill rule, apply the fills, evaluate) and keeps every event.
/// </summary>
internal sealed class ManagerHarness
{
    public const long MaxPrice = 1_000_000_000;

    public static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000000aa");

    public static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, Address.Parse("0x00000000000000000000000000000000000000c0"));

    public static readonly Market Market = Build.MarketWith(UInt128.One, UInt128.One, MaxPrice, maxOrderQuantity: 1_000_000_000);

    public ManagerHarness(int maxInstructions = 256, int maxReleasesPerBatch = 256, int maxPerTrader = 64, int maxReleasesPerTrader = 64, int maxOracleAge = 3)
        : this(Settings(maxInstructions, maxReleasesPerBatch, maxPerTrader, maxReleasesPerTrader, maxOracleAge))
    {
    }

    public ManagerHarness(OrderManagerSettings settings) => Manager = new OrderManager(settings, Domain);

    public ManagerHarness(OrderManager manager) => Manager = manager;

    public OrderManager Manager { get; private set; }

    public List<ManagementEvent> Events { get; } = [];

    /// <summary>Runs after a block's fills and before its evaluation, as a venue states positions and exposures.</summary>
    public Action<long, OrderManager>? AfterFills { get; set; }

    /// <summary>Decides how much of each released order a batch fills; by default nothing fills.</summary>
    public Func<long, ManagedOrder, long> FillRule { get; set; } = static (_, _) => 0;

    public static OrderManagerSettings Settings(int maxInstructions = 256, int maxReleasesPerBatch = 256, int maxPerTrader = 64, int maxReleasesPerTrader = 64, int maxOracleAge = 3) =>
        new(Market, MarketAddress, maxInstructions, maxReleasesPerBatch, maxPerTrader, maxReleasesPerTrader, maxOracleAge);

    public static Hash32 Randomness(long batch) => new(SHA256.HashData(BitConverter.GetBytes(batch)));

    public static byte[] PrivateKey(int trader) => SHA256.HashData(Encoding.UTF8.GetBytes($"trader {trader}"));

    public static Address Trader(int trader) => Secp256k1.AddressFromPrivateKey(PrivateKey(trader));

    public static Hash32 IdOf(Instruction instruction) => instruction.ComputeDigest(Domain);

    /// <summary>One whole block; returns its events.</summary>
    public List<ManagementEvent> Block(long block, long? oracle, IEnumerable<Instruction>? instructions = null, IEnumerable<InstructionCancellation>? cancellations = null, long? publishedBlock = null)
    {
        Manager.SubmitVerified(block, (cancellations ?? []).ToArray(), (instructions ?? []).ToArray());
        ClearAndEvaluate(block, oracle is { } price ? new OracleObservation(price, publishedBlock ?? block) : null);
        return Flush();
    }

    /// <summary>A whole block whose submissions are signed and checked.</summary>
    public List<ManagementEvent> SignedBlock(long block, long? oracle, SignedInstruction[] instructions, SignedCancellation[]? cancellations = null)
    {
        Manager.Submit(block, cancellations ?? [], instructions);
        ClearAndEvaluate(block, oracle is { } price ? new OracleObservation(price, block) : null);
        return Flush();
    }

    public void ClearAndEvaluate(long block, OracleObservation? observation)
    {
        ReadOnlySpan<ManagedOrder> released = Manager.ReleasedOrders(block);
        var fills = new Fill[released.Length];
        for (int i = 0; i < released.Length; i++)
        {
            long filled = Math.Clamp(FillRule(block, released[i]), 0, released[i].Order.Quantity);
            fills[i] = new Fill(filled, (UInt128)filled * (UInt128)released[i].Order.LimitPrice, RejectReason.None);
        }

        Manager.ApplyFills(block, block, fills, released.Length == 0 ? null : released[0].Order.LimitPrice);
        AfterFills?.Invoke(block, Manager);
        Manager.Evaluate(block, observation, Randomness(block + 1));
    }

    public List<ManagementEvent> Flush()
    {
        List<ManagementEvent> events = [.. Manager.Events.ToArray()];
        Manager.ClearEvents();
        Events.AddRange(events);
        return events;
    }

    public byte[] Snapshot()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Manager.WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public void RestoreFrom(byte[] snapshot) => Manager = OrderManager.Restore(snapshot, Manager.Settings, Domain);

    public static Instruction Stop(int trader, Side side, StopKind kind, long trigger, long quantity, long limit = 0, int slippage = 1_000, long expiry = 0, int nonce = 0) =>
        Instruction.Stop(Trader(trader), MarketAddress, (UInt128)nonce, expiry, InstructionLeg.Stop(side, kind, trigger, quantity, limit, slippage));

    public static Instruction Trailing(int trader, Side side, StopKind kind, int bps, long quantity, long activation = 0, long limit = 0, int slippage = 1_000, long expiry = 0, int nonce = 0) =>
        Instruction.TrailingStop(Trader(trader), MarketAddress, (UInt128)nonce, expiry, InstructionLeg.TrailingStop(side, kind, bps, quantity, activation, limit, slippage));

    public static Instruction Limit(int trader, Side side, long price, long quantity, long display = 0, long expiry = 0, int nonce = 0) =>
        Instruction.Limit(Trader(trader), MarketAddress, (UInt128)nonce, expiry, InstructionLeg.Limit(side, price, quantity, display));

    public static Instruction Twap(int trader, Side side, long quantity, int parts, int blocksPerPart, long start = 0, int tolerance = 100, long limit = 0, long expiry = 0, int nonce = 0) =>
        Instruction.Twap(Trader(trader), MarketAddress, (UInt128)nonce, expiry, side, quantity, parts, blocksPerPart, start, tolerance, limit);

    public static Instruction Oco(int trader, InstructionLeg first, InstructionLeg second, long expiry = 0, int nonce = 0) =>
        Instruction.Oco(Trader(trader), MarketAddress, (UInt128)nonce, expiry, first, second);

    public static Instruction Bracket(int trader, InstructionLeg entry, long takeProfit, long stopLoss, long expiry = 0, int nonce = 0)
    {
        Side exit = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
        return Instruction.Bracket(
            Trader(trader), MarketAddress, (UInt128)nonce, expiry, entry,
            InstructionLeg.Stop(exit, StopKind.TakeProfit, takeProfit, entry.Quantity),
            InstructionLeg.Stop(exit, StopKind.StopLoss, stopLoss, entry.Quantity));
    }

    public static Instruction Hedge(int trader, long target, long band, long maxQuantity, int tolerance = 100, long expiry = 0, int nonce = 0) =>
        Instruction.DeltaHedge(Trader(trader), MarketAddress, (UInt128)nonce, expiry, target, band, maxQuantity, tolerance);

    public static Instruction Quote(
        int trader, long quantity, int halfSpreadBps = 100, long minHalfSpread = 0, int vegaBps = 0, long vegaUnit = 1, int deltaBps = 0, long deltaUnit = 1,
        long maxPosition = 0, long expiry = 0, int nonce = 0) =>
        Instruction.Quote(Trader(trader), MarketAddress, (UInt128)nonce, expiry, quantity, halfSpreadBps, minHalfSpread, vegaBps, vegaUnit, deltaBps, deltaUnit, maxPosition);

    public static InstructionCancellation Cancel(int trader, Instruction instruction) => new(Trader(trader), MarketAddress, IdOf(instruction));
}

internal static class EventQueries
{
    public static IEnumerable<ManagementEvent> OfKind(this IEnumerable<ManagementEvent> events, ManagementEventKind kind) => events.Where(e => e.Kind == kind);

    public static IEnumerable<ManagementEvent> For(this IEnumerable<ManagementEvent> events, Instruction instruction)
    {
        Hash32 id = ManagerHarness.IdOf(instruction);
        return events.Where(e => e.Instruction == id);
    }
}
