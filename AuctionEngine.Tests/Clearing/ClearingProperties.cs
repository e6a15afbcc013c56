using System.Numerics;
using AuctionEngine.Clearing;
using AuctionEngine.Orders;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Clearing;

/// <summary>Laws every batch obeys, checked on generated books (see <see cref="Generators"/>).</summary>
[TestFixture]
public sealed class ClearingProperties
{
    private static readonly PriceRule[] Rules = [PriceRule.Midpoint, PriceRule.Xetra, PriceRule.Euronext];

    [FsCheck.NUnit.Property]
    public Property NoOrderTradesBeyondItsLimit() => Prop.ForAll(Generators.Books, book =>
    {
        BatchOutcome outcome = book.Clear();
        return book.Orders.Select((order, i) => (order, fill: outcome.Fills[i])).All(x =>
            x.fill.FilledQuantity == 0 || Oracle.CanTradeAt(x.order, outcome.Result.Price!.Value));
    });

    [FsCheck.NUnit.Property]
    public Property NoOrderTradesMoreThanItsQuantity() => Prop.ForAll(Generators.Books, book =>
    {
        BatchOutcome outcome = book.Clear();
        return book.Orders.Select((order, i) => (order, fill: outcome.Fills[i])).All(x =>
            x.fill.FilledQuantity >= 0 && x.fill.FilledQuantity <= x.order.Quantity);
    });

    [FsCheck.NUnit.Property]
    public Property ClearingPriceMaximisesExecutableVolume() => Prop.ForAll(Generators.Books, book =>
    {
        ClearingResult result = book.Clear().Result;
        BigInteger best = Oracle.OnePricePerStretch(book.Orders, book.Options.ReferencePrice).Max(p => Oracle.Volume(book.Orders, p));
        bool holds = result.Status switch
        {
            ClearingStatus.Cleared => Oracle.Volume(book.Orders, result.Price!.Value) == best && (BigInteger)result.Volume == best,
            ClearingStatus.NothingExecutable => best.IsZero,
            _ => !best.IsZero, // A reference price is only asked for when something could trade.
        };
        return Holds(holds, () => $"{result}; the most any price trades is {best}");
    });

    [FsCheck.NUnit.Property]
    public Property PriceIsTheOraclesUnderEveryRule() => Prop.ForAll(Generators.Books, book =>
        Rules.Select(rule => book with { Options = book.Options with { Rule = rule } }).Aggregate(Prop.ToProperty(true), (all, b) =>
        {
            ClearingResult engine = b.Clear().Result;
            ClearingResult oracle = b.Expected().Result;
            return all.And(Holds(
                engine.Status == oracle.Status && engine.Price == oracle.Price,
                () => $"{b.Options.Rule}: engine {engine.Status} at {engine.Price}, oracle {oracle.Status} at {oracle.Price}"));
        }));

    [FsCheck.NUnit.Property]
    public Property EveryFillIsTheOraclesEvenWithInvalidOrdersRepeatedIdsAndTooSmallAnEngine() =>
        Prop.ForAll(Generators.MessyBooksAndCapacities, c =>
        {
            BatchOutcome engine = c.Book.Clear(new ClearingEngine(c.Capacity));
            OracleOutcome oracle = c.Book.Expected(c.Capacity);
            return Holds(
                engine.Result == oracle.Result && engine.Fills.SequenceEqual(oracle.Fills),
                () => $"capacity {c.Capacity}\nengine {engine.Result}\noracle {oracle.Result}\n{FirstDifference(engine.Fills, oracle.Fills)}");
        });

