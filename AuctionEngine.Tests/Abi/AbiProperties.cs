using System.Numerics;
using AuctionEngine.Abi;
using AuctionEngine.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace AuctionEngine.Tests.Abi;

/// <summary>
/// Laws of the codec on generated types (every kind, nested three deep) and values (biased to the bounds): decoding
/// inverts encoding, and damage to an encoding is noticed.
/// </summary>
[TestFixture]
public sealed class AbiProperties
{
    private static readonly Arbitrary<(AbiType Type, AbiValue Value)> Cases = Arb.From(
        from type in Types(0)
        from value in Values(type)
        select (type, value));

    private static readonly Arbitrary<int[]> Flips = Arb.From(Gen.Choose(0, int.MaxValue).ArrayOf(16));

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property DecodingInvertsEncoding() => Prop.ForAll(Cases, c =>
    {
        byte[] encoding = AbiEncoder.Encode(c.Type, c.Value);
        return encoding.Length == AbiEncoder.GetEncodedLength(c.Type, c.Value) && encoding.Length % 32 == 0 &&
            AbiDecoder.Decode(c.Type, encoding).Equals(c.Value);
    });

    /// <summary>
    /// One flipped bit anywhere, half of them in the high bytes of a word where padding, offsets and lengths keep
    /// their zeros, either changes the value or is refused with the typed exception; anything else thrown fails.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AFlippedBitChangesTheValueOrIsRefused() => Prop.ForAll(Cases, Flips, (c, flips) =>
    {
        byte[] encoding = AbiEncoder.Encode(c.Type, c.Value);
        for (int i = 0; i < flips.Length; i++)
        {
            int bit = i % 2 == 0
                ? flips[i] % (encoding.Length * 8)
                : ((flips[i] % (encoding.Length / 32) * 32) + (flips[i] / 7 % 28)) * 8 + (flips[i] % 8);
            byte[] damaged = [.. encoding];
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                if (AbiDecoder.Decode(c.Type, damaged).Equals(c.Value))
                {
                    return false;
                }
            }
            catch (AbiDecodingException)
            {
            }
        }

        return true;
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property TruncatedOrExtendedEncodingsAreRefused() => Prop.ForAll(Cases, Arb.From(Gen.Choose(1, 64)), (c, cut) =>
    {
        byte[] encoding = AbiEncoder.Encode(c.Type, c.Value);
        byte[] shorter = encoding[..Math.Max(0, encoding.Length - cut)];
        byte[] longer = [.. encoding, .. new byte[cut]];
        return Refused(c.Type, shorter) && Refused(c.Type, longer);
    });

    private static bool Refused(AbiType type, byte[] data)
    {
        try
        {
            AbiDecoder.Decode(type, data);
            return false;
        }
        catch (AbiDecodingException)
        {
            return true;
        }
    }

    private static Gen<AbiType> Types(int depth) =>
        Gen.Choose(0, depth >= 3 ? 5 : 9).SelectMany(roll => roll switch
        {
            <= 5 => Elementary,
            6 => from element in Types(depth + 1) from length in Gen.Choose(1, 3) select AbiType.FixedArray(element, length),
            7 => Types(depth + 1).Select(AbiType.DynamicArray),
            _ => Gen.Choose(1, 3).SelectMany(count => Types(depth + 1).ArrayOf(count)).Select(AbiType.Tuple),
        });

    private static readonly Gen<AbiType> Elementary =
        from kind in Gen.Choose(0, 7)
        from size in Gen.Choose(1, 32)
        select kind switch
        {
            0 => AbiType.UInt(size * 8),
            1 => AbiType.Int(size * 8),
            2 => AbiType.Address,
            3 => AbiType.Bool,
            4 => AbiType.FixedBytes(size),
            5 => AbiType.Bytes,
            6 => AbiType.String,
            _ => size % 2 == 0 ? AbiType.UInt() : AbiType.Int(),
        };

    private static readonly string[] Characters = ["a", "Z", " ", "é", "€", "中", "𝄞", "\0"];

    private static Gen<AbiValue> Values(AbiType type) => type.Kind switch
    {
        AbiTypeKind.UInt or AbiTypeKind.Int => Integers(type),
        AbiTypeKind.Address => Bytes(Address.Length).Select(b => AbiValue.FromAddress(new Address(b))),
        AbiTypeKind.Bool => Gen.Elements(true, false).Select(AbiValue.FromBool),
        AbiTypeKind.FixedBytes => Bytes(type.Size).Select(b => AbiValue.FromBytes(b)),
        AbiTypeKind.Bytes => Gen.Elements(0, 1, 31, 32, 33, 70).SelectMany(Bytes).Select(b => AbiValue.FromBytes(b)),
        AbiTypeKind.String => Gen.Elements(Characters).ArrayOf().Select(s => AbiValue.FromString(string.Concat(s))),
        AbiTypeKind.FixedArray => Values(type.ElementType!).ArrayOf(type.Length).Select(AbiValue.Array),
        AbiTypeKind.DynamicArray => Gen.Elements(0, 0, 1, 2, 3).SelectMany(n => Values(type.ElementType!).ArrayOf(n)).Select(AbiValue.Array),
        _ => type.Components.Aggregate(
                Gen.Constant(Enumerable.Empty<AbiValue>()),
                (values, component) => from earlier in values from next in Values(component) select earlier.Append(next))
            .Select(values => AbiValue.Tuple([.. values])),
    };

    private static Gen<AbiValue> Integers(AbiType type)
    {
        BigInteger span = BigInteger.One << type.Size;
        BigInteger min = type.Kind == AbiTypeKind.UInt ? BigInteger.Zero : -(span / 2);
        BigInteger max = min + span - 1;
        Gen<BigInteger> uniform = Bytes(type.Size / 8).Select(b => min + new BigInteger(b, isUnsigned: true, isBigEndian: true));
        Gen<BigInteger> bound = Gen.Elements(min, min + 1, BigInteger.Zero, BigInteger.One, max - 1, max);
        return Gen.Choose(0, 1).SelectMany(pick => pick == 0 ? uniform : bound).Select(AbiValue.FromInteger);
    }

    private static Gen<byte[]> Bytes(int length) => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(length);
}
