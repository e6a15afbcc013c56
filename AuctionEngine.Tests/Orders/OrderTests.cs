using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Tests.Orders;

/// <summary>Orders are plain values; validating them is the engine's job.</summary>
[TestFixture]
public sealed class OrderTests
{
    private static readonly Address Alice = Build.Trader(7);

    [Test]
    public void LimitFactoryKeepsEveryField()
    {
        var order = Order.Limit(42, Alice, Side.Sell, 1_234, 56, 789);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Id, Is.EqualTo(42));
            Assert.That(order.Trader, Is.EqualTo(Alice));
            Assert.That(order.Side, Is.EqualTo(Side.Sell));
            Assert.That(order.Type, Is.EqualTo(OrderType.Limit));
            Assert.That(order.LimitPrice, Is.EqualTo(1_234));
            Assert.That(order.Quantity, Is.EqualTo(56));
            Assert.That(order.PriorityKey, Is.EqualTo(789));
            Assert.That(order.IsMarket, Is.False);
        }
    }

    [Test]
    public void MarketFactoryHasNoLimitPrice()
    {
        var order = Order.Market(42, Alice, Side.Buy, 56, 789);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Type, Is.EqualTo(OrderType.Market));
            Assert.That(order.IsMarket, Is.True);
            Assert.That(order.LimitPrice, Is.Zero);
            Assert.That(order.Quantity, Is.EqualTo(56));
        }
    }

    [Test]
    public void MarketOrderDropsAnyLimitPriceItIsGiven() =>
        Assert.That(new Order(1, Alice, Side.Buy, OrderType.Market, 500, 5, 0).LimitPrice, Is.Zero);

    [Test]
    public void ConstructorDoesNotValidate()
    {
        var order = new Order(1, Alice, (Side)9, (OrderType)9, -5, -5, 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Side, Is.EqualTo((Side)9));
            Assert.That(order.Type, Is.EqualTo((OrderType)9));
            Assert.That(order.LimitPrice, Is.EqualTo(-5));
            Assert.That(order.Quantity, Is.EqualTo(-5));
        }
    }

    [Test]
    public void ZeroInitialisedOrderIsRejectedForItsSide()
    {
        // A default order has no side (Side has no zero member): it must be rejected, never read as a buy or a sell.
        BatchOutcome outcome = Auction.Clear([default(Order), Build.Buy(1, 10, 5), Build.Sell(2, 10, 5)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Fills[0].Rejection, Is.EqualTo(RejectReason.InvalidSide));
            Assert.That(outcome.FilledQuantities, Is.EqualTo(new long[] { 0, 5, 5 }));
        }
    }

    [Test]
    public void EqualityComparesEveryField()
    {
        var order = Order.Limit(1, Alice, Side.Buy, 10, 5, 3);
        Order[] differentInOneField =
        [
            Order.Limit(2, Alice, Side.Buy, 10, 5, 3),
            Order.Limit(1, Build.Trader(8), Side.Buy, 10, 5, 3),
            Order.Limit(1, Alice, Side.Sell, 10, 5, 3),
            Order.Market(1, Alice, Side.Buy, 5, 3),
            Order.Limit(1, Alice, Side.Buy, 11, 5, 3),
            Order.Limit(1, Alice, Side.Buy, 10, 6, 3),
            Order.Limit(1, Alice, Side.Buy, 10, 5, 4),
        ];
        var same = Order.Limit(1, Alice, Side.Buy, 10, 5, 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order == same, Is.True);
            Assert.That(order.Equals((object)same), Is.True);
            Assert.That(order.GetHashCode(), Is.EqualTo(same.GetHashCode()));
            Assert.That(differentInOneField, Has.All.Not.EqualTo(order));
            Assert.That(differentInOneField.Select(other => other != order), Is.All.True);
        }
    }

    [Test]
    public void DescribesItself()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Order.Limit(7, Alice, Side.Buy, 100, 5, 0).ToString(), Is.EqualTo("#7 Buy 5 @ 100"));
            Assert.That(Order.Market(7, Alice, Side.Sell, 5, 0).ToString(), Is.EqualTo("#7 Sell 5 @ market"));
        }
    }
}
