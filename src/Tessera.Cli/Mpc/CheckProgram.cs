using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Cli.Mpc;

/// <summary>
/// <c>tessera mpc check</c>: every operation of Tessera.Mpc on encrypted test vectors, decrypted and compared with the
/// plaintext result under the tolerance PROTOCOLS.md states for it, with 2 or more parties and the dealer serving on
/// request. The test vectors are public (drawn from a fixed seed, so every party can compute the expected values);
/// party 0 encrypts x, the last party encrypts y. Each party prints one line per operation and then
/// <c>check: N passed, M failed</c>.
/// </summary>
/// <param name="PartyCount">How many computing parties.</param>
internal sealed record CheckProgram(int PartyCount) : IMpcProgram
{
    private const int Count = 257;

    public int Parties => PartyCount;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var random = new SeededRandomSource(20261121);
        double[] Uniform(int count, double low, double high) =>
            [.. Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextDouble()))];
        var last = session.Parties - 1;
        EncryptedTensor Encrypt(int owner, double[] values, params int[] shape) =>
            EncryptedTensor.Encrypt(session, owner, session.Rank == owner ? Tensor.FromArray(values, shape) : null, shape);
        EncryptedTensor Of(SharedTensor shares) => EncryptedTensor.FromShares(shares);

        // Quantise the public vectors as the encoder does, so exact operations are compared exactly.
        var xs = Quantize(Uniform(Count, -4, 4));
        var ys = Quantize(Uniform(Count, -4, 4));
        xs[0] = 0;
        ys[1] = xs[1];
        ys[2] = xs[2] + Math.ScaleB(1, -session.FractionalBits);
        var positive = Quantize(Uniform(Count, 0.1, 100));
        var wide = Quantize(Uniform(Count, -20, 20));
        var expInputs = Quantize(Uniform(Count, -8, 4));
        var (m, k, n) = (8, 16, 4);
        var a = Quantize(Uniform(m * k, -2, 2));
        var b = Quantize(Uniform(k * n, -2, 2));
        var images = Quantize(Uniform(2 * 3 * 6 * 6, -1, 1));
        var kernels = Quantize(Uniform(4 * 3 * 3 * 3, -1, 1));

        var x = Encrypt(0, xs, Count);
        var y = Encrypt(last, ys, Count);
        var p = Encrypt(0, positive, Count);
        var w = Encrypt(0, wide, Count);
        var e = Encrypt(last, expInputs, Count);
        var lines = new List<string>();
        var (passed, failed) = (0, 0);

        await CheckAsync("add", x.Add(y), xs.Zip(ys, (u, v) => u + v), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("sub", x.Sub(y), xs.Zip(ys, (u, v) => u - v), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("neg", x.Neg(), xs.Select(u => -u), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("add public", x.Add(1.5), xs.Select(u => u + 1.5), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("sum", x.Sum(), [xs.Sum()], Absolute(0)).ConfigureAwait(false);
        await CheckAsync("mul public", await x.MulAsync(0.75, cancellationToken).ConfigureAwait(false), xs.Select(u => u * 0.75), Absolute(2e-5))
            .ConfigureAwait(false);
        await CheckAsync("mul", await x.MulAsync(y, cancellationToken).ConfigureAwait(false), xs.Zip(ys, (u, v) => u * v), Absolute(2e-5))
            .ConfigureAwait(false);
        await CheckAsync("square (x * x)", await x.MulAsync(x, cancellationToken).ConfigureAwait(false), xs.Select(u => u * u), Absolute(2e-5))
            .ConfigureAwait(false);
        var product = Plain.MatMul(a, b, m, k, n);
        await CheckAsync("matmul 8x16x4", await Encrypt(0, a, m, k).MatMulAsync(Encrypt(last, b, k, n), cancellationToken).ConfigureAwait(false),
            product, Absolute(2e-5)).ConfigureAwait(false);
        await CheckAsync("matmul public", await Encrypt(0, a, m, k).MatMulAsync(Tensor.FromArray(b, k, n), cancellationToken).ConfigureAwait(false),
            product, Absolute(2e-5)).ConfigureAwait(false);
        var conv = Tensor.FromArray(images, 2, 3, 6, 6).Conv2d(Tensor.FromArray(kernels, 4, 3, 3, 3), stride: 1, padding: 1).ToArray<double>();
        await CheckAsync("conv2d 2x3x6x6 * 4x3x3x3", await EncryptedTensor.Conv2dAsync(
            Encrypt(last, images, 2, 3, 6, 6), Encrypt(0, kernels, 4, 3, 3, 3), 1, 1, cancellationToken).ConfigureAwait(false),
            conv, Absolute(2e-5)).ConfigureAwait(false);
        await CheckAsync("less than", await x.LessThanAsync(y, cancellationToken).ConfigureAwait(false),
            xs.Zip(ys, (u, v) => u < v ? 1.0 : 0), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("greater than", await x.GreaterThanAsync(y, cancellationToken).ConfigureAwait(false),
            xs.Zip(ys, (u, v) => u > v ? 1.0 : 0), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("less or equal", await x.LessEqualAsync(y, cancellationToken).ConfigureAwait(false),
            xs.Zip(ys, (u, v) => u <= v ? 1.0 : 0), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("greater or equal", await x.GreaterEqualAsync(y, cancellationToken).ConfigureAwait(false),
            xs.Zip(ys, (u, v) => u >= v ? 1.0 : 0), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("equal", await x.EqualAsync(y, cancellationToken).ConfigureAwait(false),
            xs.Zip(ys, (u, v) => u == v ? 1.0 : 0), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("relu", await x.ReluAsync(cancellationToken).ConfigureAwait(false), xs.Select(u => Math.Max(u, 0)), Absolute(0))
            .ConfigureAwait(false);
        await CheckAsync("abs", await x.AbsAsync(cancellationToken).ConfigureAwait(false), xs.Select(Math.Abs), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("max", await x.MaxAsync(y, cancellationToken).ConfigureAwait(false), xs.Zip(ys, Math.Max), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("min", await x.MinAsync(y, cancellationToken).ConfigureAwait(false), xs.Zip(ys, Math.Min), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("exp [-8, 4]", Of(await session.ExpAsync(e.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            expInputs.Select(Math.Exp), (u, v) => Math.Abs(u - v) <= ((ExpRelativeBound(Math.Log(v)) + 2e-4) * v) + 1e-4, expInputs)
            .ConfigureAwait(false);
        await CheckAsync("reciprocal [0.1, 100]", Of(await session.ReciprocalAsync(p.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            positive.Select(u => 1 / u), (u, v) => Math.Abs(u - v) <= (2e-4 * v) + 3e-5, positive).ConfigureAwait(false);
        await CheckAsync("sigmoid [-20, 20]", Of(await session.SigmoidAsync(w.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            wide.Select(u => 1 / (1 + Math.Exp(-u))), Absolute(1.2e-3)).ConfigureAwait(false);
        await CheckAsync("tanh [-20, 20]", Of(await session.TanhAsync(w.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            wide.Select(Math.Tanh), Absolute(2.5e-3)).ConfigureAwait(false);
        await CheckAsync("inverse sqrt [0.1, 100]", Of(await session.InverseSqrtAsync(p.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            positive.Select(u => 1 / Math.Sqrt(u)), Relative(0.01)).ConfigureAwait(false);
        await CheckAsync("sqrt [0.1, 100]", Of(await session.SqrtAsync(p.Shares, cancellationToken: cancellationToken).ConfigureAwait(false)),
            positive.Select(Math.Sqrt), Relative(0.01)).ConfigureAwait(false);

        var divisor = Quantize(Uniform(Count, 0.5, 50));
        var logits = Quantize(Uniform(8 * 10, -8, 8));
        var pooled = Quantize(Uniform(2 * 3 * 6 * 6, -4, 4));
        pooled[1] = pooled[0];
        await CheckAsync("log [0.1, 100]", await p.LogAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
            positive.Select(u => Math.Log(u)), Absolute(0.01)).ConfigureAwait(false);
        await CheckAsync("div [-4, 4] / [0.5, 50]", await x.DivAsync(Encrypt(last, divisor, Count), cancellationToken: cancellationToken).ConfigureAwait(false),
            xs.Zip(divisor, (u, v) => u / v), (u, v) => Math.Abs(u - v) <= (2e-3 * Math.Abs(v)) + 2e-4).ConfigureAwait(false);
        var plainLogits = Tensor.FromArray(logits, 8, 10);
        var encryptedLogits = Encrypt(0, logits, 8, 10);
        await CheckAsync("softmax 8x10 [-8, 8]", await encryptedLogits.SoftmaxAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
            plainLogits.Softmax(-1).ToArray<double>(), Absolute(3e-3)).ConfigureAwait(false);
        await CheckAsync("log-softmax 8x10 [-8, 8]", await encryptedLogits.LogSoftmaxAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
            plainLogits.LogSoftmax(-1).ToArray<double>(), Absolute(0.02)).ConfigureAwait(false);
        await CheckAsync("argmax 8x10 (one-hot)", await encryptedLogits.ArgMaxAsync(cancellationToken).ConfigureAwait(false),
            OneHot(plainLogits.ArgMax(-1).ToArray<long>(), 10), Absolute(0)).ConfigureAwait(false);
        var plainPool = Tensor.FromArray(pooled, 2, 3, 6, 6);
        await CheckAsync("max pool 2x2 of 2x3x6x6", await Encrypt(last, pooled, 2, 3, 6, 6).MaxPool2dAsync((2, 2), cancellationToken: cancellationToken).ConfigureAwait(false),
            plainPool.MaxPool2d(2).ToArray<double>(), Absolute(0)).ConfigureAwait(false);
        await CheckAsync("avg pool 2x2 of 2x3x6x6", await Encrypt(last, pooled, 2, 3, 6, 6).AvgPool2dAsync((2, 2), cancellationToken: cancellationToken).ConfigureAwait(false),
            plainPool.AvgPool2d(2).ToArray<double>(), Absolute(2e-5)).ConfigureAwait(false);

        // A gradient through matmul, ReLU and a softmax cross-entropy-like sum, against Core's autograd.
        var weights = Encrypt(last, b, k, n).WithGrad();
        var hidden = await (await Encrypt(0, a, m, k).MatMulAsync(weights, cancellationToken).ConfigureAwait(false)).ReluAsync(cancellationToken).ConfigureAwait(false);
        await (await hidden.MulAsync(hidden, cancellationToken).ConfigureAwait(false)).Sum().BackwardAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var plainWeights = Tensor.FromArray((double[])b.Clone(), k, n).WithGrad();
        var plainHidden = Tensor.FromArray(a, m, k).MatMul(plainWeights).Relu();
        plainHidden.Mul(plainHidden).Sum().Backward();
        await CheckAsync("gradient of sum(relu(a w)^2) by w", weights.Grad!, plainWeights.Grad!.ToArray<double>(), Absolute(1e-3)).ConfigureAwait(false);

        // Reveal to one party: the others receive nothing.
        var toLast = await x.DecryptToAsync(last, cancellationToken).ConfigureAwait(false);
        var revealOk = session.Rank == last ? toLast is not null && toLast.ToArray<double>().SequenceEqual(xs) : toLast is null;
        Record("decrypt to one party", revealOk, revealOk ? "only party " + last.ToString(CultureInfo.InvariantCulture) + " learned it" : "wrong receiver or value");

        lines.Add($"check: {passed} passed, {failed} failed");
        return lines;

        async Task CheckAsync(string name, EncryptedTensor actual, IEnumerable<double> expected, Func<double, double, bool> within, double[]? inputs = null)
        {
            var got = (await actual.DecryptAsync(cancellationToken).ConfigureAwait(false)).ToArray<double>();
            var want = expected.ToArray();
            var worst = 0.0;
            var bad = -1;
            for (var i = 0; i < want.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
                if (bad < 0 && !within(got[i], want[i]))
                {
                    bad = i;
                }
            }

            var detail = bad < 0
                ? string.Create(CultureInfo.InvariantCulture, $"max abs error {worst:G3} over {want.Length}")
                : string.Create(CultureInfo.InvariantCulture, $"element {bad}{(inputs is null ? "" : $" (input {inputs[bad]:G6})")}: got {got[bad]:G6}, expected {want[bad]:G6}");
            Record(name, bad < 0 && got.Length == want.Length, detail);
        }

        void Record(string name, bool ok, string detail)
        {
            lines.Add($"{name}: {(ok ? "ok" : "FAILED")}, {detail}");
            (passed, failed) = ok ? (passed + 1, failed) : (passed, failed + 1);
        }

        double[] Quantize(double[] values) => session.Encoder.Decode(session.Encoder.Encode(Tensor.FromArray(values, values.Length))).ToArray<double>();
    }

    private static double[] OneHot(long[] indices, int classes)
    {
        var result = new double[indices.Length * classes];
        for (var i = 0; i < indices.Length; i++)
        {
            result[(i * classes) + indices[i]] = 1;
        }

        return result;
    }

    private static Func<double, double, bool> Absolute(double tolerance) => (got, want) => Math.Abs(got - want) <= tolerance;

    private static Func<double, double, bool> Relative(double tolerance) => (got, want) => Math.Abs(got - want) <= tolerance * Math.Abs(want);

    /// <summary>exp's limit approximation (1 + x/256)^256 falls short of e^x by this relative amount (PROTOCOLS.md).</summary>
    private static double ExpRelativeBound(double x) => 1 - Math.Exp((256 * Math.Log(1 + (x / 256))) - x);

    private static class Plain
    {
        public static double[] MatMul(double[] a, double[] b, int m, int k, int n) =>
            Tensor.FromArray(a, m, k).MatMul(Tensor.FromArray(b, k, n)).ToArray<double>();
    }
}
