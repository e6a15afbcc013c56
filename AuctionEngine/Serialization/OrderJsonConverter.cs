using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes an <see cref="Order"/> as
/// <c>{"id":"1","trader":"0x…","side":"buy","type":"limit","limitPrice":"250010","quantity":"40","priorityKey":"40732"}</c>.
/// </summary>
/// <remarks>
/// Integers are decimal strings (read from strings or JSON integers), <c>side</c> is <c>"buy"</c> or <c>"sell"</c>
/// and <c>type</c> <c>"limit"</c> or <c>"market"</c> (a value with no name, which the engine rejects, is its number).
/// A market order's <c>limitPrice</c> is <c>"0"</c>, as <see cref="Order.LimitPrice"/> is. Every property is required
/// once; unknown ones are skipped. Like the constructor, reading does not validate: the engine rejects a bad order
/// with a reason. No reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class OrderJsonConverter : JsonConverter<Order>
{
    private const string TypeName = "Order";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("id", "trader", "side", "type", "limitPrice", "quantity", "priorityKey");

    private enum Field
    {
        Id,
        Trader,
        Side,
        Type,
        LimitPrice,
        Quantity,
        PriorityKey,
    }

    /// <summary>Reads an order from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Order"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The order.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape.</exception>
    public override Order Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the order as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The order.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, Order value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static Order ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        ulong id = 0;
        Address trader = default;
        byte side = 0;
        byte type = 0;
        long limitPrice = 0;
        long quantity = 0;
        ulong priorityKey = 0;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Id:
                    id = JsonFields.ReadUInt64(ref reader, "Order.id");
                    break;
                case Field.Trader:
                    trader = JsonFields.ReadAddress(ref reader, "Order.trader");
                    break;
                case Field.Side:
                    side = JsonFields.ReadEnum(ref reader, JsonEnumNames.Side, "Order.side");
                    break;
                case Field.Type:
                    type = JsonFields.ReadEnum(ref reader, JsonEnumNames.OrderType, "Order.type");
                    break;
                case Field.LimitPrice:
                    limitPrice = JsonFields.ReadInt64(ref reader, "Order.limitPrice");
                    break;
                case Field.Quantity:
                    quantity = JsonFields.ReadInt64(ref reader, "Order.quantity");
                    break;
                case Field.PriorityKey:
                    priorityKey = JsonFields.ReadUInt64(ref reader, "Order.priorityKey");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        return new Order(id, trader, (Side)side, (OrderType)type, limitPrice, quantity, priorityKey);
    }

    internal static void WriteValue(Utf8JsonWriter writer, in Order order)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Id]);
        JsonFields.WriteInteger(writer, order.Id);
        writer.WritePropertyName(Names[(int)Field.Trader]);
        JsonFields.WriteAddress(writer, order.Trader);
        writer.WritePropertyName(Names[(int)Field.Side]);
        JsonFields.WriteEnum(writer, JsonEnumNames.Side, (byte)order.Side);
        writer.WritePropertyName(Names[(int)Field.Type]);
        JsonFields.WriteEnum(writer, JsonEnumNames.OrderType, (byte)order.Type);
        writer.WritePropertyName(Names[(int)Field.LimitPrice]);
        JsonFields.WriteInteger(writer, order.LimitPrice);
        writer.WritePropertyName(Names[(int)Field.Quantity]);
        JsonFields.WriteInteger(writer, order.Quantity);
        writer.WritePropertyName(Names[(int)Field.PriorityKey]);
        JsonFields.WriteInteger(writer, order.PriorityKey);
        writer.WriteEndObject();
    }
}
