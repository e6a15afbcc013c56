using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Serialization;

/// <summary>
/// Any value of every type with a converter survives writing and reading unchanged, through a source-generated
/// context and through reflection, whole or one byte per segment; and so does whatever the engine and a sealed batch
/// produce.
/// </summary>
[TestFixture]
public sealed class JsonRoundTripProperties
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);
    private static readonly Gen<Address> Addresses = Gen.ArrayOf(AnyByte, Address.Length).Select(bytes => new Address(bytes));
    private static readonly Gen<Hash32> Hashes = Gen.ArrayOf(AnyByte, Hash32.Length).Select(bytes => new Hash32(bytes));
    private static readonly Gen<long> AnyInt64 = Generators.AnyUInt64.Select(x => (long)x);
    private static readonly Gen<long> NonNegative = Generators.Between(0, long.MaxValue);
    private static readonly Gen<UInt128> AnyUInt128 =
        from high in Generators.AnyUInt64
        from low in Generators.AnyUInt64
        select new UInt128(high, low);
    private static readonly Gen<long?> MaybeInt64 = Gen.Frequency((1, Gen.Constant<long?>(null)), (3, AnyInt64.Select(x => (long?)x)));

    // Every named value and a few without names, which are written as numbers.
    private static readonly Gen<byte> EnumValues = Gen.Frequency((9, Gen.Choose(0, 19).Select(b => (byte)b)), (1, AnyByte));

    private static readonly Gen<Order> Orders =
        from id in Generators.AnyUInt64
        from trader in Addresses
        from side in EnumValues
        from type in EnumValues
        from limit in AnyInt64
        from quantity in AnyInt64
        from key in Generators.AnyUInt64
        select new Order(id, trader, (Side)side, (OrderType)type, limit, quantity, key);

    private static readonly Gen<Fill> Fills = Gen.OneOf(
        from filled in Generators.Between(1, long.MaxValue)
        from quote in AnyUInt128
        select new Fill(filled, quote, RejectReason.None),
        EnumValues.Select(reason => new Fill(0, UInt128.Zero, (RejectReason)reason)));

    private static readonly Gen<ClearingResult> Results =
        from status in EnumValues
        from rule in EnumValues
        from side in EnumValues
        from price in MaybeInt64
        from bid in MaybeInt64
        from ask in MaybeInt64
        from volume in AnyUInt128
        from surplus in AnyUInt128
        from counts in Gen.ArrayOf(Gen.Choose(int.MinValue, int.MaxValue), 4)
        select new ClearingResult
        {
            Status = (ClearingStatus)status, Rule = (PriceRule)rule, SurplusSide = (SurplusSide)side, Price = price, BestBid = bid, BestAsk = ask,
            Volume = volume, Surplus = surplus, AcceptedCount = counts[0], RejectedCount = counts[1], FilledCount = counts[2], RationedCount = counts[3],
        };

    private static readonly Gen<SealedOrder> SealedOrders =
        from trader in Addresses
        from market in Addresses
        from batch in Generators.AnyUInt64
        from side in EnumValues
        from type in EnumValues
        from limit in NonNegative
        from quantity in NonNegative
        from nonce in AnyUInt128
        select new SealedOrder(trader, market, batch, (Side)side, (OrderType)type, limit, quantity, nonce);

    private static readonly Gen<SealRejection> Rejections =
        from trader in Addresses
        from commitment in Hashes
        from reason in EnumValues
        select new SealRejection(trader, commitment, (SealRejectReason)reason);

    private static readonly Gen<SealedOrderOutcome> Outcomes =
        from commitment in Hashes
        from signed in SealedOrders
        from secret in Hashes
        from order in Orders
        from fill in Fills
        from refusal in EnumValues
        select new SealedOrderOutcome(commitment, signed, secret, order, fill, (SealRejectReason)refusal);

    private static readonly Gen<SettlementFill> SettlementFills =
        from order in SealedOrders
        from secret in Hashes
        from signature in Gen.ArrayOf(AnyByte, 65)
        from lots in NonNegative
        select new SettlementFill(order, secret, signature, lots);

    private static readonly Gen<Reservation> Reservations =
        from baseAtoms in AnyUInt128
        from quoteAtoms in AnyUInt128
        select new Reservation(baseAtoms & Reservation.MaxAtoms, quoteAtoms & Reservation.MaxAtoms);

    [FsCheck.NUnit.Property]
    public Property AnyAddress() => Prop.ForAll(Arb.From(Addresses), value => RoundTrips(value, TestJsonContext.Default.Address));

    [FsCheck.NUnit.Property]
    public Property AnyHash() => Prop.ForAll(Arb.From(Hashes), value => RoundTrips(value, TestJsonContext.Default.Hash32));

    [FsCheck.NUnit.Property]
    public Property AnyOrder() => Prop.ForAll(Arb.From(Orders), value => RoundTrips(value, TestJsonContext.Default.Order));

    [FsCheck.NUnit.Property]
    public Property AnyFill() => Prop.ForAll(Arb.From(Fills), value => RoundTrips(value, TestJsonContext.Default.Fill));

    [FsCheck.NUnit.Property]
    public Property AnyClearingResult() => Prop.ForAll(Arb.From(Results), value => RoundTrips(value, TestJsonContext.Default.ClearingResult));

    [FsCheck.NUnit.Property]
    public Property AnySealedOrder() => Prop.ForAll(Arb.From(SealedOrders), value => RoundTrips(value, TestJsonContext.Default.SealedOrder));

    [FsCheck.NUnit.Property]
    public Property AnySealRejection() => Prop.ForAll(Arb.From(Rejections), value => RoundTrips(value, TestJsonContext.Default.SealRejection));

    [FsCheck.NUnit.Property]
    public Property AnySealedOrderOutcome() => Prop.ForAll(Arb.From(Outcomes), value => RoundTrips(value, TestJsonContext.Default.SealedOrderOutcome));

    [FsCheck.NUnit.Property]
    public Property AnyReservation() => Prop.ForAll(Arb.From(Reservations), value => RoundTrips(value, TestJsonContext.Default.Reservation));

    [FsCheck.NUnit.Property]
    public Property AnySettlementFill() => Prop.ForAll(Arb.From(SettlementFills), value =>
        RoundTrips(value, TestJsonContext.Default.SettlementFill, (a, b) =>
            a is not null && b is not null && a.Order == b.Order && a.Secret == b.Secret && a.Signature.Span.SequenceEqual(b.Signature.Span) && a.Lots == b.Lots));

    /// <summary>For any book, the engine's result and every fill read back as written, and dictionary keys too.</summary>
    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property WhateverTheEngineProduces() => Prop.ForAll(Generators.Books, book =>
    {
        using var engine = new ClearingEngine(Math.Max(1, book.Orders.Length));
        var fills = new Fill[book.Orders.Length];
        ClearingResult result = engine.Clear(book.Market, book.Orders, fills, book.Options);
        Fill[]? read = JsonSerializer.Deserialize(JsonSerializer.Serialize(fills, JsonSerializerOptions.Default), FillArray);
        return RoundTrips(result, TestJsonContext.Default.ClearingResult) && read is not null && read.SequenceEqual(fills) &&
            book.Orders.All(order => RoundTrips(order, TestJsonContext.Default.Order));
    });

    [Test]
    public void WhateverASealedBatchProduces()
    {
        var alice = new TestTrader(1);
        var bob = new TestTrader(2);
        var carol = new TestTrader(3);
        SealedBatch batch = SealedBatchScenario.NewBatch();
        SealedOrder buy = alice.Order(Side.Buy, 105, 10);
        SealedOrder sell = bob.Order(Side.Sell, 95, 6);
        SealedOrder unrevealed = carol.Order(Side.Sell, 90, 4);
        batch.Commit(alice.Address, SealedBatchScenario.CommitmentOf(buy, SealedBatchScenario.Salt(1)), SealedBatchScenario.Ample, SealedBatchScenario.OpenBlock);
        batch.Commit(bob.Address, SealedBatchScenario.CommitmentOf(sell, SealedBatchScenario.Salt(2)), SealedBatchScenario.Ample, SealedBatchScenario.OpenBlock);
        batch.Commit(carol.Address, SealedBatchScenario.CommitmentOf(unrevealed, SealedBatchScenario.Salt(3)), SealedBatchScenario.Ample, SealedBatchScenario.OpenBlock);
        SealedBatchScenario.CloseAndBeginReveal(batch);
        batch.Reveal(SealedBatchScenario.CommitmentOf(buy, SealedBatchScenario.Salt(1)), buy, SealedBatchScenario.Salt(1), alice.Sign(buy), SealedBatchScenario.OpenBlock + 2);
        batch.Reveal(SealedBatchScenario.CommitmentOf(sell, SealedBatchScenario.Salt(2)), sell, SealedBatchScenario.Salt(2), bob.Sign(sell), SealedBatchScenario.OpenBlock + 2);
        SealedBatchResult result = SealedBatchScenario.ClearAfterWindow(batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Orders, Has.Count.EqualTo(2));
            Assert.That(result.Voids, Has.Count.EqualTo(1));
            Assert.That(RoundTrips(result.Clearing, TestJsonContext.Default.ClearingResult), Is.True);
            Assert.That(result.Orders.All(o => RoundTrips(o, TestJsonContext.Default.SealedOrderOutcome)), Is.True);
            Assert.That(result.Voids.All(v => RoundTrips(v, TestJsonContext.Default.SealRejection)), Is.True);
            Assert.That(
                result.SettlementFills.All(f => RoundTrips(f, TestJsonContext.Default.SettlementFill, (a, b) =>
                    a!.Order == b!.Order && a.Secret == b.Secret && a.Signature.Span.SequenceEqual(b.Signature.Span) && a.Lots == b.Lots)),
                Is.True);
        }
    }

    private static JsonTypeInfo<Fill[]> FillArray => (JsonTypeInfo<Fill[]>)TestJsonContext.Default.GetTypeInfo(typeof(Fill[]))!;

    private static bool RoundTrips<T>(T value, JsonTypeInfo<T> typeInfo) => RoundTrips(value, typeInfo, EqualityComparer<T>.Default.Equals);

    /// <summary>
    /// Written through the context and through reflection alike; read back equal by both, and by the converter from
    /// input that arrives one byte per segment.
    /// </summary>
    private static bool RoundTrips<T>(T value, JsonTypeInfo<T> typeInfo, Func<T?, T?, bool> equal)
    {
        string json = JsonSerializer.Serialize(value, typeInfo);
        if (JsonSerializer.Serialize(value) != json)
        {
            return false;
        }

        var reader = new Utf8JsonReader(JsonShapeTests.OneBytePerSegment(Encoding.UTF8.GetBytes(json)));
        reader.Read();
        T? segmented = ((JsonConverter<T>)typeInfo.Converter).Read(ref reader, typeof(T), JsonSerializerOptions.Default);
        return equal(JsonSerializer.Deserialize(json, typeInfo), value) && equal(JsonSerializer.Deserialize<T>(json), value) && equal(segmented, value);
    }
}
