using AuctionEngine.Management.Internal;
using FsCheck;
using FsCheck.Fluent;

namespace AuctionEngine.Tests.Management;

/// <summary>
/// The stops' trigger index against a sorted-list model: any interleaving of inserts, removals and "take everything at
/// or below a bound" gives the same legs, across merges of the recent heap into the sorted run.
/// </summary>
public sealed class TriggerIndexTests
{
    private static readonly Arbitrary<(int Seed, int Operations)> Runs = Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from operations in Gen.Choose(1, 30_000)
        select (seed, operations));

    [FsCheck.NUnit.Property(MaxTest = 40)]
    public Property TakingEverythingAtOrBelowABoundMatchesASortedModel() => Prop.ForAll(Runs, run =>
    {
        const int Legs = 20_000;
        var random = new Random(run.Seed);
        var index = new TriggerIndex(Legs);
        var model = new Dictionary<int, long>();
        int keyRange = random.Next(1, 2_000); // small ranges make many equal keys
        for (int op = 0; op < run.Operations; op++)
        {
            int choice = random.Next(100);
            int leg = random.Next(Legs);
            if (choice < 70 && !model.ContainsKey(leg))
            {
                long key = random.Next(-keyRange, keyRange);
                index.Insert(leg, key);
                model[leg] = key;
            }
            else if (choice < 90 && model.Remove(leg, out long key))
            {
                index.Remove(leg, key);
            }
            else if (choice >= 90)
            {
                long bound = random.Next(-keyRange, keyRange) - (keyRange / 2);
                var taken = new List<int>();
                while (index.TopIsAtMost(bound))
                {
                    taken.Add(index.Pop());
                }

                int[] expected = [.. model.Where(p => p.Value <= bound).Select(p => p.Key).Order()];
                if (!taken.Order().SequenceEqual(expected))
                {
                    return false;
                }

                foreach (int t in taken)
                {
                    model.Remove(t);
                }
            }

            if (index.Count != model.Count)
            {
                return false;
            }
        }

        return true;
    });
}
