using System.Buffers.Binary;
using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Clearing;
using AuctionEngine.Crypto;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;
using AuctionEngine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Settlement;

/// <summary>
/// A cleared batch as CoW Protocol's GPv2 settlement: the order each trader signs, the trade the solver submits from
/// it, and GPv2's own formulas, which must give back the engine's amounts exactly.
/// </summary>
[TestFixture]
public sealed class CowSettlementTests
{
    private const ulong BatchId = 7;
    private const uint ValidTo = 1_800_000_000;
    private static readonly Market Market = Build.MarketWith(lotSize: 1_000_000_000_000, tickSize: 1_000_000);
    private static readonly Address MarketAddress = Address.Parse("0x00000000000000000000000000000000000c0de5");
    private static readonly Eip712Domain OrderDomain = new("AuctionEngine", "1", 1, MarketAddress);
    private static readonly Eip712Domain CowDomain = CowSettlement.Domain(1, Address.Parse("0x9008D19f58AAbD9eD0D60971565AA8510560ab41"));
    private static readonly byte[] TraderKey = Convert.FromHexString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static readonly Address Trader = Secp256k1.AddressFromPrivateKey(TraderKey);
    private static readonly byte[] OwnerBytes = Convert.FromHexString("2c7536e3605d9c16a7a3d7b1898e529396a65c23");

