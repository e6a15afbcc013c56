using AuctionEngine.Crypto.Internal;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Org.BouncyCastle.Math.EC;
using static AuctionEngine.Tests.Support.Secp256k1Values;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace AuctionEngine.Tests.Crypto;

/// <summary>
/// The constant-time multiplication against BouncyCastle's and the engine's variable-time one, its complete point
/// formulas at the identity and at doubling, and its schedule: the same reads and point operations for every scalar.
/// </summary>
[TestFixture]
public sealed class ConstantTimeMultiplicationTests
{
    private static readonly Arbitrary<BigInteger> Scalars = Arb.From(ShapedScalars);

    /// <summary>Points a·G for non-zero a of every shape.</summary>
    private static readonly Arbitrary<BigInteger> PointMultiples = Arb.From(ShapedNonZeroScalars);

    /// <summary>Scalars whose digits differ as much as they can: all zero, all fifteen, one digit set, alternating.</summary>
    private static readonly BigInteger[] ContrastingScalars =
    [
        BigInteger.Zero,
        BigInteger.One,
        BigInteger.ValueOf(15),
        BigInteger.One.ShiftLeft(252),
        BigInteger.ValueOf(15).ShiftLeft(252),
        BigInteger.One.ShiftLeft(252).Subtract(BigInteger.One),
        N.Subtract(BigInteger.One),
        N.Subtract(BigInteger.Two),
        N.ShiftRight(1),
        new BigInteger("0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F", 16),
        new BigInteger("F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0", 16),
        new BigInteger("00000000000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 16),
        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000000000000000000000000000", 16).Mod(N),
    ];

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property BaseMultiplicationMatchesBouncyCastleAndTheVariableTimeCode() => Prop.ForAll(Scalars, k =>
    {
        ProjectivePoint actual = ConstantTimeMultiplication.MultiplyBase(ToScalar(k));
        ECPoint expected = G.Multiply(k);
        return Same(actual, expected) && SameAffine(actual, CurveMultiplication.Multiply(AffinePoint.Generator, k));
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property PointMultiplicationMatchesBouncyCastleAndTheVariableTimeCode() => Prop.ForAll(PointMultiples, Scalars, (a, k) =>
    {
        ECPoint point = G.Multiply(a).Normalize();
        ProjectivePoint actual = ConstantTimeMultiplication.Multiply(Affine(point), ToScalar(k));
        return Same(actual, point.Multiply(k)) && SameAffine(actual, CurveMultiplication.Multiply(Affine(point), k));
    });

    [TestCaseSource(nameof(Edges))]
    public void EdgeScalarsGiveBouncyCastlesPoints(BigInteger k)
    {
        ECPoint point = G.Multiply(BigInteger.ValueOf(0x5eed)).Normalize();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Same(ConstantTimeMultiplication.MultiplyBase(ToScalar(k)), G.Multiply(k)), Is.True, "k·G");
            Assert.That(Same(ConstantTimeMultiplication.Multiply(Affine(point), ToScalar(k)), point.Multiply(k)), Is.True, "k·P");
            Assert.That(Same(ConstantTimeMultiplication.Multiply(AffinePoint.Generator, ToScalar(k)), G.Multiply(k)), Is.True, "k·G as a variable base");
        }
    }

    [Test]
    public void ZeroGivesTheIdentityAndOneGivesThePointItself()
    {
        ECPoint point = G.Multiply(BigInteger.ValueOf(77)).Normalize();
        Scalar zero = ToScalar(BigInteger.Zero);
        Scalar one = ToScalar(BigInteger.One);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ConstantTimeMultiplication.MultiplyBase(zero).TryToAffine(out _), Is.False);
            Assert.That(ConstantTimeMultiplication.Multiply(Affine(point), zero).TryToAffine(out _), Is.False);
            Assert.That(ConstantTimeMultiplication.MultiplyBase(one).TryToAffine(out AffinePoint g) && Matches(g, G), Is.True);
            Assert.That(ConstantTimeMultiplication.Multiply(Affine(point), one).TryToAffine(out AffinePoint p) && Matches(p, point), Is.True);
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property CompleteFormulasMatchBouncyCastleForEveryPair() => Prop.ForAll(PointMultiples, PointMultiples, (a, b) =>
    {
        ECPoint pa = G.Multiply(a);
        ECPoint pb = G.Multiply(b);

        // Projective inputs with Z ≠ 1, as a multiplication leaves them, and affine ones.
        ProjectivePoint ja = ConstantTimeMultiplication.MultiplyBase(ToScalar(a));
        ProjectivePoint jb = ConstantTimeMultiplication.MultiplyBase(ToScalar(b));
        AffinePoint ab = Affine(pb);
        var negated = new ProjectivePoint(-Affine(pa));
        ProjectivePoint identity = ProjectivePoint.Identity;
        return Same(ja.Add(jb), pa.Add(pb)) && Same(ja.Add(ab), pa.Add(pb)) && Same(ja.Double(), pa.Twice()) &&
            Same(ja.Add(ja), pa.Twice()) && Same(ja.Add(Affine(pa)), pa.Twice()) &&
            Same(ja.Add(negated), pa.Curve.Infinity) && Same(ja.Add(-Affine(pa)), pa.Curve.Infinity) &&
            Same(ja.Add(identity), pa) && Same(identity.Add(ja), pa) && Same(identity.Add(ab), pb);
    });

    [Test]
    public void TheIdentityNeedsNoSpecialCase()
    {
        ProjectivePoint identity = ProjectivePoint.Identity;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(identity.TryToAffine(out _), Is.False);
            Assert.That(identity.Double().TryToAffine(out _), Is.False);
            Assert.That(identity.Add(identity).TryToAffine(out _), Is.False);
            Assert.That(identity.Double().Double().Add(identity).TryToAffine(out _), Is.False);
        }
    }

