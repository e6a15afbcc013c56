using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="SettlementFill"/> (what the settlement contract takes for one opened order) as
/// <c>{"order":{…},"secret":"0x…","signature":"0x…","lots":"40"}</c>.
/// </summary>
/// <remarks>
/// <c>order</c> has <see cref="SealedOrderJsonConverter"/>'s shape; <c>secret</c> is <c>0x</c> and 64 lower-case
/// digits; <c>signature</c> is <c>0x</c> and the 65 bytes <c>r ‖ s ‖ v</c> as 130 lower-case digits; <c>lots</c> is
/// a decimal string, read from a string or a JSON integer. Every property is required once; unknown ones are skipped.
/// Reading refuses what the constructor refuses (a signature that is not 65 bytes, negative lots). No reflection:
/// safe for trimming and Native AOT.
/// </remarks>
public sealed class SettlementFillJsonConverter : JsonConverter<SettlementFill>
{
    private const string TypeName = "SettlementFill";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("order", "secret", "signature", "lots");

    private enum Field
    {
        Order,
        Secret,
        Signature,
        Lots,
    }

    /// <summary>Reads a settlement fill from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="SettlementFill"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The fill.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape, or the constructor would refuse it.</exception>
    public override SettlementFill Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the settlement fill as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The fill.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="value"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, SettlementFill value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Order]);
        SealedOrderJsonConverter.WriteValue(writer, value.Order);
        writer.WritePropertyName(Names[(int)Field.Secret]);
        JsonFields.WriteHash32(writer, value.Secret);
        writer.WritePropertyName(Names[(int)Field.Signature]);
        JsonFields.WriteHexBytes(writer, value.Signature.Span);
        writer.WritePropertyName(Names[(int)Field.Lots]);
        JsonFields.WriteInteger(writer, value.Lots);
        writer.WriteEndObject();
    }

    private static SettlementFill ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        SealedOrder order = default;
        Hash32 secret = default;
        byte[] signature = [];
        long lots = 0;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Order:
                    order = SealedOrderJsonConverter.ReadValue(ref reader);
                    break;
                case Field.Secret:
                    secret = JsonFields.ReadHash32(ref reader, "SettlementFill.secret");
                    break;
                case Field.Signature:
                    signature = JsonFields.ReadHexBytes(ref reader, Secp256k1.SignatureSize, "SettlementFill.signature");
                    break;
                case Field.Lots:
                    lots = JsonFields.ReadInt64(ref reader, "SettlementFill.lots");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        if (lots < 0)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "lots is negative.");
        }

        return new SettlementFill(order, secret, signature, lots);
    }
}
