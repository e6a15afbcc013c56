using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Clearing;

/// <summary>
/// FsCheck generators of books of up to 250 orders whose limits are spread, or sit at the edges where the engine
/// stops reading a book tick by tick: uniform over a span of exactly 1, 2^k − 1, 2^k or 2^k + 1 ticks (k from 0 to 62,
/// both ends often taken) or the whole positive range, starting at 1, anywhere or ending at the top, with or without
/// outliers far from it; a band with outliers far from it; or a few bands far apart. Quantities, market orders,
/// priority keys, rules and reference prices vary as in <see cref="Generators.Books"/>.
/// </summary>
internal static class SpreadBooks
{
    private static readonly Market[] Markets =
    [
        Build.UnitMarket(),
        Build.MarketWith(lotSize: 1_000_000_000_000_000_000, tickSize: 1_000_000),
        Build.MarketWith(UInt128.One, UInt128.One, maxPrice: 1L << 60, maxOrderQuantity: 1L << 40),
    ];

    /// <summary>Any spread book.</summary>
    public static Arbitrary<Book> Books { get; } = Arb.From(
        from market in Gen.Elements(Markets)
        from prices in Gen.OneOf(UniformSpans, SpansWithOutliers, BandsWithOutliers, FarBands)
        from quantities in Gen.Frequency(
            (9, Gen.Constant(Gen.Choose(1, 50).Select(q => (long)q))),
            (1, Gen.Constant(Generators.Between(1, market.MaxOrderQuantity))))
        from count in Gen.Frequency((1, Gen.Choose(0, 40)), (3, Gen.Choose(40, 250)))
        from orders in Gen.ArrayOf(Order(prices.Limit.Select(p => Math.Min(p, market.MaxPrice)), quantities), count)
        from rule in Gen.Elements(PriceRule.Midpoint, PriceRule.Xetra, PriceRule.Euronext)
        from reference in Gen.Frequency((1, Gen.Constant<long?>(null)), (3, prices.Reference.Select(r => (long?)Math.Min(r, market.MaxPrice))))
        select new Book(market, [.. orders.Select((o, i) => o.WithId((ulong)i + 1))], new ClearingOptions(rule, reference)),
        Shrink);

    /// <summary>A spread book and a price to clear it at: mostly one of its limits or a neighbour, else anywhere from 1 to the market's maximum.</summary>
    public static Arbitrary<(Book Book, long Price)> BooksAndPrices { get; } = Arb.From(
        from book in Books.Generator
        from price in PriceToClearAt(book)
        select (book, price));

    /// <summary>
    /// Limits uniform over <c>span</c> ticks from <c>start</c>, both ends often, where span is 1, 2^k − 1, 2^k or
    /// 2^k + 1 for k from 0 to 62, or the whole positive range; reference prices there too.
    /// </summary>
    private static Gen<PriceScheme> UniformSpans =>
        from k in Gen.Choose(0, 62)
        from step in Gen.Choose(-1, 1)
        from whole in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        let span = whole ? long.MaxValue : Math.Max(1, (1L << k) + step)
        from start in Gen.Frequency((1, Gen.Constant(1L)), (2, Generators.Between(1, long.MaxValue - span + 1)), (1, Gen.Constant(long.MaxValue - span + 1)))
        let last = start + (span - 1)
        select new PriceScheme(
            Gen.Frequency((1, Gen.Constant(start)), (1, Gen.Constant(last)), (8, Generators.Between(start, last))),
            Gen.Frequency((1, Gen.Elements(start, last)), (3, Generators.Between(start, last))));

    /// <summary>A span as <see cref="UniformSpans"/> draws one, with 1% to 20% of the limits anywhere in the range or at its ends.</summary>
    private static Gen<PriceScheme> SpansWithOutliers =>
        from span in UniformSpans
        from share in Gen.Choose(1, 20)
        let far = Gen.Frequency((1, Gen.Constant(1L)), (1, Gen.Constant(long.MaxValue)), (3, Generators.Between(1, long.MaxValue)))
        select new PriceScheme(Gen.Frequency((100 - share, span.Limit), (share, far)), span.Reference);

    /// <summary>A band 1 to 20 ticks wide anywhere, with 1% to 30% of the limits at a few prices far from it.</summary>
    private static Gen<PriceScheme> BandsWithOutliers =>
        from low in Generators.Between(1, long.MaxValue - 19)
        from width in Gen.Choose(1, 20)
        from share in Gen.Choose(1, 30)
        from far in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(1L)), (1, Gen.Constant(long.MaxValue)), (2, Generators.Between(1, long.MaxValue))), 4)
        let band = Generators.Between(low, low + width - 1)
        select new PriceScheme(
            Gen.Frequency((100 - share, band), (share, Gen.Elements(far))),
            Gen.Frequency((3, band), (1, Gen.Elements(far))));

    /// <summary>Two to four bands, 1 to 20 ticks wide, anywhere in the range.</summary>
    private static Gen<PriceScheme> FarBands =>
        from count in Gen.Choose(2, 4)
        from lows in Gen.ArrayOf(Generators.Between(1, long.MaxValue - 19), count)
        from width in Gen.Choose(1, 20)
        let limits = from low in Gen.Elements(lows) from price in Generators.Between(low, low + width - 1) select price
        select new PriceScheme(limits, limits);

    /// <summary>A valid order (one in six at market) under id 0.</summary>
    private static Gen<Order> Order(Gen<long> limits, Gen<long> quantities) =>
        from side in Gen.Elements(Side.Buy, Side.Sell)
        from atMarket in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        from limit in limits
        from quantity in quantities
        from key in Gen.Frequency((1, Gen.Choose(0, 3).Select(k => (ulong)k)), (1, Generators.AnyUInt64))
        select Build.Raw(0, side, atMarket ? OrderType.Market : OrderType.Limit, limit, quantity, key);

    private static Gen<long> PriceToClearAt(Book book)
    {
        long max = book.Market.MaxPrice;
        Gen<long> anywhere = Gen.Frequency((3, Generators.Between(1, max)), (1, Gen.Elements(1L, max)));
        long[] limits = [.. book.Orders.Where(o => !o.IsMarket).Select(o => o.LimitPrice)];
        if (limits.Length == 0)
        {
            return anywhere;
        }

        Gen<long> nearLimit = from limit in Gen.Elements(limits) from step in Gen.Choose(-1, 1) select step > 0 && limit >= max ? max : Math.Max(1, limit + step);
        return Gen.Frequency((4, nearLimit), (1, anywhere));
    }

    private static IEnumerable<Book> Shrink(Book book)
    {
        int n = book.Orders.Length;
        if (n == 0)
        {
            yield break;
        }

        yield return book.With(book.Orders[..(n / 2)]);
        yield return book.With(book.Orders[(n / 2)..]);
        for (int i = 0; i < n; i++)
        {
            yield return book.With(book.Orders.Where((_, k) => k != i));
        }
    }

    /// <summary>How a book's limit and reference prices are drawn.</summary>
    private sealed record PriceScheme(Gen<long> Limit, Gen<long> Reference);
}
