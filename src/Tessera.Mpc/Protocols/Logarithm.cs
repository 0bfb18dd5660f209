using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// The natural logarithm of shared positive fixed-point values (CrypTen's method): a guess from one exp, then Householder
/// steps on exp. Range and measured error: PROTOCOLS.md.
/// </summary>
public static class Logarithm
{
    /// <summary>ln x elementwise for positive x (tested on [0.1, 100]).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">Iterations, order and the exp inside (defaults: 3, 8, 12 squarings).</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of ln x at the session's fractional bits.</returns>
    /// <exception cref="ArgumentException">The shares are not at the session's scale.</exception>
    public static async ValueTask<SharedTensor> LogAsync(
        this MpcSession session, SharedTensor x, LogOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        if (x.FractionalBits != session.FractionalBits)
        {
            throw new ArgumentException(
                $"The shares have {x.FractionalBits} fractional bits; log takes the session's {session.FractionalBits}.", nameof(x));
        }

        options ??= new LogOptions();
        options.Validate(session.FractionalBits);
        var shape = x.ShapeArray;

        // y0 = x / 120 - 20 exp(-2x - 1) + 3: both products at 2f, one truncation.
        var e = await session.ExpAsync(AddConstant(ArithmeticLinear.MultiplyPublic(x, -2), -1.0), options.Exp, cancellationToken)
            .ConfigureAwait(false);
        var guess = ArithmeticLinear.Add(
            ArithmeticLinear.MultiplyPublic(x, Tensor.Full(shape, 1.0 / 120, DType.Float64)),
            ArithmeticLinear.MultiplyPublic(e, Tensor.Full(shape, -20.0, DType.Float64)));
        var y = AddConstant(await session.RescaleAsync(guess, cancellationToken).ConfigureAwait(false), 3.0);

        for (var i = 0; i < options.Iterations; i++)
        {
            var ey = await session.ExpAsync(ArithmeticLinear.Negate(y), options.Exp, cancellationToken).ConfigureAwait(false);
            var xe = await session.RescaleAsync(await session.MulAsync(x, ey, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            var h = AddConstant(ArithmeticLinear.Negate(xe), 1.0);

            // h + h^2 / 2 + ... + h^k / k: the coefficients multiply at 2f and one truncation sums them.
            var power = h;
            var series = ArithmeticLinear.MultiplyPublic(h, Tensor.Ones(shape, DType.Float64));
            for (var k = 2; k <= options.Order; k++)
            {
                power = await session.RescaleAsync(await session.MulAsync(power, h, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
                series = ArithmeticLinear.Add(series, ArithmeticLinear.MultiplyPublic(power, Tensor.Full(shape, 1.0 / k, DType.Float64)));
            }

            var step = await session.RescaleAsync(series, cancellationToken).ConfigureAwait(false);
            y = ArithmeticLinear.Subtract(y, step);
        }

        return y;
    }

    private static SharedTensor AddConstant(SharedTensor x, double value) =>
        ArithmeticLinear.AddPublic(x, Tensor.Full(x.ShapeArray, value, DType.Float64));
}
