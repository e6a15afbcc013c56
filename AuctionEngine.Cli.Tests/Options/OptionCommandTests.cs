using System.Globalization;
using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Options;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests.Options;

/// <summary><c>auction option price|iv</c>: one option from the command line, or a CSV file of them.</summary>
[TestFixture]
public sealed class OptionCommandTests
{
    private static readonly string[] GreekNames = ["price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga"];

    [Test]
    public void PriceWritesTheValueAndEveryGreekInOrder()
    {
        CliRun run = CliRun.Of("option", "price", "--model", "bs", "--type", "call", "--spot", "42", "--strike", "40", "--years", "0.5", "--vol", "0.2", "--rate", "0.1");
        using JsonDocument json = JsonDocument.Parse(run.Output);
        OptionValuation expected = BlackScholes.Value(OptionType.Call, 42, 40, 0.5, 0.2, 0.1);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
            Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(GreekNames));
            Assert.That(json.RootElement.GetProperty("price").GetDouble(), Is.EqualTo(4.7594).Within(0.00005));
            Assert.That(json.RootElement.GetProperty("theta").GetDouble(), Is.EqualTo(expected.Theta), "numbers round-trip exactly");
            Assert.That(run.Output, Does.EndWith("}\n"));
        });
    }

    [Test]
    public void Black76TakesAForwardAndADiscountFactor()
    {
        CliRun run = CliRun.Of("option", "price", "--model", "black76", "--type", "put", "--forward", "1000", "--strike", "1200", "--years", "0.0821917808219178", "--vol", "0.25", "--discount", "0.9991784198737006");
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.That(json.RootElement.GetProperty("price").GetDouble(), Is.EqualTo(199.972766103166719631).Within(1e-9));
    }

    [Test]
    public void ImpliedVolatilityGivesBackThePricesVolatilityOrSaysWhyNot()
    {
        double price = BlackScholes.Price(OptionType.Put, 42, 40, 0.5, 0.2, 0.1);
        CliRun solved = CliRun.Of("option", "iv", "--type", "put", "--spot", "42", "--strike", "40", "--years", "0.5", "--rate", "0.1", "--price", price.ToString("R", CultureInfo.InvariantCulture));
        CliRun below = CliRun.Of("option", "iv", "--model", "black76", "--type", "call", "--forward", "110", "--strike", "100", "--years", "1", "--price", "5");
        CliRun above = CliRun.Of("option", "iv", "--model", "black76", "--type", "call", "--forward", "110", "--strike", "100", "--years", "1", "--price", "110");
        using JsonDocument json = JsonDocument.Parse(solved.Output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("vol").GetDouble(), Is.EqualTo(0.2).Within(1e-14));
            Assert.That(below.Output, Is.EqualTo("{\"vol\":null,\"reason\":\"belowIntrinsicValue\"}\n"));
            Assert.That(above.Output, Is.EqualTo("{\"vol\":null,\"reason\":\"atOrAboveMaximumValue\"}\n"));
            Assert.That(below.ExitCode, Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test]
    public void InfiniteLimitsAreWrittenAsNamedLiterals()
    {
        CliRun run = CliRun.Of("option", "price", "--model", "black76", "--type", "call", "--forward", "100", "--strike", "100", "--years", "0", "--vol", "0.2");
        Assert.That(run.Output, Does.Contain("\"gamma\":\"Infinity\"").And.Contain("\"theta\":\"-Infinity\""));
    }

    [TestCase("--type call --spot 42 --strike 40 --years 0.5", "--vol is needed")]
    [TestCase("--type call --strike 40 --years 0.5 --vol 0.2", "--spot is needed with the model bs")]
    [TestCase("--model black76 --type call --spot 42 --forward 42 --strike 40 --years 0.5 --vol 0.2", "--spot does not apply to the model black76")]
    [TestCase("--type call --spot 42 --strike 40 --years 0.5 --vol -0.2", "--vol must be a finite number, zero or more, not -0.2")]
    [TestCase("--type call --spot 42 --strike 40 --years 0.5 --vol 0.2 --discount 0.9", "--discount does not apply to the model bs")]
    [TestCase("--spot 42 --strike 40 --years 0.5 --vol 0.2", "--type is needed")]
    [TestCase("--type call --spot 4x2 --strike 40 --years 0.5 --vol 0.2", "--spot must be a finite number, not '4x2'")]
    [TestCase("--type cal --spot 42 --strike 40 --years 0.5 --vol 0.2", "--type must be 'call' or 'put', not 'cal'")]
    public void AnOptionThatCannotBeEvaluatedIsAUsageError(string arguments, string message)
    {
        CliRun run = CliRun.Of(["option", "price", .. arguments.Split(' ')]);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(run.ErrorLines[0], Does.StartWith("auction option price: ").And.Contain(message));
            Assert.That(run.ErrorLines[^1], Is.EqualTo("see 'auction option price --help'"));
            Assert.That(run.Output, Is.Empty);
        });
    }

    [TestCase(new[] { "option" }, "auction option: a command is needed: price or iv")]
    [TestCase(new[] { "option", "pric" }, "auction option: unknown command 'pric'; did you mean 'price'?")]
    [TestCase(new[] { "option", "frob" }, "auction option: unknown command 'frob'; the commands are price and iv")]
    public void TheOptionCommandNamesItsSubcommands(string[] arguments, string message)
    {
        CliRun run = CliRun.Of(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(run.ErrorLines, Is.EqualTo(new[] { message, "see 'auction option --help'" }));
        });
    }

    [Test]
    public void AFileGetsOneLinePerRowWithTheCommandLineFillingGaps()
    {
        string file = WriteFile(
            "\uFEFFModel,type,spot,forward,strike,years,vol,discount\r\n"
            + "bs,call,42,,40,0.5,0.2,\r\n"
            + "\r\n"
            + "black76,put,,1000,1200,0.0821917808219178,0.25,0.9991784198737006\r\n"
            + "bs,call,42,,40,0.5,-1,\r\n"
            + "bs,put,42,,40,0.5,,\n");
        CliRun run = CliRun.Of("option", "price", "--input", file, "--rate", "0.1", "--vol", "0.3");
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
            Assert.That(lines, Has.Length.EqualTo(4));
            Assert.That(lines[0], Is.EqualTo(Line(BlackScholes.Value(OptionType.Call, 42, 40, 0.5, 0.2, 0.1))));
            Assert.That(lines[1], Is.EqualTo("{\"error\":\"line 4: rate does not apply to the model black76, which takes forward and discount\"}"));
            Assert.That(lines[2], Is.EqualTo("{\"error\":\"line 5: vol must be a finite number, zero or more, not -1\"}"));
            Assert.That(lines[3], Is.EqualTo(Line(BlackScholes.Value(OptionType.Put, 42, 40, 0.5, 0.3, 0.1))), "an empty field takes --vol");
        });
    }

    [Test]
    public void ImpliedVolatilityFromAFileGivesOneLinePerRow()
    {
        double price = Black76.Price(OptionType.Put, 1000, 1200, 0.25, 0.6, 0.99);
        string file = WriteFile("model,type,forward,strike,years,price,discount\n"
            + FormattableString.Invariant($"black76,put,1000,1200,0.25,{price:R},0.99\n")
            + "black76,call,110,100,1,5,1\n"
            + "black76,call,110,100,0,9.9,\n");
        CliRun run = CliRun.Of("option", "iv", "--input", file);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
            Assert.That(JsonDocument.Parse(lines[0]).RootElement.GetProperty("vol").GetDouble(), Is.EqualTo(0.6).Within(1e-14));
            Assert.That(lines[1], Is.EqualTo("{\"vol\":null,\"reason\":\"belowIntrinsicValue\"}"));
            Assert.That(lines[2], Is.EqualTo("{\"vol\":null,\"reason\":\"belowIntrinsicValue\"}"), "at expiry 9.9 is below the intrinsic 10");
            Assert.That(lines, Has.Length.EqualTo(3));
        });
    }

    [TestCase("type,spot,strike,years,vol\ncall,42,40,0.5,0.2\nput,42,4O,0.5,0.2\n", "line 3, column 3 (strike): '4O' is not a finite number.")]
    [TestCase("type,spot,strike,years,vol\nfloor,42,40,0.5,0.2\n", "line 2, column 1 (type): 'floor' is not 'call' or 'put'.")]
    [TestCase("type,spot,strike,years,volatility\n", "line 1, column 5 (header): unknown column 'volatility'")]
    [TestCase("type,spot,strike,years,vol\ncall,42,40,0.5\n", "line 2: 4 fields where the header has 5.")]
    public void AnUnreadableRowStopsTheRunNamingItsPlace(string text, string message)
    {
        string file = WriteFile(text);
        CliRun run = CliRun.Of("option", "price", "--input", file);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
            Assert.That(run.ErrorLines.Single(), Is.EqualTo($"auction option price: {file}, {message}").Or.StartWith($"auction option price: {file}, {message}"));
        });
    }

    [Test]
    public void AMissingFileIsAnInputError()
    {
        CliRun run = CliRun.Of("option", "iv", "--input", Path.Combine(Path.GetTempPath(), "no-such-options.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputError));
            Assert.That(run.ErrorLines.Single(), Does.EndWith("no such file."));
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property AFileRowGivesWhatTheSameOptionGivesOnTheCommandLine() => Prop.ForAll(
        Gen.ArrayOf(
            from call in Gen.Elements(true, false)
            from spot in Gen.Choose(1, 100_000)
            from strike in Gen.Choose(1, 100_000)
            from days in Gen.Choose(0, 1000)
            from volatility in Gen.Choose(0, 300)
            select (Type: call ? "call" : "put", Spot: spot / 100.0, Strike: strike / 100.0, Years: days / 365.0, Vol: volatility / 100.0)).ToArbitrary(),
        options =>
        {
            string file = WriteFile("type,spot,strike,years,vol\n" + string.Concat(options.Select(o => FormattableString.Invariant($"{o.Type},{o.Spot},{o.Strike},{o.Years},{o.Vol}\n"))));
            string fromFile = CliRun.Of("option", "price", "--input", file, "--rate", "0.03").Output;
            string oneByOne = string.Concat(options.Select(o => CliRun.Of("option", "price", "--type", o.Type, "--spot", Text(o.Spot), "--strike", Text(o.Strike), "--years", Text(o.Years), "--vol", Text(o.Vol), "--rate", "0.03").Output));
            return fromFile == oneByOne;
        });

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Line(OptionValuation v) => "{" + string.Join(',', GreekNames.Zip([v.Price, v.Delta, v.Gamma, v.Vega, v.Theta, v.Rho, v.Vanna, v.Volga], (name, value) => $"\"{name}\":{Text(value)}")) + "}";

    private static string WriteFile(string text)
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"options-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }
}
