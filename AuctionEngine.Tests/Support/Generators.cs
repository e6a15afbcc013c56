using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// FsCheck generators of batches. Books hold 0 to 200 orders, some at market, at prices either in a band a few ticks
/// wide (so that limits collide and the rules' tie-breaks are exercised) or spread over the whole 63-bit range (so
/// that the engine takes its radix-sort path), with quantities of 1 to 50 lots (now and then anything up to the
/// market's bound), unique ids, priority keys that often tie, every price rule, and a reference price or none.
/// </summary>
internal static class Generators
{
    private static readonly Market[] Markets =
    [
        Build.UnitMarket(),
        Build.MarketWith(lotSize: 1_000_000_000_000_000_000, tickSize: 1_000_000),
        Build.MarketWith(UInt128.One, UInt128.One, maxPrice: 1L << 60, maxOrderQuantity: 1L << 40),
    ];

    // Declared first: the arbitraries below are built from it while the class initialises.
    /// <summary>A uniformly random 64-bit value.</summary>
    public static Gen<ulong> AnyUInt64 { get; } =
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)high << 32) | (uint)low;

    /// <summary>A value from <paramref name="low"/> to <paramref name="high"/> inclusive, over the whole long range.</summary>
    public static Gen<long> Between(long low, long high) => AnyUInt64.Select(x => low + (long)(x % ((ulong)(high - low) + 1)));

    /// <summary>Any book.</summary>
    public static Arbitrary<Book> Books { get; } = Arb.From(BookGen(Gen.Frequency((3, NarrowPrices), (1, WidePrices)), marketSells: true), Shrink);

    /// <summary>
    /// Books priced in a narrow band with no market sells, so that a buy far below the band can never trade:
    /// nothing is offered at its price.
    /// </summary>
    public static Arbitrary<Book> NarrowBooksWithoutMarketSells { get; } = Arb.From(BookGen(NarrowPrices, marketSells: false), Shrink);

    /// <summary>A book and the same orders in another order.</summary>
    public static Arbitrary<(Book Book, Order[] Shuffled)> ShuffledBooks { get; } = Arb.From(
        from book in Books.Generator
        from shuffled in Gen.Shuffle(book.Orders)
        select (book, shuffled));

    /// <summary>A book and one invalid order under a fresh id, with the reason it must be rejected and where it goes.</summary>
    public static Arbitrary<(Book Book, Order Invalid, RejectReason Reason, int Position)> BooksWithAnInvalidOrder { get; } = Arb.From(
        from book in Books.Generator
        from invalid in InvalidOrder(book.Market, FreshId(book.Orders))
        from position in Gen.Choose(0, book.Orders.Length)
        select (book, invalid.Order, invalid.Reason, position));

    /// <summary>A non-empty book and another valid order carrying the id of one of its orders, and where it goes.</summary>
    public static Arbitrary<(Book Book, Order Copy, int Position)> BooksWithARepeatedId { get; } = Arb.From(
        from book in Books.Generator.Where(b => b.Orders.Length > 0)
        from original in Gen.Elements(book.Orders)
        from copy in ValidOrder(NarrowBand(1000, 20), Gen.Choose(1, 50).Select(q => (long)q), marketSells: true)
        from position in Gen.Choose(0, book.Orders.Length)
        select (book, copy.WithId(original.Id), position));

    /// <summary>
    /// A book with a few invalid orders and repeated ids mixed in, and an engine capacity that is sometimes smaller
    /// than the batch.
    /// </summary>
    public static Arbitrary<(Book Book, int Capacity)> MessyBooksAndCapacities { get; } = Arb.From(
        from book in Books.Generator
        from invalid in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(IdOfAnyOrder(book).SelectMany(id => InvalidOrder(book.Market, id)), n))
        from keys in Gen.ArrayOf(AnyUInt64, invalid.Length) // Random keys: no two invalid orders are exact clones.
        from repeated in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, Math.Max(0, book.Orders.Length - 1)), n))
        from mixed in Gen.Shuffle(Mix(book.Orders, invalid.Select((x, k) => x.Order.WithPriorityKey(keys[k])), repeated))
        from capacity in Gen.Frequency((3, Gen.Constant(Math.Max(1, mixed.Length))), (1, Gen.Choose(1, Math.Max(1, mixed.Length))))
        select (book.With(mixed), capacity));

    /// <summary>
    /// A book with invalid orders and repeated ids mixed in, often under the lowest priority keys (where a capacity cut
    /// made before validation and the duplicate check would keep them), and a capacity below the batch's length.
    /// </summary>
    public static Arbitrary<(Book Book, int Capacity)> BooksOverCapacity { get; } = Arb.From(
        from book in Books.Generator
        from invalid in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(IdOfAnyOrder(book).SelectMany(id => InvalidOrder(book.Market, id)), n))
        from keys in Gen.ArrayOf(Gen.Frequency((2, Gen.Choose(0, 3).Select(k => (ulong)k)), (1, AnyUInt64)), invalid.Length)
        from repeated in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, Math.Max(0, book.Orders.Length - 1)), n))
        from mixed in Gen.Shuffle(Mix(book.Orders, invalid.Select((x, k) => x.Order.WithPriorityKey(keys[k])), repeated))
        where mixed.Length >= 2
        from capacity in Gen.Choose(1, mixed.Length - 1)
        select (book.With(mixed), capacity));

    /// <summary>
    /// A messy book and capacity (see <see cref="MessyBooksAndCapacities"/>) and a price to clear it at: mostly one of
    /// its limits or a neighbour, where D or S changes; else anywhere from 1 to the market's maximum, ends included.
    /// </summary>
    public static Arbitrary<(Book Book, int Capacity, long Price)> BooksCapacitiesAndPrices { get; } = Arb.From(
        from messy in MessyBooksAndCapacities.Generator
        from price in PriceToClearAt(messy.Book)
        select (messy.Book, messy.Capacity, price));

    /// <summary>A band 1 to 20 ticks wide, starting anywhere from 1 to 1000.</summary>
    private static Gen<PriceScheme> NarrowPrices =>
        from low in Gen.Choose(1, 1000)
        from width in Gen.Choose(1, 20)
        select NarrowBand(low, width);

    /// <summary>Limits in <c>[low, low + width)</c>; reference prices there or up to 30 ticks beyond either side.</summary>
    private static PriceScheme NarrowBand(int low, int width) => new(
        Gen.Choose(low, low + width - 1).Select(p => (long)p),
        Gen.Choose(Math.Max(1, low - 30), low + width + 30).Select(p => (long)p));

    /// <summary>
    /// A few prices anywhere in the 63-bit range, often at or near its ends (the very top is the market's maximum
    /// price once clamped), which most limits share, and their neighbours.
    /// </summary>
    private static Gen<PriceScheme> WidePrices =>
        from count in Gen.Choose(1, 8)
        from pool in Gen.ArrayOf(Gen.Frequency((2, Between(1, long.MaxValue)), (1, Gen.Constant(long.MaxValue)), (1, Between(long.MaxValue - 10, long.MaxValue)), (1, Between(1, 10))), count)
        let near = from p in Gen.Elements(pool) from step in Gen.Choose(-2, 2) select Step(p, step)
        select new PriceScheme(
            Gen.Frequency((4, Gen.Elements(pool)), (1, near), (1, Between(1, long.MaxValue))),
            Gen.Frequency((2, Gen.Elements(pool)), (1, near), (1, Between(1, long.MaxValue))));

    private static Gen<Book> BookGen(Gen<PriceScheme> schemes, bool marketSells) =>
        from market in Gen.Elements(Markets)
        from prices in schemes
        from quantities in Gen.Frequency(
            (9, Gen.Constant(Gen.Choose(1, 50).Select(q => (long)q))),
            (1, Gen.Constant(Between(1, market.MaxOrderQuantity))))
        from count in Gen.Frequency((2, Gen.Choose(0, 8)), (3, Gen.Choose(0, 60)), (2, Gen.Choose(0, 200)))
        from drafts in Gen.ArrayOf(ValidOrder(prices.Within(market), quantities, marketSells), count)
        from salt in Gen.Frequency((1, Gen.Constant(0UL)), (2, AnyUInt64))
        from rule in Gen.Elements(PriceRule.Midpoint, PriceRule.Xetra, PriceRule.Euronext)
        from reference in Gen.Frequency((1, Gen.Constant<long?>(null)), (3, prices.Within(market).Reference.Select(r => (long?)r)))
        select new Book(market, [.. drafts.Select((order, i) => order.WithId(UniqueId(i, salt)))], new ClearingOptions(rule, reference));

    /// <summary>
    /// Distinct for distinct <paramref name="index"/>: 0, 1, 2, ... without salt (0 is special to the engine's id
    /// filter), else scattered by an odd multiplier, which is a bijection on 64-bit values.
    /// </summary>
    private static ulong UniqueId(int index, ulong salt) => salt == 0 ? (ulong)index : ((ulong)index + salt) * 0x9E3779B97F4A7C15UL;

    private static Gen<Order> ValidOrder(PriceScheme prices, Gen<long> quantities, bool marketSells) =>
        from side in Gen.Elements(Side.Buy, Side.Sell)
        from atMarket in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        from limit in prices.Limit
        from quantity in quantities
        from key in Gen.Frequency((1, Gen.Choose(0, 3).Select(k => (ulong)k)), (1, AnyUInt64))
        from trader in Gen.Choose(0, 9)
        let type = atMarket && (marketSells || side == Side.Buy) ? OrderType.Market : OrderType.Limit
        select new Order(0, Build.Trader(trader), side, type, limit, quantity, key);

    /// <summary>An order the market must reject, one fault at a time, with the reason.</summary>
    private static Gen<(Order Order, RejectReason Reason)> InvalidOrder(Market market, ulong id)
    {
        var faults = new List<Gen<(Order, RejectReason)>>
        {
            Gen.Elements((Side)0, (Side)3, (Side)255).Select(side => (Build.Raw(id, side, OrderType.Limit, 10, 5), RejectReason.InvalidSide)),
            Gen.Elements((OrderType)2, (OrderType)255).Select(type => (Build.Raw(id, Side.Buy, type, 10, 5), RejectReason.InvalidOrderType)),
            Gen.Choose(-50, 0).Select(q => (Build.Raw(id, Side.Sell, OrderType.Market, 0, q), RejectReason.QuantityNotPositive)),
            Gen.Choose(-50, 0).Select(p => (Build.Raw(id, Side.Buy, OrderType.Limit, p, 5), RejectReason.PriceNotPositive)),
        };
        if (market.MaxOrderQuantity < long.MaxValue)
        {
            faults.Add(Between(market.MaxOrderQuantity + 1, long.MaxValue).Select(q => (Build.Raw(id, Side.Buy, OrderType.Limit, 10, q), RejectReason.QuantityTooLarge)));
        }

        if (market.MaxPrice < long.MaxValue)
        {
            faults.Add(Between(market.MaxPrice + 1, long.MaxValue).Select(p => (Build.Raw(id, Side.Sell, OrderType.Limit, p, 5), RejectReason.PriceTooHigh)));
        }

        return Gen.OneOf(faults);
    }

    /// <summary>An id the book already uses (an invalid order under it must not make it a duplicate), or a new one.</summary>
    private static Gen<ulong> IdOfAnyOrder(Book book) => book.Orders.Length == 0
        ? Gen.Constant(FreshId(book.Orders))
        : Gen.Frequency((1, Gen.Constant(FreshId(book.Orders))), (1, Gen.Elements(book.Orders.Select(o => o.Id))));

    /// <summary>
    /// The book's orders, the extra ones, and for each index picked another order under the same id (a tick higher,
    /// with the next priority key: never an exact clone, which no ranking could tell from the original).
    /// </summary>
    private static Order[] Mix(Order[] orders, IEnumerable<Order> extra, int[] repeatedIndices) =>
        [.. orders, .. extra, .. repeatedIndices.Where(i => i < orders.Length).Select((i, k) => Repeat(orders[i], k + 1))];

    /// <summary>
    /// The <paramref name="n"/>th other order under <paramref name="o"/>'s id: <paramref name="n"/> ticks higher (past
    /// the top price that wraps to an invalid one, which is fine) and <paramref name="n"/> keys later.
    /// </summary>
    private static Order Repeat(Order o, int n) =>
        Build.Raw(o.Id, o.Side, o.Type, unchecked(o.LimitPrice + n), o.Quantity, unchecked(o.PriorityKey + (ulong)n));

    private static ulong FreshId(Order[] orders)
    {
        var taken = orders.Select(o => o.Id).ToHashSet();
        ulong id = 1;
        while (taken.Contains(id))
        {
            id++;
        }

        return id;
    }

    private static Gen<long> PriceToClearAt(Book book)
    {
        long max = book.Market.MaxPrice;
        Gen<long> anywhere = Gen.Frequency((3, Between(1, max)), (1, Gen.Elements(1L, max)));
        long[] limits = [.. book.Orders.Where(o => o.Type == OrderType.Limit && o.LimitPrice >= 1 && o.LimitPrice <= max).Select(o => o.LimitPrice)];
        if (limits.Length == 0)
        {
            return anywhere;
        }

        Gen<long> nearLimit = from limit in Gen.Elements(limits) from step in Gen.Choose(-1, 1) select Math.Min(max, Step(limit, step));
        return Gen.Frequency((4, nearLimit), (1, anywhere));
    }

    private static long Step(long price, int step) =>
        step > 0 && price > long.MaxValue - step ? price : Math.Max(1, price + step);

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
    private sealed record PriceScheme(Gen<long> Limit, Gen<long> Reference)
    {
        /// <summary>The same scheme, clamped to the market's maximum price so every order stays valid.</summary>
        public PriceScheme Within(Market market) =>
            new(Limit.Select(p => Math.Min(p, market.MaxPrice)), Reference.Select(p => Math.Min(p, market.MaxPrice)));
    }
}
