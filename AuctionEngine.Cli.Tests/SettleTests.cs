using System.Globalization;
using System.Text.Json;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;
using NUnit.Framework;

namespace AuctionEngine.Cli.Tests;

/// <summary><c>auction settle</c> says which contract, chain and EIP-712 domain its signatures are bound to.</summary>
[TestFixture]
public sealed class SettleTests
{
    private const string Contract = "0x00000000000000000000000000000000000c0de5";

    /// <summary>The contract as the CLI prints every address: EIP-55 checksummed.</summary>
    private static readonly string Printed = Address.Parse(Contract).ToString();

    [TestCase(1UL)]
    [TestCase(31337UL)]
    [TestCase(9223372036854775807UL)]
    public void TheSummaryNamesTheContractChainAndDomain(ulong chainId)
    {
        CliRun run = CliRun.Of("settle", "--contract", Contract, "--chain-id", chainId.ToString(CultureInfo.InvariantCulture), "--orders", "4");
        var domain = new Eip712Domain("AuctionEngine", "1", chainId, Address.Parse(Contract));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(run.Output, Does.StartWith($"Settlement contract {Printed} on chain id {chainId}\n"));
            Assert.That(run.Output, Does.Contain($"\nEIP-712 domain: name \"AuctionEngine\", version \"1\", chain id {chainId}, verifying contract {Printed}\n"));
            Assert.That(run.Output, Does.Contain($"(separator {domain.Separator})"));
        }
    }

    [Test]
    public void TheJsonCarriesTheDomainBesideTheConstructorArguments()
    {
        CliRun run = CliRun.Of("settle", "--json", "--contract", Contract, "--chain-id", "31337", "--orders", "4");
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        JsonElement domain = root.GetProperty("domain");
        Hash32 separator = new Eip712Domain("AuctionEngine", "1", 31337, Address.Parse(Contract)).Separator;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(root.GetProperty("contract").GetString(), Is.EqualTo(Printed));
            Assert.That(root.GetProperty("chainId").GetString(), Is.EqualTo("31337"));
            Assert.That(domain.GetProperty("name").GetString(), Is.EqualTo("AuctionEngine"));
            Assert.That(domain.GetProperty("version").GetString(), Is.EqualTo("1"));
            Assert.That(domain.GetProperty("chainId").GetString(), Is.EqualTo("31337"));
            Assert.That(domain.GetProperty("verifyingContract").GetString(), Is.EqualTo(Printed));
            Assert.That(domain.GetProperty("separator").GetString(), Is.EqualTo(separator.ToString()));

            // The contract is deployed with the same name and version, or no signature in the batch would verify.
            Assert.That(root.GetProperty("deploy").GetProperty("name").GetString(), Is.EqualTo(domain.GetProperty("name").GetString()));
            Assert.That(root.GetProperty("deploy").GetProperty("version").GetString(), Is.EqualTo(domain.GetProperty("version").GetString()));
        }
    }
}
