using System.Numerics;

namespace Tessera.Optim;

/// <summary>
/// Adam (Kingma and Ba 2015) with bias correction; weight decay is the L2 penalty added to the gradient, as PyTorch's Adam.
/// Use <see cref="AdamW"/> for decoupled weight decay.
/// </summary>
public class Adam : Optimizer
{
    private readonly Array?[] _m;
    private readonly Array?[] _v;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="beta1">First-moment decay in [0, 1).</param>
    /// <param name="beta2">Second-moment decay in [0, 1).</param>
    /// <param name="eps">Added to the denominator; positive.</param>
    /// <param name="weightDecay">L2 penalty; non-negative.</param>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Beta1 = CheckUnitInterval(beta1, nameof(beta1));
        Beta2 = CheckUnitInterval(beta2, nameof(beta2));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        Eps = eps;
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        _m = new Array?[Parameters.Count];
        _v = new Array?[Parameters.Count];
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW) rather than an L2 penalty.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => UpdateTyped(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => UpdateTyped(index, parameter, gradient);

    private void UpdateTyped<T>(int index, Span<T> p, ReadOnlySpan<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = (T[])(_m[index] ??= new T[p.Length]);
        var v = (T[])(_v[index] ??= new T[p.Length]);
        var t = StepCount;
        var b1 = T.CreateTruncating(Beta1);
        var b2 = T.CreateTruncating(Beta2);
        var c1 = T.One - b1;
        var c2 = T.One - b2;
        var stepSize = T.CreateTruncating(LearningRate / (1 - Math.Pow(Beta1, t)));
        var invSqrtBias2 = T.CreateTruncating(1 / Math.Sqrt(1 - Math.Pow(Beta2, t)));
        var eps = T.CreateTruncating(Eps);
        var wd = T.CreateTruncating(WeightDecay);
        var decay = DecoupledWeightDecay ? T.One - T.CreateTruncating(LearningRate * WeightDecay) : T.One;
        var l2 = DecoupledWeightDecay ? T.Zero : wd;

        var i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<T>.Count)
        {
            var vb1 = new Vector<T>(b1);
            var vb2 = new Vector<T>(b2);
            var vc1 = new Vector<T>(c1);
            var vc2 = new Vector<T>(c2);
            var vStep = new Vector<T>(stepSize);
            var vInv = new Vector<T>(invSqrtBias2);
            var vEps = new Vector<T>(eps);
            var vDecay = new Vector<T>(decay);
            var vL2 = new Vector<T>(l2);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pv = new Vector<T>(p[i..]);
                var gv = new Vector<T>(g[i..]) + (vL2 * pv);
                var mv = (vb1 * new Vector<T>(m.AsSpan(i))) + (vc1 * gv);
                var vv = (vb2 * new Vector<T>(v.AsSpan(i))) + (vc2 * gv * gv);
                mv.CopyTo(m.AsSpan(i));
                vv.CopyTo(v.AsSpan(i));
                pv = (pv * vDecay) - (vStep * mv / ((Vector.SquareRoot(vv) * vInv) + vEps));
                pv.CopyTo(p[i..]);
            }
        }

        for (; i < p.Length; i++)
        {
            var gi = g[i] + (l2 * p[i]);
            m[i] = (b1 * m[i]) + (c1 * gi);
            v[i] = (b2 * v[i]) + (c2 * gi * gi);
            p[i] = (p[i] * decay) - (stepSize * m[i] / ((T.Sqrt(v[i]) * invSqrtBias2) + eps));
        }
    }
}
