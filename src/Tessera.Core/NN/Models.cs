namespace Tessera.NN;

/// <summary>Ready-made architectures used by the CLI, samples and benchmarks.</summary>
public static class Models
{
    /// <summary>A multi-layer perceptron: Flatten, then Linear + ReLU for each hidden size, then a Linear output.</summary>
    /// <param name="sizes">Input size, hidden sizes, output size (at least two values, all positive).</param>
    /// <param name="random">Initialisation randomness.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes, or a size is not positive.</exception>
    public static Sequential Mlp(int[] sizes, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < 2 || sizes.Any(s => s <= 0))
        {
            throw new ArgumentException($"An MLP needs at least an input and an output size, all positive; got {ShapeHelpers.Format(sizes)}.", nameof(sizes));
        }

        random ??= Init.DefaultRandom();
        var model = new Sequential(new Flatten());
        for (var i = 0; i < sizes.Length - 1; i++)
        {
            model.Add(new Linear(sizes[i], sizes[i + 1], random: random));
            if (i < sizes.Length - 2)
            {
                model.Add(new ReLU());
            }
        }

        return model;
    }

    /// <summary>
    /// LeNet-5 for 1x28x28 inputs: Conv(1, 6, 5, pad 2) ReLU MaxPool(2), Conv(6, 16, 5) ReLU MaxPool(2), Flatten,
    /// Linear(400, 120) ReLU, Linear(120, 84) ReLU, Linear(84, classes).
    /// </summary>
    /// <param name="classes">Output classes.</param>
    /// <param name="random">Initialisation randomness.</param>
    public static Sequential LeNet5(int classes = 10, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        random ??= Init.DefaultRandom();
        return new Sequential(
            new Conv2d(1, 6, 5, padding: 2, random: random),
            new ReLU(),
            new MaxPool2d(2),
            new Conv2d(6, 16, 5, random: random),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(400, 120, random: random),
            new ReLU(),
            new Linear(120, 84, random: random),
            new ReLU(),
            new Linear(84, classes, random: random));
    }
}
