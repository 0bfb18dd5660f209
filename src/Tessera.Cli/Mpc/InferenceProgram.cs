using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Tessera.Data;
using Tessera.Mpc;
using Tessera.Mpc.Nn;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Serialization;
using Tessera.Training;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Encrypted MNIST inference (use case 4): party 0 owns a trained model and encrypts it, party 1 (the client) encrypts
/// its test images, both run the model under MPC and only the client learns the predicted classes; the dealer serves on
/// request. After the encrypted run, and only to measure agreement, the owner sends the client its plaintext predictions
/// on the same (public) MNIST test images; the client also scores its predictions against its own labels.
/// </summary>
/// <param name="Model">The trained model on party 0; null on the other ranks.</param>
/// <param name="Images">How many test images (the first ones) the client classifies; public.</param>
/// <param name="Batch">Images per encrypted forward pass; public.</param>
/// <param name="DataDirectory">Where MNIST is cached.</param>
internal sealed record InferenceProgram(Module? Model, int Images, int Batch, string DataDirectory) : IMpcProgram
{
    private const double MnistMean = 0.1307;
    private const double MnistStd = 0.3081;

    public int Parties => 2;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var isOwner = session.Rank == 0;
        var images = session.Rank == 1 ? LoadTest(DataDirectory, Images) : null;
        var model = await EncryptedModel.EncryptAsync(session, 0, isOwner ? Model : null, cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var predictions = new List<int>(Images);
        for (var start = 0; start < Images; start += Batch)
        {
            var count = Math.Min(Batch, Images - start);
            var x = EncryptedTensor.Encrypt(
                session, 1, images is null ? null : images.Inputs.Narrow(0, start, count).Contiguous(), count, 1, 28, 28);
            var batch = await model.PredictToAsync(x, receiver: 1, cancellationToken).ConfigureAwait(false);
            predictions.AddRange(batch ?? []);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var sent = session.Communicator.Statistics;
        if (isOwner)
        {
            // Measurement only: the owner's plaintext predictions on its own copy of the public test images.
            var test = LoadTest(DataDirectory, Images);
            var plain = PlaintextPredictions(Model!, test.Inputs);
            var payload = new byte[plain.Length];
            for (var i = 0; i < plain.Length; i++)
            {
                payload[i] = (byte)plain[i];
            }

            await session.Communicator.SendAsync(1, payload, cancellationToken).ConfigureAwait(false);
            var labels = test.Targets.To(DType.Int64).ToArray<long>();
            lines.Add($"owner: encrypted {model.Spec.Type} with {model.Parameters().Sum(p => (long)p.Count):N0} parameters; it saw no images and no predictions");
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"owner: plaintext accuracy on the same {Images} public test images: {Accuracy(plain, labels):P2}"));
            return lines;
        }

        var plaintext = await session.Communicator.ReceiveAsync(0, cancellationToken).ConfigureAwait(false);
        var truth = images!.Targets.To(DType.Int64).ToArray<long>();
        var agree = predictions.Where((p, i) => p == plaintext[i]).Count();
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"client: classified {Images} encrypted images in {seconds:F1} s ({Images / seconds:F1} images/s, batch {Batch}); {sent.BytesSent / 1e6:F0} MB sent by the client"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"client: accuracy against its labels: {Accuracy(predictions, truth):P2}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"agreement with the plaintext model: {agree}/{Images} ({(double)agree / Images:P2}) (measurement only: the owner sent its plaintext predictions after the encrypted run)"));
        return lines;
    }

    /// <summary>LeNet-5 after one epoch of Adam (lr 1e-3, batch 64) on the 60,000 standardised training images.</summary>
    public static Module TrainLeNet(string directory, ulong seed, CancellationToken cancellationToken)
    {
        var train = Standardise(Mnist.Load(directory, MnistSplit.Train));
        var random = new SeededRandomSource(seed);
        var model = Models.LeNet5(random: random);
        var loader = new DataLoader(train, 64, shuffle: true, random: random);
        var result = Trainer.TrainEpoch(model, loader, new CrossEntropyLoss(), new Adam(model.Parameters(), 1e-3), cancellationToken: cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"owner: trained LeNet-5 for one epoch on {train.Count:N0} MNIST images (loss {result.MeanLoss:F4}, {result.Elapsed.TotalSeconds:F1} s, seed {seed})"));
        model.Eval();
        return model;
    }

    /// <summary>Loads a model saved by <c>tessera train --save</c> (weights plus its spec in the metadata).</summary>
    public static Module Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--model {path}: no such file; save one with tessera train --save.");
        }

        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue("tessera.spec", out var spec))
        {
            throw new ArgumentException($"--model {path} has no tessera.spec metadata; save it with tessera train --save.");
        }

        var model = ModuleFactory.FromJson(spec);
        model.LoadStateDict(file.Tensors);
        model.Eval();
        return model;
    }

    private static TensorDataset LoadTest(string directory, int count)
    {
        var test = Standardise(Mnist.Load(directory, MnistSplit.Test));
        return new TensorDataset(test.Inputs.Narrow(0, 0, count).Contiguous(), test.Targets.Narrow(0, 0, count).Contiguous());
    }

    private static TensorDataset Standardise(TensorDataset data) => new(data.Inputs.Sub(MnistMean).Div(MnistStd), data.Targets);

    private static int[] PlaintextPredictions(Module model, Tensor inputs)
    {
        var result = new List<int>();
        using (Autograd.NoGrad())
        {
            for (var start = 0; start < inputs.Size(0); start += 1000)
            {
                var count = Math.Min(1000, inputs.Size(0) - start);
                result.AddRange(model.Forward(inputs.Narrow(0, start, count)).ArgMax(-1).ToArray<long>().Select(v => (int)v));
            }
        }

        return [.. result];
    }

    private static double Accuracy(IReadOnlyList<int> predictions, long[] labels) =>
        (double)predictions.Where((p, i) => p == labels[i]).Count() / labels.Length;
}
