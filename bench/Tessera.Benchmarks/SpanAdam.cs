namespace Tessera.Benchmarks;

/// <summary>Adam (Kingma and Ba, 2015) with PyTorch's defaults, updating float32 parameters in place.</summary>
/// <remarks>
/// Stand-in until Tessera.Core has its optimizers: the lead replaces it with Core's <c>Adam</c> in
/// <see cref="TrainingSection"/>. Step t: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
/// </remarks>
internal sealed class SpanAdam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3)
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private readonly float[][] _m = [.. parameters.Select(p => new float[p.Count])];
    private readonly float[][] _v = [.. parameters.Select(p => new float[p.Count])];
    private int _step;

    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.Grad = null;
        }
    }

    public void Step()
    {
        _step++;
        var correction1 = 1 - Math.Pow(Beta1, _step);
        var correction2 = 1 - Math.Pow(Beta2, _step);
        var stepSize = (float)(learningRate / correction1);
        var rootCorrection2 = (float)Math.Sqrt(correction2);
        for (var i = 0; i < parameters.Count; i++)
        {
            var grad = parameters[i].Grad;
            if (grad is null)
            {
                continue;
            }

            var p = parameters[i].AsSpan<float>();
            var g = grad.Contiguous().AsSpan<float>();
            var m = _m[i];
            var v = _v[i];
            for (var j = 0; j < p.Length; j++)
            {
                m[j] = (float)((Beta1 * m[j]) + ((1 - Beta1) * g[j]));
                v[j] = (float)((Beta2 * v[j]) + ((1 - Beta2) * g[j] * g[j]));
                p[j] -= stepSize * m[j] / ((MathF.Sqrt(v[j]) / rootCorrection2) + (float)Epsilon);
            }
        }
    }
}
