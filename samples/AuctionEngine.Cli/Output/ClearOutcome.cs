using System.Text.Json;
using AuctionEngine.Cli.Clear;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;

namespace AuctionEngine.Cli.Output;

/// <summary>Everything the output writers need: the book as read, the engine's fills and result, and the options.</summary>
/// <param name="Book">The orders, their ids and lines.</param>
/// <param name="Fills">The engine's fills, index-aligned with the book.</param>
/// <param name="Result">The batch outcome.</param>
/// <param name="Options">The options the batch was cleared with.</param>
internal sealed record ClearOutcome(OrderBook Book, Fill[] Fills, ClearingResult Result, ClearingOptions Options)
{
    /// <summary>Whether order <paramref name="index"/> belongs in the fills written under <paramref name="which"/>.</summary>
    public bool ShowsFill(int index, FillsOutput which)
    {
        Fill fill = Fills[index];
        return !fill.IsRejected && (which == FillsOutput.All || (which == FillsOutput.Traded && fill.FilledQuantity > 0));
    }
}

/// <summary>The names the output spells enum values with: camelCase, exactly as the README lists them.</summary>
internal static class OutputNames
{
    private static readonly JsonEncodedText[] Reasons = [.. Enum.GetValues<RejectReason>().Select(reason => JsonEncodedText.Encode(CamelCase(reason)))];

    /// <summary><c>buy</c> or <c>sell</c>.</summary>
    public static readonly JsonEncodedText Buy = JsonEncodedText.Encode("buy");

    /// <inheritdoc cref="Buy"/>
    public static readonly JsonEncodedText Sell = JsonEncodedText.Encode("sell");

    /// <summary>The side as the output spells it.</summary>
    public static JsonEncodedText Side(Side side) => side == Orders.Side.Buy ? Buy : Sell;

    /// <summary>The rejection reason as the output spells it, e.g. <c>duplicateId</c>.</summary>
    public static JsonEncodedText Reason(RejectReason reason) => Reasons[(int)reason];

    /// <summary>An enum value's name in camelCase: <c>NothingExecutable</c> becomes <c>nothingExecutable</c>.</summary>
    public static string CamelCase<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
