using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using AuctionEngine.Serialization;

namespace AuctionEngine.Clearing;

/// <summary>
/// What happened to one order: <c>fills[i]</c> describes <c>orders[i]</c> of the span given to
/// <see cref="ClearingEngine.Clear"/> or <see cref="ClearingEngine.ClearAtPrice"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
[JsonConverter(typeof(FillJsonConverter))]
public readonly struct Fill : IEquatable<Fill>
{
    internal Fill(long filledQuantity, UInt128 quoteAmount, RejectReason rejection)
    {
        QuoteAmount = quoteAmount;
        FilledQuantity = filledQuantity;
        Rejection = rejection;
    }

    /// <summary>Quote atoms paid (buy) or received (sell): <c>FilledQuantity × price × TickSize</c>.</summary>
    public UInt128 QuoteAmount { get; }

    /// <summary>Lots traded; 0 when the order was rejected or did not trade.</summary>
    public long FilledQuantity { get; }

    /// <summary>Why the order was rejected, or <see cref="RejectReason.None"/> when it was accepted.</summary>
    public RejectReason Rejection { get; }

    /// <summary>Whether the order was rejected before clearing.</summary>
    public bool IsRejected => Rejection != RejectReason.None;

    /// <inheritdoc/>
    public bool Equals(Fill other) =>
        QuoteAmount == other.QuoteAmount && FilledQuantity == other.FilledQuantity && Rejection == other.Rejection;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fill other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(QuoteAmount, FilledQuantity, Rejection);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(Fill left, Fill right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(Fill left, Fill right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => IsRejected ? $"rejected: {Rejection}" : $"{FilledQuantity} lots for {QuoteAmount} quote atoms";
}