    [FsCheck.NUnit.Property]
    public Property LotsAndQuoteAtomsAreConserved() => Prop.ForAll(Generators.Books, book =>
    {
        BatchOutcome outcome = book.Clear();
        var volume = (BigInteger)outcome.Result.Volume;
        BigInteger priceTick = (BigInteger)(outcome.Result.Price ?? 0) * (BigInteger)book.Market.TickSize;

        return Holds(
            outcome.Lots(Side.Buy) == volume && outcome.Lots(Side.Sell) == volume &&
            outcome.QuoteAtoms(Side.Buy) == outcome.QuoteAtoms(Side.Sell) &&
            outcome.Fills.All(f => (BigInteger)f.QuoteAmount == f.FilledQuantity * priceTick),
            () => $"{outcome.Result}: buyers got {outcome.Lots(Side.Buy)} for {outcome.QuoteAtoms(Side.Buy)}, sellers gave {outcome.Lots(Side.Sell)} for {outcome.QuoteAtoms(Side.Sell)}");
    });

    [FsCheck.NUnit.Property]
    public Property ArrivalOrderDoesNotMatter() => Prop.ForAll(Generators.ShuffledBooks, c =>
    {
        BatchOutcome original = c.Book.Clear();
        BatchOutcome shuffled = c.Book.With(c.Shuffled).Clear();
        return original.Result == shuffled.Result && c.Book.Orders.Select((order, i) => shuffled.FillOf(order.Id) == original.Fills[i]).All(same => same);
    });

    [FsCheck.NUnit.Property]
    public Property RationedOrdersGetTheirProRataShareToWithinOneLot() => Prop.ForAll(Generators.Books, book =>
    {
        BatchOutcome outcome = book.Clear();
        RationedLevel? level = outcome.Result.Price is long price ? Oracle.Allocate(book.Market, book.Orders, price).Rationed : null;
        if (level is null)
        {
            return Holds(outcome.Result.RationedCount == 0, () => $"{outcome.Result}, but no level needed rationing");
        }

        // |filled - q × available / total| < 1, multiplied through by total.
        bool withinOneLot = level.OrderIndices.All(i =>
            BigInteger.Abs((outcome.Fills[i].FilledQuantity * level.Total) - (book.Orders[i].Quantity * level.Available)) < level.Total);
        BigInteger shared = level.OrderIndices.Aggregate(BigInteger.Zero, (sum, i) => sum + outcome.Fills[i].FilledQuantity);
        return Holds(
            withinOneLot && shared == level.Available && outcome.Result.RationedCount == level.OrderIndices.Count,
            () => $"{outcome.Result}: level of {level.Total} lots sharing {level.Available} gave [{string.Join(", ", level.OrderIndices.Select(i => outcome.Fills[i].FilledQuantity))}]");
    });

    [FsCheck.NUnit.Property]
    public Property ClearingIsRepeatableOnTheSameEngineAndOnAFreshOne() => Prop.ForAll(Generators.Books, Generators.MessyBooksAndCapacities, (book, messy) =>
    {
        // In between, the engine clears a batch with rejections mixed in, and one with every slot the book uses
        // rejected; neither may leave a trace.
        var engine = new ClearingEngine(Math.Max(1, Math.Max(book.Orders.Length, messy.Book.Orders.Length)));
        BatchOutcome first = book.Clear(engine);
        messy.Book.Clear(engine);
        book.With(book.Orders.Select(o => o.WithQuantity(-o.Quantity))).Clear(engine);
        BatchOutcome again = book.Clear(engine);
        BatchOutcome fresh = book.Clear();
        return first.Result == again.Result && first.Result == fresh.Result &&
            first.Fills.SequenceEqual(again.Fills) && first.Fills.SequenceEqual(fresh.Fills);
    });

    [FsCheck.NUnit.Property]
    public Property ShortSideFillsCompletely() => Prop.ForAll(Generators.Books, book =>
    {
        BatchOutcome outcome = book.Clear();
        if (outcome.Result.Price is not long price)
        {
            return Holds(outcome.Fills.All(f => f.FilledQuantity == 0), () => $"{outcome.Result}, yet something traded");
        }

        Side? longSide = outcome.Result.SurplusSide switch { SurplusSide.Bid => Side.Buy, SurplusSide.Ask => Side.Sell, _ => null };
        var shortOfFull = book.Orders.Select((order, i) => (order, fill: outcome.Fills[i]))
            .Where(x => x.order.Side != longSide && Oracle.CanTradeAt(x.order, price) && x.fill.FilledQuantity != x.order.Quantity)
            .ToList();
        return Holds(shortOfFull.Count == 0, () => $"{outcome.Result}: {string.Join(", ", shortOfFull.Select(x => $"{x.order} got {x.fill.FilledQuantity}"))}");
    });

