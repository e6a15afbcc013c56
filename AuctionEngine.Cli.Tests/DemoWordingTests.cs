using System.Text.RegularExpressions;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary>What the demos say, on small seeded runs: terms explained, counts in the right number, lists in prose.</summary>
[TestFixture]
public sealed partial class DemoWordingTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void TheSealedDemoCountsInTheRightNumber(int orders)
    {
        CliRun run = CliRun.Of("demo", "--orders", orders.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Error, Is.Empty);
            Assert.That(run.Output, Does.StartWith($"Sealed batch demo: seed 1, {(orders == 1 ? "1 order" : $"{orders} orders")} from 2 traders, batch 7 in block 100\n"));
            Assert.That(run.Output, Does.Contain($"2 traders sign {(orders == 1 ? "1 order" : $"{orders} orders")}: "));
            Assert.That(OneWithAPlural().Matches(run.Output), Is.Empty);
            Assert.That(ManyWithASingular().Matches(run.Output), Is.Empty);
        }
    }

    [Test]
    public void TheSealedDemoNamesTheKeypersInProse()
    {
        string output = CliRun.Of("demo", "--orders", "2", "--seed", "7").Output;

        using (Assert.EnterMultipleScope())
        {
            // Keyper 5 is offline and keyper 2 signs a wrong share, so 1, 3 and 4 open the key.
            Assert.That(output, Does.Contain("\n  keypers          keypers 1, 3 and 4 sent valid shares; 3 are needed\n"));
            Assert.That(output, Does.Contain("key opened from keypers 1, 3 and 4; "));
            Assert.That(output, Does.Contain("\n  bad keypers      keyper 2 (WrongValue)\n"));
            Assert.That(output, Does.Contain("\n  ignored shares   a share claiming to be from keyper 1 (NotSignedByKeyper); nobody blamed\n"));
        }
    }

    [Test]
    public void TheSealedDemoExplainsItsTerms()
    {
        string output = CliRun.Of("demo", "--orders", "1", "--seed", "3").Output;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain("Prices are in ticks and quantities in lots, the market's units"));
            Assert.That(output, Does.Contain("A keyper holds one share of the batch's decryption key: any 3 of the 5 keypers together can open"));
            Assert.That(output, Does.Contain("A commitment is the hash of an order"));
            Assert.That(output, Does.Match(@"reference price [\d,]+ ticks"));
            Assert.That(output, Does.Match(@"clearing price   [\d,]+ ticks|no trade"));
        }
    }

    [Test]
    public void TheSameSeedGivesTheSameOutputApartFromTimings()
    {
        string first = WithoutTimings(CliRun.Of("demo", "--orders", "3", "--seed", "11").Output);
        string second = WithoutTimings(CliRun.Of("demo", "--orders", "3", "--seed", "11").Output);
        string other = WithoutTimings(CliRun.Of("demo", "--orders", "3", "--seed", "12").Output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(other, Is.Not.EqualTo(first));
        }
    }

    [TestCase(1, "1 order")]
    [TestCase(2, "2 orders")]
    public void ThePlainDemoCountsInTheRightNumber(int orders, string counted)
    {
        CliRun run = CliRun.Of("demo", "--plain", "--orders", orders.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Output, Does.StartWith($"Demo batch: {counted} from seed 42, drawn from 300 traders, mid price "));
            Assert.That(run.Output, Does.Contain("prices are in ticks and quantities in lots"));
            Assert.That(OneWithAPlural().Matches(run.Output), Is.Empty);
        }
    }

    private static string WithoutTimings(string output) => Timing().Replace(output, "");

    /// <summary>"1 orders", "1 commitments": a count of one before a plural noun (not the tail of 11, 2.1 or 1,001).</summary>
    [GeneratedRegex(@"(?<![\d.,])1 (sealed |opened )?(orders|traders|commitments|ciphertexts|reveals|threads|keypers|lots|shares)\b")]
    private static partial Regex OneWithAPlural();

    /// <summary>"2 order", "0 commitment": any other count before a singular noun.</summary>
    [GeneratedRegex(@"(?<![\d.,])([02-9]|\d{2,}) (sealed |opened )?(order|trader|commitment|ciphertext|reveal|thread|keyper)\b(?!s)")]
    private static partial Regex ManyWithASingular();

    /// <summary>A time and the padding that aligns it, which varies with its width.</summary>
    [GeneratedRegex(@" *\d+\.\d+ ms| *\d+\.\d%|[\d,]+ orders/s")]
    private static partial Regex Timing();
}
