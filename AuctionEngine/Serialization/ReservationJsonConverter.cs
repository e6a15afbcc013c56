using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Sealing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="Reservation"/> as <c>{"baseAtoms":"1000000000000000000","quoteAtoms":"0"}</c>.
/// </summary>
/// <remarks>
/// Both amounts are decimal strings, read from strings or JSON integers. Every property is required once; unknown
/// ones are skipped. Reading refuses an amount above <see cref="Reservation.MaxAtoms"/>, as the constructor does. No
/// reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class ReservationJsonConverter : JsonConverter<Reservation>
{
    private const string TypeName = "Reservation";

    private static readonly JsonEncodedText[] Names = JsonFields.Names("baseAtoms", "quoteAtoms");

    private enum Field
    {
        BaseAtoms,
        QuoteAtoms,
    }

    /// <summary>Reads a reservation from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Reservation"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The reservation.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape, or an amount exceeds <see cref="Reservation.MaxAtoms"/>.</exception>
    public override Reservation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        UInt128 baseAtoms = UInt128.Zero;
        UInt128 quoteAtoms = UInt128.Zero;
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.BaseAtoms:
                    baseAtoms = JsonFields.ReadUInt128(ref reader, "Reservation.baseAtoms");
                    break;
                case Field.QuoteAtoms:
                    quoteAtoms = JsonFields.ReadUInt128(ref reader, "Reservation.quoteAtoms");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        if (baseAtoms > Reservation.MaxAtoms || quoteAtoms > Reservation.MaxAtoms)
        {
            ThrowHelper.ThrowJsonException_Invalid(TypeName, "a reservation holds at most 2^112 - 1 atoms of each token.");
        }

        return new Reservation(baseAtoms, quoteAtoms);
    }

    /// <summary>Writes the reservation as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The reservation.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, Reservation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.BaseAtoms]);
        JsonFields.WriteInteger(writer, value.BaseAtoms);
        writer.WritePropertyName(Names[(int)Field.QuoteAtoms]);
        JsonFields.WriteInteger(writer, value.QuoteAtoms);
        writer.WriteEndObject();
    }
}
