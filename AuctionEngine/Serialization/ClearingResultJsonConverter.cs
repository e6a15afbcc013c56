using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Clearing;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="ClearingResult"/> as
/// <c>{"status":"cleared","rule":"midpoint","price":"250010","volume":"35","surplus":"5","surplusSide":"bid","bestBid":"250010","bestAsk":"249990","acceptedCount":3,"rejectedCount":0,"filledCount":3,"rationedCount":1}</c>.
/// </summary>
/// <remarks>
/// <c>price</c>, <c>bestBid</c> and <c>bestAsk</c> (ticks) are decimal strings or <see langword="null"/>;
/// <c>volume</c> and <c>surplus</c> (lots, up to 128 bits) are decimal strings; all are read from strings or JSON
/// integers. The four counts are JSON integers. <c>status</c>, <c>rule</c> and <c>surplusSide</c> are the enum
/// names in camelCase (<c>"nothingExecutable"</c>, <c>"xetra"</c>, <c>"ask"</c>, …). <see cref="ClearingResult.Cleared"/>
/// is not written: it is <c>status == "cleared"</c>. Every property is required once; unknown ones are skipped; any
/// value the record can hold round-trips. No reflection: safe for trimming and Native AOT.
/// </remarks>
public sealed class ClearingResultJsonConverter : JsonConverter<ClearingResult>
{
    private const string TypeName = "ClearingResult";

    private static readonly JsonEncodedText[] Names = JsonFields.Names(
        "status", "rule", "price", "volume", "surplus", "surplusSide", "bestBid", "bestAsk",
        "acceptedCount", "rejectedCount", "filledCount", "rationedCount");

    private enum Field
    {
        Status,
        Rule,
        Price,
        Volume,
        Surplus,
        SurplusSide,
        BestBid,
        BestAsk,
        AcceptedCount,
        RejectedCount,
        FilledCount,
        RationedCount,
    }

    /// <summary>Reads a clearing result from a JSON object.</summary>
    /// <param name="reader">The reader, at the object.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="ClearingResult"/>.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <returns>The result.</returns>
    /// <exception cref="JsonException">The value is not an object of the documented shape.</exception>
    public override ClearingResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    /// <summary>Writes the clearing result as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The result.</param>
    /// <param name="options">Not used: the shape is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, ClearingResult value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value);
    }

    internal static ClearingResult ReadValue(ref Utf8JsonReader reader)
    {
        JsonFields.ExpectStartObject(ref reader, TypeName);
        var result = default(ClearingResult);
        uint seen = 0;
        while (JsonFields.NextProperty(ref reader))
        {
            switch ((Field)JsonFields.ReadPropertyName(ref reader, Names, ref seen, TypeName))
            {
                case Field.Status:
                    result = result with { Status = (ClearingStatus)JsonFields.ReadEnum(ref reader, JsonEnumNames.ClearingStatus, "ClearingResult.status") };
                    break;
                case Field.Rule:
                    result = result with { Rule = (PriceRule)JsonFields.ReadEnum(ref reader, JsonEnumNames.PriceRule, "ClearingResult.rule") };
                    break;
                case Field.Price:
                    result = result with { Price = JsonFields.ReadNullableInt64(ref reader, "ClearingResult.price") };
                    break;
                case Field.Volume:
                    result = result with { Volume = JsonFields.ReadUInt128(ref reader, "ClearingResult.volume") };
                    break;
                case Field.Surplus:
                    result = result with { Surplus = JsonFields.ReadUInt128(ref reader, "ClearingResult.surplus") };
                    break;
                case Field.SurplusSide:
                    result = result with { SurplusSide = (SurplusSide)JsonFields.ReadEnum(ref reader, JsonEnumNames.SurplusSide, "ClearingResult.surplusSide") };
                    break;
                case Field.BestBid:
                    result = result with { BestBid = JsonFields.ReadNullableInt64(ref reader, "ClearingResult.bestBid") };
                    break;
                case Field.BestAsk:
                    result = result with { BestAsk = JsonFields.ReadNullableInt64(ref reader, "ClearingResult.bestAsk") };
                    break;
                case Field.AcceptedCount:
                    result = result with { AcceptedCount = JsonFields.ReadInt32(ref reader, "ClearingResult.acceptedCount") };
                    break;
                case Field.RejectedCount:
                    result = result with { RejectedCount = JsonFields.ReadInt32(ref reader, "ClearingResult.rejectedCount") };
                    break;
                case Field.FilledCount:
                    result = result with { FilledCount = JsonFields.ReadInt32(ref reader, "ClearingResult.filledCount") };
                    break;
                case Field.RationedCount:
                    result = result with { RationedCount = JsonFields.ReadInt32(ref reader, "ClearingResult.rationedCount") };
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonFields.RequireAll(seen, Names, TypeName);
        return result;
    }

    internal static void WriteValue(Utf8JsonWriter writer, in ClearingResult result)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Names[(int)Field.Status]);
        JsonFields.WriteEnum(writer, JsonEnumNames.ClearingStatus, (byte)result.Status);
        writer.WritePropertyName(Names[(int)Field.Rule]);
        JsonFields.WriteEnum(writer, JsonEnumNames.PriceRule, (byte)result.Rule);
        writer.WritePropertyName(Names[(int)Field.Price]);
        JsonFields.WriteNullableInteger(writer, result.Price);
        writer.WritePropertyName(Names[(int)Field.Volume]);
        JsonFields.WriteInteger(writer, result.Volume);
        writer.WritePropertyName(Names[(int)Field.Surplus]);
        JsonFields.WriteInteger(writer, result.Surplus);
        writer.WritePropertyName(Names[(int)Field.SurplusSide]);
        JsonFields.WriteEnum(writer, JsonEnumNames.SurplusSide, (byte)result.SurplusSide);
        writer.WritePropertyName(Names[(int)Field.BestBid]);
        JsonFields.WriteNullableInteger(writer, result.BestBid);
        writer.WritePropertyName(Names[(int)Field.BestAsk]);
        JsonFields.WriteNullableInteger(writer, result.BestAsk);
        writer.WriteNumber(Names[(int)Field.AcceptedCount], result.AcceptedCount);
        writer.WriteNumber(Names[(int)Field.RejectedCount], result.RejectedCount);
        writer.WriteNumber(Names[(int)Field.FilledCount], result.FilledCount);
        writer.WriteNumber(Names[(int)Field.RationedCount], result.RationedCount);
        writer.WriteEndObject();
    }
}
