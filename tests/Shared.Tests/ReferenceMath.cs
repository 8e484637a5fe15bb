using RnnSearch.Shared.Architecture;

namespace RnnSearch.Shared.Tests;

/// <summary>A row-major [rows × cols] block of doubles; a vector is a matrix with one column.</summary>
public sealed record Matrix(int Rows, int Cols, double[] Data)
{
    public double[] AsVector() => Cols == 1 ? Data : throw new InvalidOperationException($"a [{Rows} × {Cols}] matrix is not a vector");

    /// <summary>Rows [start, start + count): a gate's block of a stacked weight or bias.</summary>
    public Matrix RowBlock(int start, int count) => new(count, Cols, Data.AsSpan(start * Cols, count * Cols).ToArray());
}

/// <summary>
/// Double-precision vector arithmetic for the literal reference equations, counting FLOPs by the conventions of
/// docs/architecture-space.md: a matrix–vector product 2·in·out, an add or element-wise product 1 per element,
/// an activation 1 per element, a convex combination a + t ⊙ (b − a) 3, layer norm 5, softmax 3; slicing and
/// concatenation 0.
/// </summary>
public sealed class ReferenceMath
{
    public long Flops { get; private set; }

    public double[] Product(Matrix w, double[] v)
    {
        if (w.Cols != v.Length) throw new ArgumentException($"[{w.Rows} × {w.Cols}] times a vector of {v.Length}");
        Flops += 2L * w.Rows * w.Cols;
        var y = new double[w.Rows];
        for (var i = 0; i < w.Rows; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < w.Cols; j++) sum += w.Data[i * w.Cols + j] * v[j];
            y[i] = sum;
        }
        return y;
    }

    public double[] Affine(Matrix w, Matrix b, double[] v) => Add(Product(w, v), b.AsVector());

    public double[] Add(double[] a, double[] b) => Map2(a, b, (p, q) => p + q);

    public double[] Mul(double[] a, double[] b) => Map2(a, b, (p, q) => p * q);

    public double[] Tanh(double[] a) => Map(a, Math.Tanh);

    public double[] Sigmoid(double[] a) => Map(a, p => 1 / (1 + Math.Exp(-p)));

    public double[] Act(Activation act, double[] a) => act switch
    {
        Activation.Tanh => Tanh(a),
        Activation.Relu => Map(a, p => Math.Max(0, p)),
        Activation.Gelu => Map(a, p => 0.5 * p * (1 + Erf(p / Math.Sqrt(2)))),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    /// <summary>(1 − t) ⊙ a + t ⊙ b, computed as a + t ⊙ (b − a).</summary>
    public double[] Lerp(double[] a, double[] b, double[] t)
    {
        Flops += 3L * a.Length;
        return a.Select((p, i) => p + t[i] * (b[i] - p)).ToArray();
    }

    /// <summary>(v − mean) / √(biased variance + 1e-5) ⊙ γ + β, as torch.nn.LayerNorm.</summary>
    public double[] LayerNorm(double[] v, Matrix gamma, Matrix beta)
    {
        Flops += 5L * v.Length;
        var mean = v.Average();
        var variance = v.Select(p => (p - mean) * (p - mean)).Average();
        var scale = 1 / Math.Sqrt(variance + 1e-5);
        var g = gamma.AsVector();
        var b = beta.AsVector();
        return v.Select((p, i) => (p - mean) * scale * g[i] + b[i]).ToArray();
    }

    public double[] Softmax(double[] v)
    {
        Flops += 3L * v.Length;
        var max = v.Max();
        var e = v.Select(p => Math.Exp(p - max)).ToArray();
        var sum = e.Sum();
        return e.Select(p => p / sum).ToArray();
    }

    public static double[] Slice(double[] v, int start, int count) => v.AsSpan(start, count).ToArray();

    public static double[] Cat(params double[][] parts) => parts.SelectMany(p => p).ToArray();

    private double[] Map(double[] a, Func<double, double> f)
    {
        Flops += a.Length;
        return a.Select(f).ToArray();
    }

    private double[] Map2(double[] a, double[] b, Func<double, double, double> f)
    {
        if (a.Length != b.Length) throw new ArgumentException($"element-wise on vectors of {a.Length} and {b.Length}");
        Flops += a.Length;
        return a.Select((p, i) => f(p, b[i])).ToArray();
    }

    /// <summary>Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), far inside the tests' 1e-5 tolerance; .NET has no erf.</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1 - poly * Math.Exp(-x * x));
    }
}
