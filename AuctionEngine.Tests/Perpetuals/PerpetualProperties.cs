using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>
/// Random multi-block scenarios (<see cref="PerpetualScenario"/>): money is conserved exactly after every step,
/// funding is zero-sum, exactly the accounts below maintenance are liquidated, no order is admitted beyond the initial
/// margin, reduce-only orders never grow a position, a liquidation never leaves a solvent account bankrupt while the
/// fund has money, deleveraging happens only when the fund is empty, and the events do not depend on the order in
/// which a block's orders arrive.
/// </summary>
[TestFixture]
public sealed class PerpetualProperties
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property EveryInvariantHoldsInEveryBlock() => Prop.ForAll(Seeds, seed =>
    {
        using var scenario = new PerpetualScenario(seed, shuffle: false);
        scenario.Run(30);
        return scenario.Violations.Count == 0 ? Prop.ToProperty(true) : Prop.ToProperty(false).Label($"seed {seed}: {string.Join("\n", scenario.Violations.Take(5))}");
    });

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property TheSameScenarioGivesTheSameEventsWhateverTheOrderOfArrival() => Prop.ForAll(Seeds, seed =>
    {
        using var inOrder = new PerpetualScenario(seed, shuffle: false);
        using var shuffled = new PerpetualScenario(seed, shuffle: true);
        inOrder.Run(20);
        shuffled.Run(20);
        bool same = inOrder.Events.SequenceEqual(shuffled.Events) && inOrder.FinalState() == shuffled.FinalState();
        return Prop.ToProperty(same).Label($"seed {seed}: first difference {inOrder.Events.Zip(shuffled.Events).FirstOrDefault(p => p.First != p.Second)}");
    });

    [Test]
    public void TheScenariosLiquidateAndDeleverage()
    {
        // The properties above mean something only if their scenarios reach liquidations and deleveraging.
        int liquidations = 0;
        int deleveragings = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            using var scenario = new PerpetualScenario(seed, shuffle: false);
            scenario.Run(30);
            liquidations += scenario.LiquidationFills;
            deleveragings += scenario.Deleveragings;
        }

        Assert.That(liquidations, Is.GreaterThan(50));
        Assert.That(deleveragings, Is.GreaterThan(5));
    }
}
