namespace Tessera.Core.Tests.Tensors;

/// <summary>Direct (loop-per-tap) convolution and pooling in double precision: the references the fast paths are checked against.</summary>
internal static class ConvReference
{
    public static double[] Conv2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b,
        (int H, int W) stride, (int H, int W) pad, (int H, int W) dil, int groups, out int[] shape)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        int o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        var oh = ((h + (2 * pad.H) - (dil.H * (kh - 1)) - 1) / stride.H) + 1;
        var ow = ((wd + (2 * pad.W) - (dil.W * (kw - 1)) - 1) / stride.W) + 1;
        shape = [n, o, oh, ow];
        var og = o / groups;
        var y = new double[n * o * oh * ow];
        for (var ni = 0; ni < n; ni++)
        {
            for (var oc = 0; oc < o; oc++)
            {
                var group = oc / og;
                for (var oy = 0; oy < oh; oy++)
                {
                    for (var ox = 0; ox < ow; ox++)
                    {
                        var sum = b?[oc] ?? 0;
                        for (var ci = 0; ci < cg; ci++)
                        {
                            var ic = (group * cg) + ci;
                            for (var i = 0; i < kh; i++)
                            {
                                for (var j = 0; j < kw; j++)
                                {
                                    var iy = (oy * stride.H) - pad.H + (i * dil.H);
                                    var ix = (ox * stride.W) - pad.W + (j * dil.W);
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                                    {
                                        sum += x[(((ni * c) + ic) * h * wd) + (iy * wd) + ix] * w[(((oc * cg) + ci) * kh * kw) + (i * kw) + j];
                                    }
                                }
                            }
                        }

                        y[(((ni * o) + oc) * oh * ow) + (oy * ow) + ox] = sum;
                    }
                }
            }
        }

        return y;
    }

    public static double[] Pool2d(double[] x, int[] xs, (int H, int W) k, (int H, int W) stride, (int H, int W) pad, bool max, out int[] shape)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        var oh = ((h + (2 * pad.H) - k.H) / stride.H) + 1;
        var ow = ((wd + (2 * pad.W) - k.W) / stride.W) + 1;
        shape = [n, c, oh, ow];
        var y = new double[n * c * oh * ow];
        for (var p = 0; p < n * c; p++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    var acc = max ? double.NegativeInfinity : 0;
                    for (var i = 0; i < k.H; i++)
                    {
                        for (var j = 0; j < k.W; j++)
                        {
                            var iy = (oy * stride.H) - pad.H + i;
                            var ix = (ox * stride.W) - pad.W + j;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                            {
                                var v = x[(p * h * wd) + (iy * wd) + ix];
                                acc = max ? Math.Max(acc, v) : acc + v;
                            }
                        }
                    }

                    y[(p * oh * ow) + (oy * ow) + ox] = max ? acc : acc / (k.H * k.W);
                }
            }
        }

        return y;
    }

    public static double[] Random(int count, SeededRandomSource random)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }

    public static Tensor Make(double[] values, int[] shape, DType dtype) => Tensor.FromArray((double[])values.Clone(), shape).To(dtype);

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            var scale = 1 + Math.Abs(expected[i]);
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * scale))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance})");
            }
        }
    }

    /// <summary>
    /// Checks the gradient that autograd gave <paramref name="leaf"/> against central differences of
    /// sum(f() * weights), perturbing the leaf's (Float64) storage in place.
    /// </summary>
    public static void CheckGradient(Tensor leaf, Func<Tensor> f, Tensor weights, string context, double h = 1e-6, double tolerance = 1e-6)
    {
        var analytic = leaf.Grad!.ToArray<double>();
        var data = leaf.AsSpan<double>();
        for (var i = 0; i < data.Length; i++)
        {
            var saved = data[i];
            data[i] = saved + h;
            double plus, minus;
            using (global::Tessera.Autograd.NoGrad())
            {
                plus = f().Mul(weights).Sum().Item();
                data = leaf.AsSpan<double>();
                data[i] = saved - h;
                minus = f().Mul(weights).Sum().Item();
            }

            data[i] = saved;
            var numeric = (plus - minus) / (2 * h);
            if (!(Math.Abs(numeric - analytic[i]) <= tolerance * (1 + Math.Abs(numeric))))
            {
                Assert.Fail($"{context}: gradient element {i} is {analytic[i]}, central difference gives {numeric}");
            }
        }
    }
}
