using AuctionEngine.Options;
using NUnit.Framework;

namespace AuctionEngine.Tests.Options;

/// <summary>The columnar APIs allocate nothing, whatever the options: a million-option batch leaves the GC alone.</summary>
[TestFixture]
public sealed class OptionAllocationTests
{
    private const int Count = 2_000;

    [Test]
    public void ValuingAndSolvingManyOptionsAllocatesNothing()
    {
        var random = new Random(5);
        OptionType[] types = [.. Enumerable.Range(0, Count).Select(i => i % 2 == 0 ? OptionType.Call : OptionType.Put)];
        // Every path: ordinary options, and zero times, volatilities, strikes and spots, and the cap.
        double[] spots = [.. Enumerable.Range(0, Count).Select(i => i % 97 == 0 ? 0 : 100 * Math.Exp(random.NextDouble() - 0.5))];
        double[] strikes = [.. Enumerable.Range(0, Count).Select(i => i % 89 == 0 ? 0 : 100 * Math.Exp(random.NextDouble() - 0.5))];
        double[] years = [.. Enumerable.Range(0, Count).Select(i => i % 83 == 0 ? 0 : 2 * random.NextDouble())];
        double[] volatilities = [.. Enumerable.Range(0, Count).Select(i => i % 79 == 0 ? 0 : i % 73 == 0 ? 100 : random.NextDouble())];
        double[] rates = [.. Enumerable.Range(0, Count).Select(_ => 0.05 * random.NextDouble())];
        double[] yields = [.. Enumerable.Range(0, Count).Select(_ => 0.02 * random.NextDouble())];
        var values = new OptionValuation[Count];
        var implied = new ImpliedVolatilityResult[Count];
        double[] prices = new double[Count];
        double[] discounts = [.. rates.Select(r => Math.Exp(-r))];

        void Run()
        {
            BlackScholes.ValueMany(types, spots, strikes, years, volatilities, rates, yields, values);
            for (int i = 0; i < Count; i++)
            {
                prices[i] = values[i].Price * (i % 61 == 0 ? 2 : 1); // some above their maximum
            }

            BlackScholes.ImpliedVolatilityMany(types, prices, spots, strikes, years, rates, yields, implied);
            Black76.ValueMany(types, spots, strikes, years, volatilities, discounts, values);
            Black76.ImpliedVolatilityMany(types, prices, spots, strikes, years, discounts, implied);
        }

        Run(); // warm up: the JIT's tiers allocate while they compile
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
    }
}
