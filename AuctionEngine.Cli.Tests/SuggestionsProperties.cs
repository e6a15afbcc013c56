using System.CommandLine;
using System.CommandLine.Help;
using AuctionEngine.Cli.CommandLine;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>Suggestions for a mistyped name: every one-edit typo of a real name finds it, and nothing far is offered.</summary>
[TestFixture]
public sealed class SuggestionsProperties
{
    private static readonly Gen<string> Name = Gen.Elements("--rule", "--seed", "clear", "--reference-price", "", "a", "ab", "--x").SelectMany(
        seed => Gen.ListOf(Gen.Elements('-', 'a', 'e', 'r', 's', 'x')).Select(tail => seed + new string([.. tail])));

    private static readonly RootCommand Root = AuctionCli.CreateRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, false));

    private static IEnumerable<TestCaseData> NamesByCommand()
    {
        yield return new TestCaseData((object)Root.Subcommands.Select(c => c.Name).ToArray()).SetArgDisplayNames("commands");
        foreach (Command command in Root.Subcommands)
        {
            string[] options = [.. command.Options.Where(o => o is not HelpOption).Select(o => o.Name)];
            yield return new TestCaseData((object)options).SetArgDisplayNames(command.Name);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property EditDistanceIsSymmetricZeroOnlyForEqualNamesAndBoundedByTheLengths() => Prop.ForAll(Name.ToArbitrary(), Name.ToArbitrary(), (a, b) =>
    {
        int d = Suggestions.EditDistance(a, b);
        return d == Suggestions.EditDistance(b, a) && (d == 0) == (a == b) && d >= Math.Abs(a.Length - b.Length) && d <= Math.Max(a.Length, b.Length);
    });

    /// <summary>Every deletion, insertion, substitution and swap of neighbours, at every position of every name a command accepts.</summary>
    [TestCaseSource(nameof(NamesByCommand))]
    public void EveryOneEditTypoOfANameSuggestsIt(string[] names)
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (string name in names)
            {
                foreach (string typo in OneEditTypos(name).Where(t => t.TrimStart('-').Length >= 3 && !names.Contains(t)))
                {
                    Assert.That(Suggestions.For(typo, names), Does.Contain(name), $"'{typo}' for '{name}'");
                }
            }
        }
    }

    [TestCase("--xyz")]
    [TestCase("--colour")]
    [TestCase("-x")]
    [TestCase("frobnicate")]
    public void NothingIsOfferedWhenNothingIsClose(string typed) =>
        Assert.That(Suggestions.For(typed, ["--rule", "--reference-price", "--seed", "--orders", "--plain", "--json", "clear", "demo", "settle", "abi", "-h", "-?"]), Is.Empty);

    private static IEnumerable<string> OneEditTypos(string name)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyz-";
        int start = name.Length - name.TrimStart('-').Length;
        for (int i = start; i < name.Length; i++)
        {
            yield return name.Remove(i, 1);
            if (i + 1 < name.Length)
            {
                yield return string.Concat(name.AsSpan(0, i), name[i + 1].ToString(), name[i].ToString(), name.AsSpan(i + 2));
            }

            foreach (char letter in Letters)
            {
                yield return string.Concat(name.AsSpan(0, i), letter.ToString(), name.AsSpan(i + 1));
                yield return name.Insert(i, letter.ToString());
            }
        }

        foreach (char letter in Letters)
        {
            yield return name + letter;
        }
    }
}
