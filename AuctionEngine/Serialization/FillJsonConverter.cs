using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Clearing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="Fill"/> as <c>{"filledQuantity":"40","quoteAmount":"100004000000","rejection":"none"}</c>.
/// </summary>
/// <remarks>
/// <c>filledQuantity</c> (lots) and <c>quoteAmount</c> (quote atoms) are decimal strings, read from strings or JSON
/// integers; <c>rejection</c> is a <see cref="RejectReason"/> name in camelCase (<c>"none"</c>, <c>"duplicateId"</c>,
/// …). Every property is required once; unknown ones are skipped. Reading accepts only what the engine can write: a
/// quantity of 0 or more, and no quote atoms without lots or on a rejected order. No reflection: safe for trimming
/// and Native AOT.
/// </remarks>
public sealed class FillJsonConverter : JsonConverter<Fill>
{
    private const string TypeName = "Fill";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("filledQuantity", "quoteAmount", "rejection");

    private enum Field
    {
        FilledQuantity,
        QuoteAmount,
        Rejection,
    }

    /// <summary>Reads a fill from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Fill"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The fill.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape, or not a fill the engine can produce.</exception>
    public override Fill Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the fill as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The fill.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, Fill value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static Fill ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        long filled = 0;
        UInt128 quote = UInt128.Zero;
        byte rejection = 0;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.FilledQuantity:
                    filled = JsonFields.ReadInt64(ref reader, "Fill.filledQuantity");
                    break;
                case Field.QuoteAmount:
                    quote = JsonFields.ReadUInt128(ref reader, "Fill.quoteAmount");
                    break;
                case Field.Rejection:
                    rejection = JsonFields.ReadEnum(ref reader, JsonEnumNames.RejectReason, "Fill.rejection");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        if (filled < 0)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "filledQuantity is negative.");
        }

        if (filled == 0 && quote != UInt128.Zero)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "quoteAmount is not 0 although no lot was filled.");
        }

        if (rejection != (byte)RejectReason.None && filled != 0)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "a rejected order cannot have filled lots.");
        }

        return new Fill(filled, quote, (RejectReason)rejection);
    }

    internal static void WriteValue(Utf8JsonWriter writer, in Fill fill)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.FilledQuantity]);
        JsonFields.WriteInteger(writer, fill.FilledQuantity);
        writer.WritePropertyName(Names[(int)Field.QuoteAmount]);
        JsonFields.WriteInteger(writer, fill.QuoteAmount);
        writer.WritePropertyName(Names[(int)Field.Rejection]);
        JsonFields.WriteEnum(writer, JsonEnumNames.RejectReason, (byte)fill.Rejection);
        writer.WriteEndObject();
    }
}
