using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Signing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="SealedOrderOutcome"/> (one opened order of a cleared sealed batch) as
/// <c>{"commitment":"0x…","signedOrder":{…},"secret":"0x…","order":{…},"fill":{…},"refusal":"none"}</c>.
/// </summary>
/// <remarks>
/// <c>signedOrder</c> has <see cref="SealedOrderJsonConverter"/>'s shape, <c>order</c> <see cref="OrderJsonConverter"/>'s
/// and <c>fill</c> <see cref="FillJsonConverter"/>'s; <c>commitment</c> and <c>secret</c> are <c>0x</c> and 64
/// lower-case digits; <c>refusal</c> is a <see cref="SealRejectReason"/> name in camelCase. Every property is required
/// once; unknown ones are skipped. No reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class SealedOrderOutcomeJsonConverter : JsonConverter<SealedOrderOutcome>
{
    private const string TypeName = "SealedOrderOutcome";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("commitment", "signedOrder", "secret", "order", "fill", "refusal");

    private enum Field
    {
        Commitment,
        SignedOrder,
        Secret,
        Order,
        Fill,
        Refusal,
    }

    /// <summary>Reads an outcome from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="SealedOrderOutcome"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="JsonException">The value, or one of its parts, is not of the documented shape.</exception>
    public override SealedOrderOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the outcome as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The outcome.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, SealedOrderOutcome value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static SealedOrderOutcome ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        Hash32 commitment = default;
        SealedOrder signedOrder = default;
        Hash32 secret = default;
        Order order = default;
        Fill fill = default;
        byte refusal = 0;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Commitment:
                    commitment = JsonFields.ReadHash32(ref reader, "SealedOrderOutcome.commitment");
                    break;
                case Field.SignedOrder:
                    signedOrder = SealedOrderJsonConverter.ReadValue(ref reader);
                    break;
                case Field.Secret:
                    secret = JsonFields.ReadHash32(ref reader, "SealedOrderOutcome.secret");
                    break;
                case Field.Order:
                    order = OrderJsonConverter.ReadValue(ref reader);
                    break;
                case Field.Fill:
                    fill = FillJsonConverter.ReadValue(ref reader);
                    break;
                case Field.Refusal:
                    refusal = JsonFields.ReadEnum(ref reader, JsonEnumNames.SealRejectReason, "SealedOrderOutcome.refusal");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        return new SealedOrderOutcome(commitment, signedOrder, secret, order, fill, (SealRejectReason)refusal);
    }

    internal static void WriteValue(Utf8JsonWriter writer, in SealedOrderOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Commitment]);
        JsonFields.WriteHash32(writer, outcome.Commitment);
        writer.WritePropertyName(Names[(int)Field.SignedOrder]);
        SealedOrderJsonConverter.WriteValue(writer, outcome.SignedOrder);
        writer.WritePropertyName(Names[(int)Field.Secret]);
        JsonFields.WriteHash32(writer, outcome.Secret);
        writer.WritePropertyName(Names[(int)Field.Order]);
        OrderJsonConverter.WriteValue(writer, outcome.Order);
        writer.WritePropertyName(Names[(int)Field.Fill]);
        FillJsonConverter.WriteValue(writer, outcome.Fill);
        writer.WritePropertyName(Names[(int)Field.Refusal]);
        JsonFields.WriteEnum(writer, JsonEnumNames.SealRejectReason, (byte)outcome.Refusal);
        writer.WriteEndObject();
    }
}
