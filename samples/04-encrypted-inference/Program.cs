// Use case 4, encrypted machine learning as a service, in one process: the model owner (party 0), the client (party 1)
// and the crypto provider (a trusted dealer, rank 2) each on their own task, talking only through in-process channels.
// Usage: dotnet run --project samples/04-encrypted-inference -c Release [-- IMAGES]
using System.Globalization;
using Tessera;
using Tessera.Data;
using Tessera.Mpc;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Nn;
using Tessera.Mpc.Providers;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Training;

var images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var mnist = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "tessera", "data", "mnist");
await MnistFetcher.FetchAsync(mnist);
TensorDataset Standardise(TensorDataset d) => new(d.Inputs.Sub(0.1307).Div(0.3081), d.Targets);

// The model owner trains LeNet-5 in plaintext (one epoch); the weights never leave her except as secret shares.
var train = Standardise(Mnist.Load(mnist, MnistSplit.Train));
var random = new SeededRandomSource(1);
var lenet = Models.LeNet5(random: random);
Trainer.TrainEpoch(lenet, new DataLoader(train, 64, shuffle: true, random: random), new CrossEntropyLoss(), new Adam(lenet.Parameters(), 1e-3));
lenet.Eval();

// The client holds test images.
var test = Standardise(Mnist.Load(mnist, MnistSplit.Test));
var pictures = test.Inputs.Narrow(0, 0, images).Contiguous();

var communicators = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(60));
async Task<int[]?> PartyAsync(int rank)
{
    await using var session = await MpcSession.CreateAsync(communicators[rank], 2, new DealerCorrelationProvider(), CryptoRandomSource.Instance);
    // --- the client's (and the owner's) few lines ---
    var model = await EncryptedModel.EncryptAsync(session, owner: 0, rank == 0 ? lenet : null);
    var x = EncryptedTensor.Encrypt(session, owner: 1, rank == 1 ? pictures : null, images, 1, 28, 28);
    return await model.PredictToAsync(x, receiver: 1);   // the predicted classes, on the client only
}

async Task DealerAsync()
{
    using var dealer = await TrustedDealer.CreateAsync(communicators[2], CryptoRandomSource.Instance);
    await dealer.ServeRequestsAsync();
}

var watch = System.Diagnostics.Stopwatch.StartNew();
var owner = Task.Run(() => PartyAsync(0));
var client = Task.Run(() => PartyAsync(1));
await Task.WhenAll(owner, client, Task.Run(DealerAsync));
var predictions = client.Result!;
Console.WriteLine($"owner learned: {(owner.Result is null ? "nothing" : "predictions?!")}");

var plain = lenet.Forward(pictures).ArgMax(-1).ToArray<long>();
var labels = test.Targets.Narrow(0, 0, images).Contiguous().To(DType.Int64).ToArray<long>();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"client: {images} encrypted predictions in {watch.Elapsed.TotalSeconds:F1} s; "
    + $"accuracy {predictions.Where((p, i) => p == labels[i]).Count() / (double)images:P2}; "
    + $"agreement with the plaintext model {predictions.Where((p, i) => p == plain[i]).Count()}/{images}"));
