using Tessera.NN;

namespace Tessera.Privacy.Training;

/// <summary>Architectures that train well under DP-SGD.</summary>
public static class DpModels
{
    /// <summary>
    /// Opacus' MNIST SampleConvNet for 1x28x28 inputs: Conv(1, 16, 8, stride 2, pad 3) Tanh MaxPool(2, stride 1),
    /// Conv(16, 32, 4, stride 2) Tanh MaxPool(2, stride 1), Flatten, Linear(512, 32) Tanh, Linear(32, classes);
    /// 26,010 parameters for 10 classes.
    /// </summary>
    /// <remarks>
    /// Small models lose less signal to the noise, whose norm grows with the square root of the parameter count; tanh
    /// keeps activations bounded, which helps under clipping (Papernot et al. 2020, tempered sigmoids). No batch norm.
    /// </remarks>
    /// <param name="classes">Output classes; positive.</param>
    /// <param name="random">Initialisation randomness.</param>
    public static Sequential SampleConvNet(int classes = 10, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        random ??= CryptoRandomSource.Instance;
        return new Sequential(
            new NN.Conv2d(1, 16, 8, stride: 2, padding: 3, random: random),
            new Tanh(),
            new MaxPool2d(2, stride: 1),
            new NN.Conv2d(16, 32, 4, stride: 2, random: random),
            new Tanh(),
            new MaxPool2d(2, stride: 1),
            new Flatten(),
            new Linear(32 * 4 * 4, 32, random: random),
            new Tanh(),
            new Linear(32, classes, random: random));
    }
}
