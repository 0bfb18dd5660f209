using Xunit;

namespace Tessera.TestUtilities;

/// <summary>Checks autograd gradients against central finite differences in float64.</summary>
public static class GradientCheck
{
    /// <summary>
    /// Asserts that the gradient of sum(f(inputs) * w) for a fixed random w matches central differences for every input
    /// element. Inputs must be Float64 tensors that require gradients.
    /// </summary>
    public static void Assert(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double tolerance = 1e-5, ulong seed = 7)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        Tensor weights;
        using (Autograd.NoGrad())
        {
            var probe = f(inputs);
            weights = Tensor.Uniform(probe.Shape, new SeededRandomSource(seed), -1, 1, DType.Float64);
        }

        foreach (var input in inputs)
        {
            input.Grad = null;
        }

        var output = f(inputs);
        output.Mul(weights).Sum().Backward();
        for (var k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            if (!input.RequiresGrad)
            {
                continue;
            }

            var analytic = input.Grad?.ToArray<double>() ?? new double[input.Count];
            var data = input.AsSpan<double>();
            for (var i = 0; i < data.Length; i++)
            {
                var original = data[i];
                double plus;
                double minus;
                using (Autograd.NoGrad())
                {
                    input.AsSpan<double>()[i] = original + eps;
                    plus = f(inputs).Mul(weights).Sum().Item();
                    input.AsSpan<double>()[i] = original - eps;
                    minus = f(inputs).Mul(weights).Sum().Item();
                    input.AsSpan<double>()[i] = original;
                }

                var numeric = (plus - minus) / (2 * eps);
                var scale = Math.Max(1, Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                if (Math.Abs(numeric - analytic[i]) > tolerance * scale)
                {
                    Xunit.Assert.Fail($"Input {k}, element {i}: autograd {analytic[i]:G10}, finite difference {numeric:G10}.");
                }
            }
        }
    }

    /// <summary>A Float64 tensor of uniform values in [low, high) that requires gradients.</summary>
    public static Tensor Random(int[] shape, ulong seed, double low = -1, double high = 1) =>
        Tensor.Uniform(shape, new SeededRandomSource(seed), low, high, DType.Float64).WithGrad();
}
