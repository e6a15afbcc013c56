using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Settlement;

/// <summary>A cleared batch as CoW Protocol's GPv2 settlement: GPv2's own formulas must give back the engine's amounts.</summary>
[TestFixture]
public sealed class CowSettlementTests
{
    private static readonly Market Market = Build.MarketWith(lotSize: 1_000_000_000_000, tickSize: 1_000_000);
    private static readonly CowOrderTerms Terms = new(Address.Zero, 2_000_000_000, Hash32.Zero, CowSigningScheme.Eip712, new byte[65]);

    [Test]
    public void TheSelectorIsGpv2s() => Assert.That(CowSettlement.Settle.Selector, Is.EqualTo(0x13d79a0bu));

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property Gpv2ExecutesEveryTradeAsTheEngineFilledIt() => Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
    {
        Order[] orders = RandomBatches.NarrowBand(60, seed, lowestPrice: 1_000, width: 20);
        var fills = new Fill[orders.Length];
        ClearingResult result = new ClearingEngine(orders.Length).Clear(Market, orders, fills, new ClearingOptions(PriceRule.Midpoint, 1_010));
        if (!result.Cleared)
        {
            return true;
        }

        (BigInteger basePrice, BigInteger quotePrice) = CowSettlement.ClearingPrices(Market, result.Price!.Value);
        BigInteger[] prices = [basePrice, quotePrice];
        return orders.Zip(fills).Where(x => x.Second.FilledQuantity > 0).All(x =>
        {
            CowTrade trade = CowSettlement.Trade(Market, x.First, x.Second, Terms);
            (BigInteger Sell, BigInteger Buy)? executed = CowSettlement.Execute(trade, prices);
            BigInteger baseAtoms = (BigInteger)Market.BaseAtoms(x.Second.FilledQuantity);
            BigInteger quoteAtoms = (BigInteger)x.Second.QuoteAmount;
            return executed is not null && executed.Value == (x.First.Side == Side.Buy ? (quoteAtoms, baseAtoms) : (baseAtoms, quoteAtoms));
        });
    });

    [Test]
    public void ALimitThePriceBreaksIsRefusedByGpv2sFormula()
    {
        Order buy = Build.Buy(1, 99, 5);
        CowTrade trade = CowSettlement.Trade(Market, buy, default, Terms);
        (BigInteger basePrice, BigInteger quotePrice) = CowSettlement.ClearingPrices(Market, 100);
        Assert.That(CowSettlement.Execute(trade, [basePrice, quotePrice]), Is.Null);
    }

    [Test]
    public void TheCalldataDecodesToTheTokensPricesAndTrades()
    {
        Order sell = Build.Sell(1, 95, 4);
        var fills = new Fill[2];
        ClearingResult result = new ClearingEngine(2).Clear(Market, [sell, Build.Buy(2, 105, 4)], fills);
        CowTrade trade = CowSettlement.Trade(Market, sell, fills[0], Terms with { Scheme = CowSigningScheme.PreSign, Signature = new byte[20] });

        byte[] calldata = CowSettlement.Encode(Market, result.Price!.Value, [trade]);
        IReadOnlyList<AbiValue> decoded = CowSettlement.Settle.DecodeCall(calldata);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decoded[0].Items.Select(t => t.Address), Is.EqualTo(new[] { Market.BaseToken, Market.QuoteToken }));
            Assert.That(decoded[1].Items.Select(p => p.Integer), Is.EqualTo(new BigInteger[] { 100 * 1_000_000, 1_000_000_000_000 }));
            Assert.That(decoded[2].Items[0].Items[8].Integer, Is.EqualTo((BigInteger)((3 << 5) | 2)), "partially fillable sell, pre-signed");
            Assert.That(decoded[2].Items[0].Items[9].Integer, Is.EqualTo((BigInteger)4 * 1_000_000_000_000), "all four lots sold");
            Assert.That(decoded[3].Items.Select(i => i.Items.Count), Is.All.Zero);
        }
    }
}
