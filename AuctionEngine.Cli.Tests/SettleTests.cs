using System.Globalization;
using System.Numerics;
using System.Text.Json;
using AuctionEngine.Abi;
using AuctionEngine.Cli.CommandLine;
using AuctionEngine.Cli.Tests.Support;
using AuctionEngine.Crypto;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
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
    private const string CowSettlementAddress = "0x9008d19f58aabd9ed0d60971565aa8510560ab41";

    [Test]
    public void CowNeedsAValidTo()
    {
        CliRun run = CliRun.Of("settle", "--cow", "--orders", "4");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(run.Error, Does.Contain("--cow needs --valid-to"));
        }
    }

    [TestCase("--valid-to", "1800000000")]
    [TestCase("--cow-signing", "presign")]
    [TestCase("--cow-settlement", CowSettlementAddress)]
    public void CowOptionsNeedCow(string option, string value)
    {
        CliRun run = CliRun.Of("settle", "--orders", "4", option, value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(run.Error, Does.Contain($"{option} applies to settle --cow"));
        }
    }

    [Test]
    public void WithoutCowTheJsonHasNoCowSection()
    {
        using JsonDocument document = JsonDocument.Parse(CliRun.Of("settle", "--json", "--orders", "4").Output);
        Assert.That(document.RootElement.TryGetProperty("cow", out _), Is.False);
    }

    /// <summary>
    /// Issue 14's batch (200 orders, seed 42, where orders 93 and 145 are equal): every trade is signed by its owner
    /// over exactly the terms it carries, under the settlement's domain, with its own UID and the validTo asked for.
    /// </summary>
    [Test]
    public void EveryCowTradeIsSignedByItsOwnerWithItsOwnUid()
    {
        CliRun run = CliRun.Of("settle", "--json", "--orders", "200", "--seed", "42", "--chain-id", "100", "--cow", "--valid-to", "1800000000", "--cow-settlement", CowSettlementAddress);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement cow = document.RootElement.GetProperty("cow");
        Eip712Domain domain = CowSettlement.Domain(100, Address.Parse(CowSettlementAddress));
        IReadOnlyList<AbiValue> decoded = CowSettlement.Settle.DecodeCall(Bytes(cow.GetProperty("calldata").GetString()!));
        JsonElement[] trades = [.. cow.GetProperty("trades").EnumerateArray()];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(cow.GetProperty("settlement").GetString(), Is.EqualTo(domain.VerifyingContract.ToString()));
            Assert.That(cow.GetProperty("chainId").GetString(), Is.EqualTo("100"));
            Assert.That(cow.GetProperty("domainSeparator").GetString(), Is.EqualTo(domain.Separator.ToString()));
            Assert.That(cow.GetProperty("signingScheme").GetString(), Is.EqualTo("eip712"));
            Assert.That(cow.GetProperty("preSignatures").GetArrayLength(), Is.Zero);
            Assert.That(trades, Has.Length.EqualTo(decoded[2].Items.Count).And.Length.GreaterThan(100));
            Assert.That(trades.Select(t => t.GetProperty("uid").GetString()).Distinct().Count(), Is.EqualTo(trades.Length), "no two trades share a UID");
            for (int i = 0; i < trades.Length; i++)
            {
                GPv2Order order = OrderOf(trades[i].GetProperty("order"));
                Address owner = Address.Parse(trades[i].GetProperty("owner").GetString());
                Hash32 digest = order.ComputeDigest(domain);
                byte[] signature = Bytes(trades[i].GetProperty("signature").GetString()!);
                IReadOnlyList<AbiValue> carried = decoded[2].Items[i].Items;
                Assert.That(order.ValidTo, Is.EqualTo(1_800_000_000u));
                Assert.That(trades[i].GetProperty("digest").GetString(), Is.EqualTo(digest.ToString()));
                Assert.That(trades[i].GetProperty("uid").GetString(), Is.EqualTo("0x" + Convert.ToHexStringLower(order.ComputeUid(domain, owner))));
                Assert.That(Secp256k1.RecoverAddress(digest.ToArray(), signature, out Address signer), Is.EqualTo(SignatureStatus.Valid));
                Assert.That(signer, Is.EqualTo(owner), $"trade {i} is signed by its owner");
                Assert.That(carried[10].Bytes.ToArray(), Is.EqualTo(signature));
                Assert.That(carried[3].Integer, Is.EqualTo(order.SellAmount));
                Assert.That(carried[4].Integer, Is.EqualTo(order.BuyAmount));
                Assert.That(carried[6].Bytes.ToArray(), Is.EqualTo(order.AppData.ToArray()));
                Assert.That(carried[8].Integer, Is.EqualTo((BigInteger)order.TradeFlags(CowSigningScheme.Eip712)));
            }
        }
    }

    [Test]
    public void PreSignedTradesComeWithTheirOwnersPreSignatureCalls()
    {
        CliRun run = CliRun.Of("settle", "--json", "--orders", "40", "--cow", "--valid-to", "1800000000", "--cow-signing", "presign");
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement cow = document.RootElement.GetProperty("cow");
        JsonElement[] trades = [.. cow.GetProperty("trades").EnumerateArray()];
        JsonElement[] calls = [.. cow.GetProperty("preSignatures").EnumerateArray()];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cow.GetProperty("signingScheme").GetString(), Is.EqualTo("presign"));
            Assert.That(calls, Has.Length.EqualTo(trades.Length).And.Length.GreaterThan(0));
            for (int i = 0; i < trades.Length; i++)
            {
                IReadOnlyList<AbiValue> call = CowOrder.SetPreSignature.DecodeCall(Bytes(calls[i].GetProperty("data").GetString()!));
                Assert.That(calls[i].GetProperty("from").GetString(), Is.EqualTo(trades[i].GetProperty("owner").GetString()), "only the owner may pre-sign");
                Assert.That(calls[i].GetProperty("to").GetString(), Is.EqualTo(cow.GetProperty("settlement").GetString()));
                Assert.That("0x" + Convert.ToHexStringLower(call[0].Bytes.Span), Is.EqualTo(trades[i].GetProperty("uid").GetString()));
                Assert.That(call[1].Bool, Is.True);
                Assert.That(Address.Parse(trades[i].GetProperty("signature").GetString()), Is.EqualTo(Address.Parse(trades[i].GetProperty("owner").GetString())));
            }
        }
    }

    private static GPv2Order OrderOf(JsonElement order) => new(
        Address.Parse(order.GetProperty("sellToken").GetString()),
        Address.Parse(order.GetProperty("buyToken").GetString()),
        Address.Parse(order.GetProperty("receiver").GetString()),
        BigInteger.Parse(order.GetProperty("sellAmount").GetString()!, CultureInfo.InvariantCulture),
        BigInteger.Parse(order.GetProperty("buyAmount").GetString()!, CultureInfo.InvariantCulture),
        order.GetProperty("validTo").GetUInt32(),
        Hash32.Parse(order.GetProperty("appData").GetString()),
        BigInteger.Parse(order.GetProperty("feeAmount").GetString()!, CultureInfo.InvariantCulture),
        order.GetProperty("kind").GetString() == "buy" ? GPv2OrderKind.Buy : GPv2OrderKind.Sell,
        order.GetProperty("partiallyFillable").GetBoolean(),
        GPv2TokenBalance.Erc20,
        GPv2TokenBalance.Erc20);

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
}
