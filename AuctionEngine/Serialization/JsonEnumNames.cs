using System.Text.Json;

namespace AuctionEngine.Serialization;

/// <summary>
/// The JSON name of every enum value, indexed by the value: the C# member name in camelCase, the same spelling the
/// <c>auction</c> CLI prints. Written out rather than derived from the members so that renaming a member can never
/// change the JSON silently, and so that nothing needs reflection.
/// </summary>
internal static class JsonEnumNames
{
    /// <summary><see cref="Orders.Side"/>: 0 has no name (a zero-initialised order has no side).</summary>
    public static readonly JsonEncodedText[] Side = [default, Name("buy"), Name("sell")];

    /// <summary><see cref="Orders.OrderType"/>.</summary>
    public static readonly JsonEncodedText[] OrderType = [Name("limit"), Name("market")];

    /// <summary><see cref="Clearing.PriceRule"/>.</summary>
    public static readonly JsonEncodedText[] PriceRule = [Name("midpoint"), Name("xetra"), Name("euronext")];

    /// <summary><see cref="Clearing.ClearingStatus"/>.</summary>
    public static readonly JsonEncodedText[] ClearingStatus = [Name("cleared"), Name("nothingExecutable"), Name("referencePriceRequired")];

    /// <summary><see cref="Clearing.SurplusSide"/>.</summary>
    public static readonly JsonEncodedText[] SurplusSide = [Name("none"), Name("bid"), Name("ask")];

    /// <summary><see cref="Clearing.RejectReason"/>.</summary>
    public static readonly JsonEncodedText[] RejectReason =
    [
        Name("none"), Name("invalidSide"), Name("invalidOrderType"), Name("quantityNotPositive"), Name("quantityTooLarge"),
        Name("priceNotPositive"), Name("priceTooHigh"), Name("duplicateId"), Name("overCapacity"),
    ];

    /// <summary><see cref="Sealing.SealRejectReason"/>.</summary>
    public static readonly JsonEncodedText[] SealRejectReason =
    [
        Name("none"), Name("lateCommitment"), Name("duplicateCommitment"), Name("batchFull"), Name("traderLimitReached"),
        Name("ciphertextTooLarge"), Name("unknownCommitment"), Name("revealMismatch"), Name("alreadyRevealed"),
        Name("revealWindowClosed"), Name("badSignature"), Name("signerNotTrader"), Name("committerNotTrader"),
        Name("wrongBatch"), Name("undecryptable"), Name("malformedOrder"), Name("unfunded"), Name("duplicateOrder"),
        Name("unrevealed"),
    ];

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name);
}