    [FsCheck.NUnit.Property]
    public Property AnInvalidOrderLeavesEveryOtherOutcomeUnchanged() => Prop.ForAll(Generators.BooksWithAnInvalidOrder, c =>
    {
        BatchOutcome without = c.Book.Clear();
        BatchOutcome with = c.Book.WithInserted(c.Invalid, c.Position).Clear();
        Fill[] others = [.. with.Fills.Where((_, i) => i != c.Position)];
        return Holds(
            with.Fills[c.Position] == new Fill(0, UInt128.Zero, c.Reason) &&
            others.SequenceEqual(without.Fills) &&
            with.Result == without.Result with { RejectedCount = 1 },
            () => $"invalid {c.Invalid} at {c.Position}: {with.Fills[c.Position]}\nwith {with.Result}\nwithout {without.Result}\n{FirstDifference(others, without.Fills)}");
    });

    [FsCheck.NUnit.Property]
    public Property ARepeatedIdRejectsEveryCopyAndChangesNothingElse() => Prop.ForAll(Generators.BooksWithARepeatedId, c =>
    {
        Order[] rest = [.. c.Book.Orders.Where(o => o.Id != c.Copy.Id)];
        BatchOutcome withCopies = c.Book.WithInserted(c.Copy, c.Position).Clear();
        BatchOutcome withNeither = c.Book.With(rest).Clear();
        return withCopies.Result == withNeither.Result with { RejectedCount = 2 } &&
            withCopies.Fills.Where((_, i) => withCopies.Orders[i].Id == c.Copy.Id).All(f => f == new Fill(0, UInt128.Zero, RejectReason.DuplicateId)) &&
            rest.All(o => withCopies.FillOf(o.Id) == withNeither.FillOf(o.Id));
    });

    [FsCheck.NUnit.Property]
    public Property MovingANarrowBookToTheTopOfTheRangeOnlyMovesItsPrice() => Prop.ForAll(Generators.NarrowBooksWithoutMarketSells, book =>
    {
        // Narrow books' limits and reference prices are all below 1100, so shifted they stay within the market's bound.
        // The buy at 1 cannot trade (nothing is sold that low: there are no market sells) but stretches the limits over
        // the whole range, so the narrow book is binned and the shifted one sorted.
        long shift = book.Market.MaxPrice - 1_100;
        var inert = Build.Buy(ulong.MaxValue, 1, 1);
        Book shifted = book.With(book.Orders.Select(o => o.ShiftedBy(shift)).Append(inert)) with
        {
            Options = book.Options with { ReferencePrice = book.Options.ReferencePrice + shift },
        };

        BatchOutcome narrow = book.Clear();
        BatchOutcome wide = shifted.Clear();
        ClearingResult expected = narrow.Result with
        {
            Price = narrow.Result.Price + shift,
            BestBid = narrow.Result.BestBid + shift ?? 1,
            BestAsk = narrow.Result.BestAsk + shift,
            AcceptedCount = narrow.Result.AcceptedCount + 1,
        };
        return Holds(
            wide.Result == expected && wide.FilledQuantities.SequenceEqual(narrow.FilledQuantities.Append(0)),
            () => $"narrow {narrow.Result}\nwide {wide.Result}");
    });

    /// <summary>Passes, or fails with a description that is only built when it is needed.</summary>
    private static Property Holds(bool condition, Func<string> description) =>
        condition ? Prop.ToProperty(true) : Prop.Label(false, description());

    private static string FirstDifference(Fill[] actual, Fill[] expected)
    {
        int i = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(k => actual[k] != expected[k], -1);
        return i < 0 ? "fills agree" : $"fill {i}: {actual[i]}, expected {expected[i]}";
    }
}
