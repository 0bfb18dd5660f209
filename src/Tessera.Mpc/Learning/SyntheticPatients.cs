namespace Tessera.Mpc.Learning;

/// <summary>
/// A deterministic, seeded "medical-style" tabular dataset for examples and tests: standardized features (zero mean, unit
/// variance per column, mildly correlated in blocks like lab panels) and a binary outcome drawn from a logistic ground
/// truth with Gaussian noise on the logit. Not real data; no privacy meaning.
/// </summary>
public sealed class SyntheticPatients
{
    private SyntheticPatients(double[] features, double[] labels, double[] trueWeights, double trueBias, int rows, int columns)
    {
        Features = features;
        Labels = labels;
        TrueWeights = trueWeights;
        TrueBias = trueBias;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Row-major features, <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public double[] Features { get; }

    /// <summary>Outcomes, 0 or 1, one per row.</summary>
    public double[] Labels { get; }

    /// <summary>The ground-truth weights of the logit.</summary>
    public double[] TrueWeights { get; }

    /// <summary>The ground-truth bias of the logit.</summary>
    public double TrueBias { get; }

    /// <summary>Patients (rows).</summary>
    public int Rows { get; }

    /// <summary>Features per patient (columns).</summary>
    public int Columns { get; }

    /// <summary>Generates the dataset.</summary>
    /// <param name="patients">Rows (at least 2).</param>
    /// <param name="features">Columns (at least 1).</param>
    /// <param name="seed">The seed; the same seed gives the same data.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise added to the logit (default 0.5).</param>
    /// <returns>The dataset.</returns>
    public static SyntheticPatients Generate(int patients, int features, ulong seed, double noise = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patients, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var random = new SeededRandomSource(seed);
        var weights = new double[features];
        for (var j = 0; j < features; j++)
        {
            // A few strong risk factors, many weak ones.
            weights[j] = random.NextGaussian() * (j % 5 == 0 ? 1.0 : 0.25);
        }

        const double bias = -0.4;
        var x = new double[patients * features];
        for (var i = 0; i < patients; i++)
        {
            var panel = 0.0;
            for (var j = 0; j < features; j++)
            {
                if (j % 5 == 0)
                {
                    panel = random.NextGaussian();
                }

                x[(i * features) + j] = (0.6 * panel) + (0.8 * random.NextGaussian());
            }
        }

        Standardize(x, patients, features);
        var labels = new double[patients];
        for (var i = 0; i < patients; i++)
        {
            var logit = bias + (noise * random.NextGaussian());
            for (var j = 0; j < features; j++)
            {
                logit += weights[j] * x[(i * features) + j];
            }

            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        }

        return new SyntheticPatients(x, labels, weights, bias, patients, features);
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 as a [count, Columns] tensor.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">Rows.</param>
    /// <returns>The features (Float64, a copy).</returns>
    public Tensor FeatureRows(int start, int count)
    {
        CheckRange(start, count);
        return Tensor.FromArray(Features.AsSpan(start * Columns, count * Columns).ToArray(), count, Columns);
    }

    /// <summary>Labels of rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 as [count, 1].</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">Rows.</param>
    /// <returns>The labels (Float64, a copy).</returns>
    public Tensor LabelRows(int start, int count)
    {
        CheckRange(start, count);
        return Tensor.FromArray(Labels.AsSpan(start, count).ToArray(), count, 1);
    }

    private void CheckRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start} .. {start + count - 1} are outside 0 .. {Rows - 1}.");
        }
    }

    private static void Standardize(double[] x, int rows, int columns)
    {
        for (var j = 0; j < columns; j++)
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < rows; i++)
            {
                sum += x[(i * columns) + j];
            }

            var mean = sum / rows;
            for (var i = 0; i < rows; i++)
            {
                var d = x[(i * columns) + j] - mean;
                squares += d * d;
            }

            var std = Math.Sqrt(squares / rows);
            for (var i = 0; i < rows; i++)
            {
                x[(i * columns) + j] = (x[(i * columns) + j] - mean) / (std > 0 ? std : 1);
            }
        }
    }
}
