using System.Text.Json.Serialization;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Tests.Serialization;

/// <summary>What a bot might keep about one batch: the library's types inside the bot's own record.</summary>
internal sealed record BotBatchRecord(
    Address Operator,
    Hash32 BlockHash,
    ClearingResult Result,
    Fill[] Fills,
    IReadOnlyList<SealRejection> Voids,
    Dictionary<Address, Reservation> Reserved,
    Dictionary<Hash32, SettlementFill> ByCommitment,
    Address? Referrer);

/// <summary>
/// A source-generated context, as a bot published with Native AOT declares it: the generator reads the library's
/// <see cref="JsonConverterAttribute"/>s and calls the converters directly, with no reflection.
/// </summary>
[JsonSerializable(typeof(Address))]
[JsonSerializable(typeof(Hash32))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Fill))]
[JsonSerializable(typeof(ClearingResult))]
[JsonSerializable(typeof(SealedOrder))]
[JsonSerializable(typeof(SealedOrderOutcome))]
[JsonSerializable(typeof(SealRejection))]
[JsonSerializable(typeof(SettlementFill))]
[JsonSerializable(typeof(Reservation))]
[JsonSerializable(typeof(BotBatchRecord))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
