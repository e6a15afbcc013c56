namespace AuctionEngine.Options.Internal;

/// <summary>
/// Least-squares fit of raw SVI to one expiry's total variances: a coarse search over the vertex (m, σ), where the rest
/// of the fit is linear (Zeliade's quasi-explicit reduction), then Levenberg–Marquardt on all five parameters from the
/// best vertex.
/// </summary>
/// <remarks>
/// Levenberg–Marquardt on SVI alone is notoriously sensitive to its start: the objective is flat along the wings and
/// has local minima in (m, σ). For a fixed vertex, w = a + c·(k − m) + d·√((k − m)² + σ²) is linear in (a, c, d) with
/// b = d and ρ = c/d, so each vertex on the grid costs one 3×3 solve, and the best one starts Levenberg–Marquardt in
/// the right basin. The five-parameter problem is small enough that a hand-written normal-equations step beats a
/// general optimiser's bookkeeping; b, ρ and σ are optimised as ln b, artanh ρ and ln σ, which keeps every step valid.
/// </remarks>
internal static class SviFitter
{
    private const int MaxIterations = 500;

    public static SviParameters Fit(ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVariances, out double rootMeanSquareError)
    {
        (double a, double b, double rho, double m, double sigma) = StartingPoint(logMoneyness, totalVariances);
        Span<double> parameters = [a, Math.Log(Math.Max(b, 1e-12)), Math.Atanh(Math.Clamp(rho, -0.999, 0.999)), m, Math.Log(sigma)];
        double error = SumOfSquares(parameters, logMoneyness, totalVariances);
        double damping = 1e-3;
        Span<double> gradient = stackalloc double[5];
        Span<double> normal = stackalloc double[25];
        Span<double> system = stackalloc double[25];
        Span<double> step = stackalloc double[5];
        Span<double> trial = stackalloc double[5];
        Span<double> jacobianRow = stackalloc double[5];
        for (int iteration = 0; iteration < MaxIterations && error > 0; iteration++)
        {
            gradient.Clear();
            normal.Clear();
            for (int i = 0; i < logMoneyness.Length; i++)
            {
                double residual = Residual(parameters, logMoneyness[i], totalVariances[i], jacobianRow);
                for (int r = 0; r < 5; r++)
                {
                    gradient[r] += jacobianRow[r] * residual;
                    for (int c = 0; c < 5; c++)
                    {
                        normal[r * 5 + c] += jacobianRow[r] * jacobianRow[c];
                    }
                }
            }

            bool improved = false;
            while (damping < 1e12)
            {
                normal.CopyTo(system);
                for (int d = 0; d < 5; d++)
                {
                    system[d * 5 + d] += damping * Math.Max(normal[d * 5 + d], 1e-12);
                    step[d] = -gradient[d];
                }

                if (Solve(system, step))
                {
                    for (int d = 0; d < 5; d++)
                    {
                        trial[d] = parameters[d] + step[d];
                    }

                    double trialError = SumOfSquares(trial, logMoneyness, totalVariances);
                    if (trialError < error)
                    {
                        bool converged = error - trialError <= 1e-15 * error;
                        trial.CopyTo(parameters);
                        error = trialError;
                        damping = Math.Max(damping / 3, 1e-12);
                        improved = !converged;
                        break;
                    }
                }

                damping *= 4;
            }

            if (!improved)
            {
                break;
            }
        }

        rootMeanSquareError = Math.Sqrt(error / logMoneyness.Length);
        return ToParameters(parameters);
    }

    private static SviParameters ToParameters(ReadOnlySpan<double> p) =>
        new(p[0], Math.Exp(p[1]), Math.Clamp(Math.Tanh(p[2]), -1 + 1e-16, 1 - 1e-16), p[3], Math.Max(Math.Exp(p[4]), double.Epsilon));

    /// <summary>w(k) − target at the unconstrained parameters, and ∂w/∂(a, ln b, artanh ρ, m, ln σ) in <paramref name="jacobian"/>.</summary>
    private static double Residual(ReadOnlySpan<double> p, double k, double target, Span<double> jacobian)
    {
        double b = Math.Exp(p[1]), rho = Math.Tanh(p[2]), m = p[3], sigma = Math.Exp(p[4]);
        double y = k - m;
        double root = Math.Sqrt(y * y + sigma * sigma);
        jacobian[0] = 1;
        jacobian[1] = b * (rho * y + root);
        jacobian[2] = b * y * (1 - rho * rho);
        jacobian[3] = -b * (rho + y / root);
        jacobian[4] = b * sigma * sigma / root;
        return p[0] + b * (rho * y + root) - target;
    }

