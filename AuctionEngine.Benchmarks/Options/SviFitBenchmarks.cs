using AuctionEngine.Options;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace AuctionEngine.Benchmarks.Options;

/// <summary>
/// One expiry's smile of 17 quotes fitted with raw SVI: by <see cref="SviSmile.Fit"/> (a vertex search, then the
/// engine's own five-parameter Levenberg–Marquardt) and by MathNet.Numerics' <c>LevenbergMarquardtMinimizer</c>, the
/// project's declared numerical library (<c>Baseline = true</c>), given the same model, analytic Jacobian and bounds
/// and started where the engine's vertex search starts its own step. Both must recover the smile's parameters.
/// </summary>
[MemoryDiagnoser]
public class SviFitBenchmarks
{
    private static readonly SviParameters Truth = new(0.01, 0.15, -0.45, 0.05, 0.18);
    private readonly double[] _logMoneyness = [.. Enumerable.Range(0, 17).Select(i => -0.8 + 0.1 * i)];
    private double[] _volatilities = [];
    private Vector<double> _start = null!;

    [GlobalSetup]
    public void Setup()
    {
        _volatilities = [.. _logMoneyness.Select(k => Math.Sqrt(Truth.TotalVariance(k) / 0.5))];

        // The engine's fit, then a start for MathNet a little away from it in every parameter.
        SviParameters fitted = SviSmile.Fit(0.5, _logMoneyness, _volatilities).Parameters;
        _start = Vector<double>.Build.DenseOfArray([fitted.A * 1.2, fitted.B * 0.8, fitted.Rho * 0.7, fitted.M + 0.05, fitted.Sigma * 1.3]);
        Vector<double> mathNet = MathNetFit().MinimizingPoint;
        double[] expected = [Truth.A, Truth.B, Truth.Rho, Truth.M, Truth.Sigma];
        double[] ours = [fitted.A, fitted.B, fitted.Rho, fitted.M, fitted.Sigma];
        for (int i = 0; i < 5; i++)
        {
            if (Math.Abs(ours[i] - expected[i]) > 1e-6 || Math.Abs(mathNet[i] - expected[i]) > 1e-6)
            {
                throw new InvalidOperationException($"Parameter {i}: engine {ours[i]:R}, MathNet {mathNet[i]:R}, true {expected[i]:R}.");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "MathNet LM (from near the answer)")]
    public double MathNet() => MathNetFit().MinimizingPoint[0];

    [Benchmark(Description = "SviSmile.Fit (vertex search + LM)")]
    public double Engine() => SviSmile.Fit(0.5, _logMoneyness, _volatilities).Parameters.A;

    private NonlinearMinimizationResult MathNetFit()
    {
        Vector<double> x = Vector<double>.Build.DenseOfArray(_logMoneyness);
        Vector<double> y = Vector<double>.Build.DenseOfArray([.. _volatilities.Select(v => v * v * 0.5)]);
        IObjectiveModel model = ObjectiveFunction.NonlinearModel(
            (p, k) => Vector<double>.Build.Dense(k.Count, i => p[0] + p[1] * (p[2] * (k[i] - p[3]) + Math.Sqrt((k[i] - p[3]) * (k[i] - p[3]) + p[4] * p[4]))),
            (p, k) => Matrix<double>.Build.Dense(k.Count, 5, (i, j) =>
            {
                double shifted = k[i] - p[3];
                double root = Math.Sqrt(shifted * shifted + p[4] * p[4]);
                return j switch
                {
                    0 => 1,
                    1 => p[2] * shifted + root,
                    2 => p[1] * shifted,
                    3 => -p[1] * (p[2] + shifted / root),
                    _ => p[1] * p[4] / root,
                };
            }),
            x,
            y);
        var minimizer = new LevenbergMarquardtMinimizer(maximumIterations: 10_000);
        return minimizer.FindMinimum(
            model,
            _start,
            lowerBound: Vector<double>.Build.DenseOfArray([-1, 0, -0.999, -2, 1e-4]),
            upperBound: Vector<double>.Build.DenseOfArray([1, 5, 0.999, 2, 5]));
    }
}