    [Test]
    public void SelectionTakesOneOperandWhole()
    {
        ProjectivePoint g = ConstantTimeMultiplication.MultiplyBase(ToScalar(BigInteger.Two));
        ProjectivePoint identity = ProjectivePoint.Identity;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Same(ProjectivePoint.Select(ulong.MaxValue, g, identity), G.Twice()), Is.True);
            Assert.That(ProjectivePoint.Select(0, g, identity).TryToAffine(out _), Is.False);
        }
    }

    [Test]
    public void TheBaseScheduleIsTheSameForScalarsOfEveryShape()
    {
        List<string> expected = ExpectedBaseSchedule();

        using (Assert.EnterMultipleScope())
        {
            foreach (BigInteger k in ContrastingScalars)
            {
                Assert.That(BaseSchedule(k), Is.EqualTo(expected), $"k = {k.ToString(16)}");
            }
        }
    }

    [Test]
    public void ThePointScheduleIsTheSameForScalarsOfEveryShape()
    {
        List<string> expected = ExpectedPointSchedule();
        AffinePoint point = Affine(G.Multiply(BigInteger.ValueOf(1234567)));

        using (Assert.EnterMultipleScope())
        {
            foreach (BigInteger k in ContrastingScalars)
            {
                Assert.That(PointSchedule(point, k), Is.EqualTo(expected), $"k = {k.ToString(16)}");
            }
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property EveryScalarGetsTheFixedSchedule() => Prop.ForAll(Scalars, PointMultiples, (k, a) =>
        BaseSchedule(k).SequenceEqual(ExpectedBaseSchedule()) &&
        PointSchedule(Affine(G.Multiply(a)), k).SequenceEqual(ExpectedPointSchedule()));

    private static IEnumerable<TestCaseData> Edges()
    {
        BigInteger[] edges =
        [
            BigInteger.One, BigInteger.Two, BigInteger.Three, BigInteger.ValueOf(15), BigInteger.ValueOf(16), BigInteger.ValueOf(17),
            N.Subtract(BigInteger.One), N.Subtract(BigInteger.Two), N.Subtract(BigInteger.ValueOf(16)),
            N.ShiftRight(1), N.ShiftRight(1).Add(BigInteger.One),
            .. Enumerable.Range(0, 256).Where(b => b % 4 == 0 || b % 4 == 3 || b > 250).Select(b => BigInteger.One.ShiftLeft(b)),
            .. Enumerable.Range(1, 256).Where(b => b % 17 == 0 || b > 252).Select(b => BigInteger.One.ShiftLeft(b).Subtract(BigInteger.One).Mod(N)),
            .. ContrastingScalars,
        ];
        return edges.Select(k => new TestCaseData(k).SetArgDisplayNames(k.ToString(16)));
    }

    private static bool SameAffine(ProjectivePoint actual, JacobianPoint reference) =>
        actual.TryToAffine(out AffinePoint a)
            ? reference.TryToAffine(out AffinePoint b) && a.X.Equals(b.X) && a.Y.Equals(b.Y)
            : !reference.TryToAffine(out _);

    /// <summary>Window by window: read all fifteen entries, add, select.</summary>
    private static List<string> ExpectedBaseSchedule()
    {
        var steps = new List<string>();
        for (int window = 0; window < 64; window++)
        {
            steps.AddRange(Enumerable.Range(1, 15).Select(entry => $"read {window}.{entry}"));
            steps.Add("add");
            steps.Add("select");
        }

        return steps;
    }

    /// <summary>Fourteen additions build 2P … 15P; the top window is read; every lower one doubles four times, reads all sixteen entries and adds.</summary>
    private static List<string> ExpectedPointSchedule()
    {
        var steps = Enumerable.Repeat("add", 14).ToList();
        steps.AddRange(Enumerable.Range(0, 16).Select(entry => $"read 63.{entry}"));
        for (int window = 62; window >= 0; window--)
        {
            steps.AddRange(Enumerable.Repeat("double", 4));
            steps.AddRange(Enumerable.Range(0, 16).Select(entry => $"read {window}.{entry}"));
            steps.Add("add");
        }

        return steps;
    }

    private static List<string> BaseSchedule(BigInteger k)
    {
        RecordingTrace.Steps.Clear();
        ConstantTimeMultiplication.MultiplyBase<RecordingTrace>(ToScalar(k));
        return [.. RecordingTrace.Steps];
    }

    private static List<string> PointSchedule(AffinePoint point, BigInteger k)
    {
        RecordingTrace.Steps.Clear();
        ConstantTimeMultiplication.Multiply<RecordingTrace>(point, ToScalar(k));
        return [.. RecordingTrace.Steps];
    }

    /// <summary>Writes down each step: the window and entry of every table read, and every point operation.</summary>
    private readonly struct RecordingTrace : IMultiplicationTrace
    {
        [ThreadStatic]
        private static List<string>? steps;

        public static List<string> Steps => steps ??= [];

        public static void OnRead(int window, int entry) => Steps.Add($"read {window}.{entry}");

        public static void OnAddition() => Steps.Add("add");

        public static void OnDoubling() => Steps.Add("double");

        public static void OnSelection() => Steps.Add("select");
    }
}
