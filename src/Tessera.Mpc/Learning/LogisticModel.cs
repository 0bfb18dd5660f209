namespace Tessera.Mpc.Learning;

/// <summary>A plaintext (revealed) logistic-regression model: p = sigmoid(w · x + b).</summary>
/// <param name="Weights">The weights, one per feature.</param>
/// <param name="Bias">The bias.</param>
public sealed record LogisticModel(double[] Weights, double Bias)
{
    /// <summary>The probability of the positive class for one row.</summary>
    /// <param name="row">The features, as many as <see cref="Weights"/>.</param>
    /// <returns>sigmoid(w · x + b).</returns>
    /// <exception cref="ArgumentException">The row has another length.</exception>
    public double Probability(ReadOnlySpan<double> row)
    {
        if (row.Length != Weights.Length)
        {
            throw new ArgumentException($"The row has {row.Length} features; the model has {Weights.Length}.", nameof(row));
        }

        var z = Bias;
        for (var j = 0; j < row.Length; j++)
        {
            z += Weights[j] * row[j];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The fraction of rows whose thresholded probability (at 0.5) equals the label.</summary>
    /// <param name="features">Row-major features, rows x <see cref="Weights"/>.Length.</param>
    /// <param name="labels">0/1 labels, one per row.</param>
    /// <returns>The accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lengths do not fit.</exception>
    public double Accuracy(ReadOnlySpan<double> features, ReadOnlySpan<double> labels)
    {
        var d = Weights.Length;
        if (labels.Length == 0 || features.Length != labels.Length * d)
        {
            throw new ArgumentException(
                $"{features.Length} feature values do not make {labels.Length} rows of {d}.", nameof(features));
        }

        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var predicted = Probability(features.Slice(i * d, d)) >= 0.5 ? 1.0 : 0.0;
            correct += predicted == labels[i] ? 1 : 0;
        }

        return (double)correct / labels.Length;
    }
}
