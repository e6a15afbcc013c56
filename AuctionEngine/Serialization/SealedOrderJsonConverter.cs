using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="SealedOrder"/> as
/// <c>{"trader":"0x…","market":"0x…","batchId":"7","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","nonce":"1"}</c>,
/// the EIP-712 struct's members in its order.
/// </summary>
/// <remarks>
/// Addresses are EIP-55 checksummed; <c>batchId</c>, <c>limitPrice</c>, <c>quantity</c> and <c>nonce</c> are decimal
/// strings, read from strings or JSON integers; <c>side</c> is <c>"buy"</c> or <c>"sell"</c> and <c>type</c>
/// <c>"limit"</c> or <c>"market"</c> (a value with no name is its number, as it is signed). Every property is
/// required once; unknown ones are skipped. Reading refuses what the constructor refuses (a negative price or
/// quantity). No reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class SealedOrderJsonConverter : JsonConverter<SealedOrder>
{
    private const string TypeName = "SealedOrder";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("trader", "market", "batchId", "side", "type", "limitPrice", "quantity", "nonce");

    private enum Field
    {
        Trader,
        Market,
        BatchId,
        Side,
        Type,
        LimitPrice,
        Quantity,
        Nonce,
    }

    /// <summary>Reads a sealed order from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="SealedOrder"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The order.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape, or its price or quantity is negative.</exception>
    public override SealedOrder Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the sealed order as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The order.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, SealedOrder value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static SealedOrder ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        Address trader = default;
        Address market = default;
        ulong batchId = 0;
        byte side = 0;
        byte type = 0;
        long limitPrice = 0;
        long quantity = 0;
        UInt128 nonce = UInt128.Zero;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Trader:
                    trader = JsonFields.ReadAddress(ref reader, "SealedOrder.trader");
                    break;
                case Field.Market:
                    market = JsonFields.ReadAddress(ref reader, "SealedOrder.market");
                    break;
                case Field.BatchId:
                    batchId = JsonFields.ReadUInt64(ref reader, "SealedOrder.batchId");
                    break;
                case Field.Side:
                    side = JsonFields.ReadEnum(ref reader, JsonEnumNames.Side, "SealedOrder.side");
                    break;
                case Field.Type:
                    type = JsonFields.ReadEnum(ref reader, JsonEnumNames.OrderType, "SealedOrder.type");
                    break;
                case Field.LimitPrice:
                    limitPrice = JsonFields.ReadInt64(ref reader, "SealedOrder.limitPrice");
                    break;
                case Field.Quantity:
                    quantity = JsonFields.ReadInt64(ref reader, "SealedOrder.quantity");
                    break;
                case Field.Nonce:
                    nonce = JsonFields.ReadUInt128(ref reader, "SealedOrder.nonce");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        if (limitPrice < 0 || quantity < 0)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "limitPrice and quantity are uint256 values and cannot be negative.");
        }

        return new SealedOrder(trader, market, batchId, (Side)side, (OrderType)type, limitPrice, quantity, nonce);
    }

    internal static void WriteValue(Utf8JsonWriter writer, in SealedOrder order)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Trader]);
        JsonFields.WriteAddress(writer, order.Trader);
        writer.WritePropertyName(Names[(int)Field.Market]);
        JsonFields.WriteAddress(writer, order.Market);
        writer.WritePropertyName(Names[(int)Field.BatchId]);
        JsonFields.WriteInteger(writer, order.BatchId);
        writer.WritePropertyName(Names[(int)Field.Side]);
        JsonFields.WriteEnum(writer, JsonEnumNames.Side, (byte)order.Side);
        writer.WritePropertyName(Names[(int)Field.Type]);
        JsonFields.WriteEnum(writer, JsonEnumNames.OrderType, (byte)order.Type);
        writer.WritePropertyName(Names[(int)Field.LimitPrice]);
        JsonFields.WriteInteger(writer, order.LimitPrice);
        writer.WritePropertyName(Names[(int)Field.Quantity]);
        JsonFields.WriteInteger(writer, order.Quantity);
        writer.WritePropertyName(Names[(int)Field.Nonce]);
        JsonFields.WriteInteger(writer, order.Nonce);
        writer.WriteEndObject();
    }
}