    private static double SumOfSquares(ReadOnlySpan<double> p, ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVariances)
    {
        double b = Math.Exp(p[1]), rho = Math.Tanh(p[2]), m = p[3], sigma = Math.Exp(p[4]);
        double sum = 0;
        for (int i = 0; i < logMoneyness.Length; i++)
        {
            double y = logMoneyness[i] - m;
            double residual = p[0] + b * (rho * y + Math.Sqrt(y * y + sigma * sigma)) - totalVariances[i];
            sum += residual * residual;
        }

        return double.IsFinite(sum) ? sum : double.PositiveInfinity;
    }

    /// <summary>The best vertex (m, σ) on a grid, with a, b and ρ from the linear least-squares fit at that vertex.</summary>
    private static (double A, double B, double Rho, double M, double Sigma) StartingPoint(ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVariances)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (double k in logMoneyness)
        {
            low = Math.Min(low, k);
            high = Math.Max(high, k);
        }

        double width = Math.Max(high - low, 1e-3);
        (double A, double B, double Rho, double M, double Sigma) best = (Mean(totalVariances), 0, 0, 0.5 * (low + high), 0.1 * width);
        double bestError = double.PositiveInfinity;
        Span<double> system = stackalloc double[9];
        Span<double> right = stackalloc double[3];
        for (int mi = 0; mi <= 20; mi++)
        {
            double m = low - 0.25 * width + 1.5 * width * mi / 20;
            for (int si = 0; si <= 12; si++)
            {
                double sigma = width * Math.Pow(10, -3 + 3.3 * si / 12);
                system.Clear();
                right.Clear();
                for (int i = 0; i < logMoneyness.Length; i++)
                {
                    double y = logMoneyness[i] - m;
                    double root = Math.Sqrt(y * y + sigma * sigma);
                    ReadOnlySpan<double> basis = [1, y, root];
                    for (int r = 0; r < 3; r++)
                    {
                        right[r] += basis[r] * totalVariances[i];
                        for (int c = 0; c < 3; c++)
                        {
                            system[r * 3 + c] += basis[r] * basis[c];
                        }
                    }
                }

                if (!Solve(system, right, 3))
                {
                    continue;
                }

                double a = right[0], c1 = right[1], d = right[2];
                if (!(d > 0) || Math.Abs(c1) >= d)
                {
                    continue; // not a valid SVI (b > 0, |ρ| < 1)
                }

                double error = 0;
                for (int i = 0; i < logMoneyness.Length; i++)
                {
                    double y = logMoneyness[i] - m;
                    double residual = a + c1 * y + d * Math.Sqrt(y * y + sigma * sigma) - totalVariances[i];
                    error += residual * residual;
                }

                if (error < bestError)
                {
                    bestError = error;
                    best = (a, d, c1 / d, m, sigma);
                }
            }
        }

        return best;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    private static bool Solve(Span<double> matrix, Span<double> right) => Solve(matrix, right, 5);

    /// <summary>Solves the n×n system in place by Gaussian elimination with partial pivoting; false if it is singular.</summary>
    private static bool Solve(Span<double> matrix, Span<double> right, int n)
    {
        for (int column = 0; column < n; column++)
        {
            int pivot = column;
            for (int row = column + 1; row < n; row++)
            {
                if (Math.Abs(matrix[row * n + column]) > Math.Abs(matrix[pivot * n + column]))
                {
                    pivot = row;
                }
            }

            if (!(Math.Abs(matrix[pivot * n + column]) > 1e-300))
            {
                return false;
            }

            if (pivot != column)
            {
                for (int c = 0; c < n; c++)
                {
                    (matrix[column * n + c], matrix[pivot * n + c]) = (matrix[pivot * n + c], matrix[column * n + c]);
                }

                (right[column], right[pivot]) = (right[pivot], right[column]);
            }

            for (int row = column + 1; row < n; row++)
            {
                double factor = matrix[row * n + column] / matrix[column * n + column];
                for (int c = column; c < n; c++)
                {
                    matrix[row * n + c] -= factor * matrix[column * n + c];
                }

                right[row] -= factor * right[column];
            }
        }

        for (int row = n - 1; row >= 0; row--)
        {
            double sum = right[row];
            for (int c = row + 1; c < n; c++)
            {
                sum -= matrix[row * n + c] * right[c];
            }

            right[row] = sum / matrix[row * n + row];
        }

        return true;
    }
}