    [Test]
    public void TheSelectorsAreGpv2s()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CowSettlement.Settle.Selector, Is.EqualTo(0x13d79a0bu));
            Assert.That(CowOrder.SetPreSignature.Selector, Is.EqualTo(0xec6cb13fu));
        }
    }

    /// <summary>
    /// For any order (either side, limit or market with its signed worst price), any lot and tick size, any fill and
    /// any clearing price at, just around or far from its limit: GPv2 executes exactly the engine's amounts where the
    /// order admits the price, and refuses the trade on its limit where it does not.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property Gpv2ExecutesExactlyTheEnginesAmountsAtEveryPriceTheOrderAdmits() => Prop.ForAll(
        Arb.From(
            from side in Gen.Elements(Side.Buy, Side.Sell)
            from type in Gen.Elements(OrderType.Limit, OrderType.Market)
            from lotSize in Generators.Between(1, long.MaxValue)
            from tickSize in Generators.Between(1, long.MaxValue)
            from limit in Gen.Frequency((1, Gen.Constant(1L)), (4, Generators.Between(1, 1_000_000)), (1, Generators.Between(1, long.MaxValue - 1)))
            from quantity in Gen.Frequency((1, Gen.Constant(1L)), (4, Generators.Between(1, 1_000)), (1, Generators.Between(1, long.MaxValue)))
            from filled in Gen.Frequency((1, Gen.Constant(0L)), (1, Gen.Constant(quantity)), (3, Generators.Between(0, quantity)))
            from offset in Gen.Frequency((3, Gen.Elements(-1L, 0L, 1L)), (1, Generators.Between(-1_000, 1_000)))
            select (side, type, lotSize, tickSize, limit, quantity, filled, price: Math.Max(1, limit + offset))),
        c =>
        {
            var market = new Market(Build.BaseToken, Build.QuoteToken, (UInt128)c.lotSize, (UInt128)c.tickSize);
            var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, c.side, c.type, c.limit, c.quantity, nonce: 1);
            CowTrade trade = CowSettlement.Order(market, sealedOrder, OrderDomain, CowDomain, ValidTo).Trade(c.filled, CowSigningScheme.PreSign, []);
            (BigInteger basePrice, BigInteger quotePrice) = CowSettlement.ClearingPrices(market, c.price);
            (BigInteger Sell, BigInteger Buy)? executed = CowSettlement.Execute(trade, [basePrice, quotePrice]);

            BigInteger baseAtoms = (BigInteger)c.filled * c.lotSize;
            BigInteger quoteAtoms = (BigInteger)c.filled * c.price * c.tickSize;
            bool admits = c.side == Side.Buy ? c.price <= c.limit : c.price >= c.limit;
            return admits
                ? executed == (c.side == Side.Buy ? (quoteAtoms, baseAtoms) : (baseAtoms, quoteAtoms))
                : executed is null;
        });

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public Property Gpv2ExecutesEveryTradeOfAClearedBatchAsTheEngineFilledIt() => Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
    {
        // Limit orders only: a market order's worst price is signed for a sealed batch, which the plain book has not.
        Order[] orders = [.. RandomBatches.NarrowBand(60, seed, lowestPrice: 1_000, width: 20).Where(o => !o.IsMarket)];
        var fills = new Fill[orders.Length];
        ClearingResult result = new ClearingEngine(orders.Length).Clear(Market, orders, fills, new ClearingOptions(PriceRule.Midpoint, 1_010));
        if (!result.Cleared)
        {
            return true;
        }

        (BigInteger basePrice, BigInteger quotePrice) = CowSettlement.ClearingPrices(Market, result.Price!.Value);
        return orders.Zip(fills).Where(x => x.Second.FilledQuantity > 0).All(x =>
        {
            var sealedOrder = new SealedOrder(x.First.Trader, MarketAddress, BatchId, x.First.Side, OrderType.Limit, x.First.LimitPrice, x.First.Quantity, x.First.Id);
            CowTrade trade = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, ValidTo).Trade(x.Second.FilledQuantity, CowSigningScheme.PreSign, []);
            BigInteger baseAtoms = (BigInteger)Market.BaseAtoms(x.Second.FilledQuantity);
            BigInteger quoteAtoms = (BigInteger)x.Second.QuoteAmount;
            return CowSettlement.Execute(trade, [basePrice, quotePrice]) == (x.First.Side == Side.Buy ? (quoteAtoms, baseAtoms) : (baseAtoms, quoteAtoms));
        });
    });

    /// <summary>Two orders of one trader equal in everything but their nonce (issue 14: seed 42's orders 93 and 145) are two GPv2 orders.</summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property EqualOrdersOfOneTraderHaveTheirOwnUids() => Prop.ForAll(
        Arb.From(
            from side in Gen.Elements(Side.Buy, Side.Sell)
            from type in Gen.Elements(OrderType.Limit, OrderType.Market)
            from limit in Generators.Between(1, 1_000_000)
            from quantity in Generators.Between(1, 1_000)
            from nonce in Generators.AnyUInt64
            from otherNonce in Generators.AnyUInt64
            select (side, type, limit, quantity, nonce, otherNonce)),
        c =>
        {
            CowOrder Make(ulong nonce) => CowSettlement.Order(Market, new SealedOrder(Trader, MarketAddress, BatchId, c.side, c.type, c.limit, c.quantity, nonce), OrderDomain, CowDomain, ValidTo);
            CowOrder one = Make(c.nonce);
            CowOrder other = Make(c.otherNonce);
            bool sameUid = one.Uid.Span.SequenceEqual(other.Uid.Span);
            return (c.nonce == c.otherNonce) == sameUid
                && (c.nonce == c.otherNonce) == (one.Order.AppData == other.Order.AppData)
                && one.Order.SellAmount == other.Order.SellAmount && one.Order.BuyAmount == other.Order.BuyAmount;
        });

    [Test]
    public void TheSealedOrdersDigestIsTheAppData()
    {
        var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, Side.Sell, OrderType.Limit, 1_000, 3, nonce: 9);
        CowOrder order = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, ValidTo);
        Assert.That(order.Order.AppData, Is.EqualTo(sealedOrder.ComputeDigest(OrderDomain)));
    }

    /// <summary>For any validTo, 0 and 2^32 − 1 included: the order expires then, and the UID ends with it big-endian.</summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property TheOrderExpiresAtTheValidToGiven() => Prop.ForAll(
        Arb.From(Gen.Frequency((1, Gen.Elements(0u, 1u, uint.MaxValue - 1, uint.MaxValue)), (4, Generators.AnyUInt64.Select(x => (uint)x)))),
        validTo =>
        {
            var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, Side.Buy, OrderType.Limit, 1_000, 3, nonce: 1);
            CowOrder order = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, validTo);
            CowOrder later = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, unchecked(validTo + 1));
            CowTrade trade = order.Trade(3, CowSigningScheme.PreSign, []);
            return order.Order.ValidTo == validTo
                && trade.Terms.ValidTo == validTo
                && BinaryPrimitives.ReadUInt32BigEndian(order.Uid.Span[(Hash32.Length + Address.Length)..]) == validTo
                && order.Uid.Span[..Hash32.Length].SequenceEqual(order.Digest.ToArray())
                && order.Uid.Span.Slice(Hash32.Length, Address.Length).SequenceEqual(OwnerBytes)
                && order.Digest != later.Digest;
        });

    [Test]
    public void AMarketBuyIsSignedAtItsWorstPriceNotTheMarketsMaximum()
    {
        var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, Side.Buy, OrderType.Market, 1_015, 4, nonce: 1);
        GPv2Order order = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, ValidTo).Order;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Kind, Is.EqualTo(GPv2OrderKind.Buy));
            Assert.That(order.SellToken, Is.EqualTo(Market.QuoteToken));
            Assert.That(order.BuyToken, Is.EqualTo(Market.BaseToken));
            Assert.That(order.SellAmount, Is.EqualTo((BigInteger)4 * 1_015 * 1_000_000), "at most 4 lots at the worst price");
            Assert.That(order.BuyAmount, Is.EqualTo((BigInteger)4 * 1_000_000_000_000));
            Assert.That(order.PartiallyFillable, Is.True);
            Assert.That(order.Receiver, Is.EqualTo(Address.Zero), "pays the owner");
            Assert.That(order.FeeAmount, Is.EqualTo(BigInteger.Zero));
        }
    }

    [Test]
    public void EachSchemeEncodesItsSignatureAsGpv2DecodesIt()
    {
        CowOrder order = CowSettlement.Order(Market, new SealedOrder(Trader, MarketAddress, BatchId, Side.Sell, OrderType.Limit, 990, 5, 1), OrderDomain, CowDomain, ValidTo);
        byte[] eip712 = order.SignEip712(TraderKey);
        byte[] ethSign = order.SignEthSign(TraderKey);
        byte[] owner = OwnerBytes;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secp256k1.RecoverAddress(order.Digest.ToArray(), eip712, out Address signer), Is.EqualTo(SignatureStatus.Valid));
            Assert.That(signer, Is.EqualTo(Trader));
            Assert.That(order.Trade(5, CowSigningScheme.Eip712, eip712).Terms.Signature, Is.EqualTo(eip712));
            Assert.That(order.Trade(5, CowSigningScheme.Eip712, eip712).Flags, Is.EqualTo(0b00_0_00_1_0u), "partially fillable ERC-20 sell, EIP-712");
            Assert.That(order.Trade(5, CowSigningScheme.EthSign, ethSign).Flags, Is.EqualTo(0b01_0_00_1_0u));
            Assert.That(order.Trade(5, CowSigningScheme.PreSign, []).Terms.Signature, Is.EqualTo(owner));
            Assert.That(order.Trade(5, CowSigningScheme.PreSign, []).Flags, Is.EqualTo(0b11_0_00_1_0u));
            Assert.That(order.Trade(5, CowSigningScheme.Eip1271, [0xab, 0xcd]).Terms.Signature, Is.EqualTo(owner.Concat(new byte[] { 0xab, 0xcd })));
            Assert.That(order.Trade(5, CowSigningScheme.Eip1271, [0xab, 0xcd]).Flags, Is.EqualTo(0b10_0_00_1_0u));
            Assert.That(order.Trade(2, CowSigningScheme.PreSign, []).ExecutedAmount, Is.EqualTo((BigInteger)2 * 1_000_000_000_000));
        }
    }

    [Test]
    public void TheFlagsCarryEveryBalanceAndKind()
    {
        GPv2Order Make(GPv2OrderKind kind, GPv2TokenBalance sell, GPv2TokenBalance buy) =>
            new(Build.BaseToken, Build.QuoteToken, Address.Zero, 1, 1, 0, Hash32.Zero, 0, kind, partiallyFillable: false, sell, buy);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Make(GPv2OrderKind.Buy, GPv2TokenBalance.Erc20, GPv2TokenBalance.Erc20).TradeFlags(CowSigningScheme.Eip712), Is.EqualTo(0b1u));
            Assert.That(Make(GPv2OrderKind.Sell, GPv2TokenBalance.External, GPv2TokenBalance.Erc20).TradeFlags(CowSigningScheme.Eip712), Is.EqualTo(0b1000u));
            Assert.That(Make(GPv2OrderKind.Sell, GPv2TokenBalance.Internal, GPv2TokenBalance.Erc20).TradeFlags(CowSigningScheme.Eip712), Is.EqualTo(0b1100u));
            Assert.That(Make(GPv2OrderKind.Sell, GPv2TokenBalance.Erc20, GPv2TokenBalance.Internal).TradeFlags(CowSigningScheme.Eip712), Is.EqualTo(0b10000u));
            Assert.That(() => Make(GPv2OrderKind.Sell, GPv2TokenBalance.Erc20, GPv2TokenBalance.External), Throws.ArgumentException);
            Assert.That(() => Make((GPv2OrderKind)2, GPv2TokenBalance.Erc20, GPv2TokenBalance.Erc20), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Make(GPv2OrderKind.Sell, (GPv2TokenBalance)3, GPv2TokenBalance.Erc20), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Make(GPv2OrderKind.Sell, GPv2TokenBalance.Erc20, GPv2TokenBalance.Erc20).TradeFlags((CowSigningScheme)4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void AmountsAreUint256()
    {
        BigInteger max = (BigInteger.One << 256) - 1;
        GPv2Order Make(BigInteger sell, BigInteger buy, BigInteger fee) =>
            new(Build.BaseToken, Build.QuoteToken, Address.Zero, sell, buy, 0, Hash32.Zero, fee, GPv2OrderKind.Sell, false, GPv2TokenBalance.Erc20, GPv2TokenBalance.Erc20);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Make(max, max, max).SellAmount, Is.EqualTo(max));
            Assert.That(() => Make(max + 1, 0, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Make(0, -1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Make(0, 0, max + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void MisuseIsRefused()
    {
        var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, Side.Sell, OrderType.Limit, 990, 5, 1);
        CowOrder order = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, ValidTo);
        byte[] strangerKey = Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => CowSettlement.Order(Market, sealedOrder, OrderDomain, OrderDomain, ValidTo), Throws.ArgumentException, "the engine's domain is not GPv2's");
            Assert.That(() => CowSettlement.Order(Market, new SealedOrder(Trader, MarketAddress, BatchId, Side.Sell, OrderType.Limit, 990, 0, 1), OrderDomain, CowDomain, ValidTo), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => CowSettlement.Order(Market, new SealedOrder(Trader, MarketAddress, BatchId, (Side)3, OrderType.Limit, 990, 5, 1), OrderDomain, CowDomain, ValidTo), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => order.SignEip712(strangerKey), Throws.ArgumentException, "a key that is not the owner's");
            Assert.That(() => order.SignEthSign(new byte[32]), Throws.ArgumentException, "not a private key");
            Assert.That(() => order.Trade(6, CowSigningScheme.PreSign, []), Throws.InstanceOf<ArgumentOutOfRangeException>(), "more than the quantity");
            Assert.That(() => order.Trade(-1, CowSigningScheme.PreSign, []), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => order.Trade(5, CowSigningScheme.Eip712, new byte[64]), Throws.ArgumentException);
            Assert.That(() => order.Trade(5, CowSigningScheme.PreSign, new byte[20]), Throws.ArgumentException);
        }
    }

    [Test]
    public void ThePreSignatureCallNamesTheUid()
    {
        CowOrder order = CowSettlement.Order(Market, new SealedOrder(Trader, MarketAddress, BatchId, Side.Buy, OrderType.Limit, 1_001, 2, 1), OrderDomain, CowDomain, ValidTo);
        IReadOnlyList<AbiValue> signed = CowOrder.SetPreSignature.DecodeCall(order.SetPreSignatureCalldata());
        IReadOnlyList<AbiValue> revoked = CowOrder.SetPreSignature.DecodeCall(order.SetPreSignatureCalldata(preSigned: false));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(signed[0].Bytes.ToArray(), Is.EqualTo(order.Uid.ToArray()));
            Assert.That(signed[1].Bool, Is.True);
            Assert.That(revoked[1].Bool, Is.False);
        }
    }

    [Test]
    public void TheCalldataDecodesToTheTokensPricesAndTrades()
    {
        var sealedOrder = new SealedOrder(Trader, MarketAddress, BatchId, Side.Sell, OrderType.Limit, 95, 4, 1);
        CowOrder order = CowSettlement.Order(Market, sealedOrder, OrderDomain, CowDomain, ValidTo);
        byte[] calldata = CowSettlement.Encode(Market, 100, [order.Trade(4, CowSigningScheme.PreSign, [])]);
        IReadOnlyList<AbiValue> decoded = CowSettlement.Settle.DecodeCall(calldata);
        IReadOnlyList<AbiValue> trade = decoded[2].Items[0].Items;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decoded[0].Items.Select(t => t.Address), Is.EqualTo(new[] { Market.BaseToken, Market.QuoteToken }));
            Assert.That(decoded[1].Items.Select(p => p.Integer), Is.EqualTo(new BigInteger[] { 100 * 1_000_000, 1_000_000_000_000 }));
            Assert.That(trade[0].Integer, Is.EqualTo(BigInteger.Zero), "sells base");
            Assert.That(trade[3].Integer, Is.EqualTo(order.Order.SellAmount));
            Assert.That(trade[4].Integer, Is.EqualTo(order.Order.BuyAmount));
            Assert.That(trade[5].Integer, Is.EqualTo((BigInteger)ValidTo));
            Assert.That(trade[6].Bytes.ToArray(), Is.EqualTo(order.Order.AppData.ToArray()));
            Assert.That(trade[8].Integer, Is.EqualTo((BigInteger)((3 << 5) | 2)), "partially fillable sell, pre-signed");
            Assert.That(trade[9].Integer, Is.EqualTo((BigInteger)4 * 1_000_000_000_000), "all four lots sold");
            Assert.That(decoded[3].Items.Select(i => i.Items.Count), Is.All.Zero);
        }
    }

    /// <summary>For any value from 0 to 2^256 − 1 the uint256 word is its 32-byte big-endian form; anything outside is refused.</summary>
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property TheUint256WordIsBigEndian() => Prop.ForAll(
        Arb.From(
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32)
            from bits in Gen.Choose(0, 256)
            select new BigInteger(bytes, isUnsigned: true, isBigEndian: true) >> (256 - bits)),
        value =>
        {
            var word = new byte[40];
            Eip712.EncodeUInt(value, word);
            var expected = new byte[32];
            value.TryWriteBytes(expected.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
            bool narrowAgrees = true;
            if (value < (BigInteger.One << 128))
            {
                var narrow = new byte[32];
                Eip712.EncodeUInt((UInt128)value, narrow);
                narrowAgrees = narrow.AsSpan().SequenceEqual(word.AsSpan(0, 32));
            }

            return word.AsSpan(0, 32).SequenceEqual(expected) && word.AsSpan(32).IndexOfAnyExcept((byte)0) < 0 && narrowAgrees;
        });

    [Test]
    public void AUint256OutsideItsRangeIsRefused()
    {
        var word = new byte[32];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Eip712.EncodeUInt(BigInteger.One << 256, word), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Eip712.EncodeUInt(BigInteger.MinusOne, word), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Eip712.EncodeUInt(BigInteger.One, new byte[31]), Throws.ArgumentException);
        }
    }
}
