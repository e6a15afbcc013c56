using AuctionEngine.Crypto;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Tests.Signing;

/// <summary>The sealed-order value: what it stores, what it refuses, and that its digest does not allocate once warm.</summary>
[TestFixture]
public sealed class SealedOrderTests
{
    private static readonly Eip712Domain Domain = new("AuctionEngine", "1", 31337, Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private static readonly Address Trader = Address.Parse("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");

    private static readonly Address Market = Address.Parse("0x00000000000000000000000000000000000000e1");

    [Test]
    public void TypeHashIsTheKeccakOfTheTypeString() =>
        Assert.That(SealedOrder.TypeHash, Is.EqualTo(Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(SealedOrder.EncodedType))));

    [Test]
    public void AMarketOrderSignsItsWorstPrice()
    {
        var worst123 = new SealedOrder(Trader, Market, 7, Side.Sell, OrderType.Market, 123, 10, 1);
        var worst124 = new SealedOrder(Trader, Market, 7, Side.Sell, OrderType.Market, 124, 10, 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(worst123.LimitPrice, Is.EqualTo(123), "the slippage bound is part of what the trader signs");
            Assert.That(worst123, Is.Not.EqualTo(worst124));
            Assert.That(worst123.ComputeDigest(Domain), Is.Not.EqualTo(worst124.ComputeDigest(Domain)));
        }
    }

    [Test]
    public void KeepsEveryMember()
    {
        var order = new SealedOrder(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_010, 40, UInt128.MaxValue);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Trader, Is.EqualTo(Trader));
            Assert.That(order.Market, Is.EqualTo(Market));
            Assert.That(order.BatchId, Is.EqualTo(9));
            Assert.That(order.Side, Is.EqualTo(Side.Buy));
            Assert.That(order.Type, Is.EqualTo(OrderType.Limit));
            Assert.That(order.LimitPrice, Is.EqualTo(250_010));
            Assert.That(order.Quantity, Is.EqualTo(40));
            Assert.That(order.Nonce, Is.EqualTo(UInt128.MaxValue));
        }
    }

    [Test]
    public void EveryMemberChangesTheDigest()
    {
        var order = new SealedOrder(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_010, 40, 5);
        SealedOrder[] variants =
        [
            new(Market, Market, 9, Side.Buy, OrderType.Limit, 250_010, 40, 5),
            new(Trader, Trader, 9, Side.Buy, OrderType.Limit, 250_010, 40, 5),
            new(Trader, Market, 10, Side.Buy, OrderType.Limit, 250_010, 40, 5),
            new(Trader, Market, 9, Side.Sell, OrderType.Limit, 250_010, 40, 5),
            new(Trader, Market, 9, Side.Buy, OrderType.Market, 250_010, 40, 5),
            new(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_011, 40, 5),
            new(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_010, 41, 5),
            new(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_010, 40, 6),
        ];
        var otherDomain = new Eip712Domain("AuctionEngine", "1", 1, Domain.VerifyingContract);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(variants.Select(v => v.ComputeDigest(Domain)).Append(order.ComputeDigest(Domain)), Is.Unique);
            Assert.That(variants.Where(v => v == order || v.Equals((object)order)), Is.Empty);
            Assert.That(variants.All(v => v != order), Is.True);
            Assert.That(order.ComputeDigest(otherDomain), Is.Not.EqualTo(order.ComputeDigest(Domain)));
            Assert.That(order.GetHashCode(), Is.EqualTo(new SealedOrder(Trader, Market, 9, Side.Buy, OrderType.Limit, 250_010, 40, 5).GetHashCode()));
        }
    }

    [Test]
    public void RefusesNegativeAmounts()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new SealedOrder(Trader, Market, 1, Side.Buy, OrderType.Limit, -1, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SealedOrder(Trader, Market, 1, Side.Buy, OrderType.Limit, 1, -1, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void ComputeDigestChecksItsArguments()
    {
        var order = new SealedOrder(Trader, Market, 1, Side.Buy, OrderType.Limit, 1, 1, 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => order.ComputeDigest(null!, new Keccak256(), new byte[32]), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => order.ComputeDigest(Domain, null!, new byte[32]), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => order.ComputeDigest(Domain, new Keccak256(), new byte[31]), Throws.TypeOf<ArgumentException>());
        }
    }

    [Test]
    public void WarmDigestDoesNotAllocate()
    {
        var keccak = new Keccak256();
        var orders = new SealedOrder[]
        {
            new(Trader, Market, 1, Side.Buy, OrderType.Limit, 250_010, 40, 0),
            new(Trader, Market, 2, Side.Sell, OrderType.Market, 0, 10, UInt128.MaxValue),
            new(Market, Trader, ulong.MaxValue, Side.Sell, OrderType.Limit, long.MaxValue, long.MaxValue, 12345),
        };
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        orders[0].ComputeDigest(Domain, keccak, digest);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 30; i++)
        {
            orders[i % orders.Length].ComputeDigest(Domain, keccak, digest);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
