using Tessera.Data;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Training;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>Real MNIST for tests: the tessera cache (TESSERA_HOME, XDG_CACHE_HOME/tessera or ~/.cache/tessera), fetched when absent.</summary>
internal static class MnistForTests
{
    public static async Task<string> DirectoryAsync()
    {
        var home = Environment.GetEnvironmentVariable("TESSERA_HOME");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(home) ? home
            : Path.Combine(!string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "tessera");
        var directory = Path.Combine(root, "data", "mnist");
        await MnistFetcher.FetchAsync(directory);
        return directory;
    }

    /// <summary>Standardised with MNIST's training mean and deviation, as <c>tessera train</c> does.</summary>
    public static TensorDataset Load(string directory, MnistSplit split)
    {
        var data = Mnist.Load(directory, split);
        return new TensorDataset(data.Inputs.Sub(0.1307).Div(0.3081), data.Targets);
    }

    /// <summary>LeNet-5 after one pass of Adam over the first <paramref name="trainImages"/> training images.</summary>
    public static Sequential TrainLeNet(string directory, int trainImages, ulong seed)
    {
        var train = Load(directory, MnistSplit.Train);
        var subset = new TensorDataset(train.Inputs.Narrow(0, 0, trainImages), train.Targets.Narrow(0, 0, trainImages));
        var random = new SeededRandomSource(seed);
        var model = Models.LeNet5(random: random);
        var optimizer = new Adam(model.Parameters(), 2e-3);
        Trainer.TrainEpoch(model, new DataLoader(subset, 64, shuffle: true, random: random), new CrossEntropyLoss(), optimizer);
        model.Eval();
        return model;
    }
}
