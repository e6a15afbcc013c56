using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="SealRejection"/> (a void of a sealed batch) as
/// <c>{"trader":"0x…","commitment":"0x…","reason":"unrevealed"}</c>.
/// </summary>
/// <remarks>
/// <c>trader</c> is EIP-55 checksummed, <c>commitment</c> is <c>0x</c> and 64 lower-case digits, and <c>reason</c> is
/// a <see cref="SealRejectReason"/> name in camelCase (<c>"unrevealed"</c>, <c>"undecryptable"</c>, …). Every property
/// is required once; unknown ones are skipped. No reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class SealRejectionJsonConverter : JsonConverter<SealRejection>
{
    private const string TypeName = "SealRejection";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("trader", "commitment", "reason");

    private enum Field
    {
        Trader,
        Commitment,
        Reason,
    }

    /// <summary>Reads a void from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="SealRejection"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The void.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape.</exception>
    public override SealRejection Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the void as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The void.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, SealRejection value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static SealRejection ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        Address trader = default;
        Hash32 commitment = default;
        byte reason = 0;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Trader:
                    trader = JsonFields.ReadAddress(ref reader, "SealRejection.trader");
                    break;
                case Field.Commitment:
                    commitment = JsonFields.ReadHash32(ref reader, "SealRejection.commitment");
                    break;
                case Field.Reason:
                    reason = JsonFields.ReadEnum(ref reader, JsonEnumNames.SealRejectReason, "SealRejection.reason");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        return new SealRejection(trader, commitment, (SealRejectReason)reason);
    }

    internal static void WriteValue(Utf8JsonWriter writer, in SealRejection rejection)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Trader]);
        JsonFields.WriteAddress(writer, rejection.Trader);
        writer.WritePropertyName(Names[(int)Field.Commitment]);
        JsonFields.WriteHash32(writer, rejection.Commitment);
        writer.WritePropertyName(Names[(int)Field.Reason]);
        JsonFields.WriteEnum(writer, JsonEnumNames.SealRejectReason, (byte)rejection.Reason);
        writer.WriteEndObject();
    }
}
