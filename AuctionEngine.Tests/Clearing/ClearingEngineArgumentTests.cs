using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using NUnit.Framework;
using static AuctionEngine.Tests.Support.Build;

namespace AuctionEngine.Tests.Clearing;

/// <summary>Misuse by the caller (not by a trader) throws instead of producing a result.</summary>
[TestFixture]
public sealed class ClearingEngineArgumentTests
{
    private static readonly Market Bounded = MarketWith(UInt128.One, UInt128.One, maxPrice: 1000, maxOrderQuantity: 100);

    private static readonly Order[] Crossing = [Buy(1, 10, 5), Sell(2, 10, 5)];

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    [TestCase(ClearingEngine.MaxCapacity + 1)]
    [TestCase(int.MaxValue)]
    public void CapacityOutsideItsRangeThrows(int capacity) =>
        Assert.That(() => new ClearingEngine(capacity), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void SmallestCapacityClearsOneOrder()
    {
        var engine = new ClearingEngine(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(engine.Capacity, Is.EqualTo(1));
            Assert.That(Auction.Clear([Buy(1, 10, 5)], engine: engine).Result.AcceptedCount, Is.EqualTo(1));
        }
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    [TestCase(1001L)]
    [TestCase(long.MaxValue)]
    public void ReferencePriceOutsideOneToMaxPriceThrows(long reference) =>
        Assert.That(() => Clear(Crossing, Bounded, new ClearingOptions(PriceRule.Xetra, reference)), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(1L)]
    [TestCase(1000L)]
    public void ReferencePriceAtEitherBoundIsAccepted(long reference) =>
        Assert.That(Clear(Crossing, Bounded, new ClearingOptions(PriceRule.Xetra, reference)).Price, Is.EqualTo(10));

    [Test]
    public void ReferencePriceIsValidatedEvenForAnEmptyBatch() =>
        Assert.That(() => Clear([], Bounded, new ClearingOptions(PriceRule.Midpoint, 0)), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase((PriceRule)3)]
    [TestCase((PriceRule)255)]
    public void UnknownRuleThrows(PriceRule rule) =>
        Assert.That(() => Clear(Crossing, Bounded, new ClearingOptions(rule)), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void NullMarketThrows() =>
        Assert.That(() => new ClearingEngine(4).Clear(null!, Crossing, new Fill[2]), Throws.TypeOf<ArgumentNullException>());

    [Test]
    public void FillsShorterThanTheOrdersThrow() =>
        Assert.That(() => new ClearingEngine(4).Clear(Bounded, Crossing, new Fill[1]), Throws.TypeOf<ArgumentException>());

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    [TestCase(1001L)]
    [TestCase(long.MaxValue)]
    public void GivenPriceOutsideOneToMaxPriceThrows(long price) =>
        Assert.That(
            () => new ClearingEngine(4).ClearAtPrice(Bounded, Crossing, new Fill[2], price),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("price"));

    [TestCase(1L)]
    [TestCase(1000L)]
    public void GivenPriceAtEitherBoundIsAccepted(long price) =>
        Assert.That(new ClearingEngine(4).ClearAtPrice(Bounded, [Buy(1, 1000, 5), Sell(2, 1, 5)], new Fill[2], price).Price, Is.EqualTo(price));

    [Test]
    public void GivenPriceIsValidatedEvenForAnEmptyBatch() =>
        Assert.That(() => new ClearingEngine(4).ClearAtPrice(Bounded, [], [], 0), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void ClearAtPriceRefusesANullMarketShortFillsAndADisposedEngine()
    {
        var disposed = new ClearingEngine(4, 2);
        disposed.Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new ClearingEngine(4).ClearAtPrice(null!, Crossing, new Fill[2], 10), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => new ClearingEngine(4).ClearAtPrice(Bounded, Crossing, new Fill[1], 10), Throws.TypeOf<ArgumentException>());
            Assert.That(() => disposed.ClearAtPrice(Bounded, Crossing, new Fill[2], 10), Throws.TypeOf<ObjectDisposedException>());
        }
    }

    [Test]
    public void FillsBeyondTheOrdersAreLeftAlone()
    {
        var untouched = new Fill(99, 99, RejectReason.OverCapacity);
        Fill[] fills = [default, default, untouched];

        new ClearingEngine(4).Clear(Bounded, Crossing, fills);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fills[2], Is.EqualTo(untouched));
            Assert.That(fills[0].FilledQuantity, Is.EqualTo(5));
        }
    }

    private static ClearingResult Clear(Order[] orders, Market market, ClearingOptions options) =>
        new ClearingEngine(4).Clear(market, orders, new Fill[orders.Length], options);
}
