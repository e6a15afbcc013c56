using System.Globalization;
using System.Text.Json;
using AuctionEngine.Cli.Csv;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Output;

/// <summary>Writes the outcome of clearing an order file as one JSON object.</summary>
/// <remarks>
/// Enum values are written in camelCase (<c>nothingExecutable</c>, <c>duplicateId</c>). Lot and quote totals are
/// <see cref="UInt128"/>, which JSON numbers can hold but <see cref="Utf8JsonWriter"/> has no overload for, so they
/// are written as raw decimal digits: still numbers, never strings.
/// </remarks>
internal static class ClearingJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Writes the batch outcome, then every accepted order's fill and every rejected order's reason, each in input order.</summary>
    /// <param name="output">Receives UTF-8 JSON and a final newline.</param>
    /// <param name="orders">The orders as read, index-aligned with <paramref name="fills"/>.</param>
    /// <param name="fills">The engine's per-order outcomes.</param>
    /// <param name="options">The options the batch was cleared with.</param>
    /// <param name="result">The engine's batch outcome.</param>
    public static void Write(Stream output, IReadOnlyList<CsvOrder> orders, ReadOnlySpan<Fill> fills, ClearingOptions options, ClearingResult result)
    {
        using (var json = new Utf8JsonWriter(output, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteBoolean("cleared", result.Cleared);
            json.WriteString("status", CamelCase(result.Status));
            json.WriteString("rule", CamelCase(result.Rule));
            WriteNumberOrNull(json, "referencePrice", options.ReferencePrice);
            WriteNumberOrNull(json, "price", result.Price);
            WriteNumber(json, "volume", result.Volume);
            WriteNumber(json, "surplus", result.Surplus);
            json.WriteString("surplusSide", CamelCase(result.SurplusSide));
            WriteNumberOrNull(json, "bestBid", result.BestBid);
            WriteNumberOrNull(json, "bestAsk", result.BestAsk);
            json.WriteNumber("filledOrders", result.FilledCount);
            json.WriteNumber("rationedOrders", result.RationedCount);

            json.WriteStartArray("fills");
            for (int i = 0; i < fills.Length; i++)
            {
                Fill fill = fills[i];
                if (fill.IsRejected)
                {
                    continue;
                }

                Order order = orders[i].Order;
                json.WriteStartObject();
                json.WriteString("id", orders[i].Id);
                json.WriteString("side", CamelCase(order.Side));
                json.WriteNumber("quantity", order.Quantity);
                json.WriteNumber("filled", fill.FilledQuantity);
                WriteNumber(json, "quote", fill.QuoteAmount);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("rejected");
            for (int i = 0; i < fills.Length; i++)
            {
                if (fills[i].IsRejected)
                {
                    json.WriteStartObject();
                    json.WriteString("id", orders[i].Id);
                    json.WriteString("reason", CamelCase(fills[i].Rejection));
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    private static string CamelCase<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static void WriteNumber(Utf8JsonWriter json, string name, UInt128 value)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(value.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is long number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
