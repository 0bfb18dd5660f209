using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Mpc;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Providers;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera mpc infer [--images N] [--model FILE] [--processes]</c> (encrypted MNIST inference of LeNet-5: the owner's model,
/// the client's images, predictions for the client only; the last line is the agreement with the plaintext model),
/// <c>tessera mpc millionaires A B [--processes]</c> (Yao's millionaires; the last line is <c>richer: first|second|equal</c>),
/// <c>tessera mpc logreg [--epochs N] [--processes]</c> (encrypted logistic regression across two data owners; the last line
/// is Alice's accuracy), <c>tessera mpc train [--epochs N] [--processes]</c> (encrypted SGD training of an MLP, the same
/// split; the last line is Alice's accuracy), <c>tessera mpc party ...</c> (one rank of a session over TCP with TLS 1.3 and mutual certificates) and
/// <c>tessera mpc bench</c> (two parties and the dealer as separate processes on loopback).
/// </summary>
internal static class MpcCommand
{
    public static Command Create() => new("mpc", "Secure multi-party computation.") { Millionaires(), LogisticRegression(), Train(), Check(), Infer(), Party(), Bench() };

    private static Command Millionaires()
    {
        var first = new Argument<double>("first") { Description = "The first millionaire's wealth." };
        var second = new Argument<double>("second") { Description = "The second millionaire's wealth." };
        var processes = new Option<bool>("--processes") { Description = "Run each party and the dealer as its own process over TCP+TLS on loopback." };
        var command = new Command("millionaires", "Yao's millionaires: who is richer, revealing nothing else.") { first, second, processes };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var (a, b) = (MillionairesProgram.Check(parse.GetValue(first), "first"), MillionairesProgram.Check(parse.GetValue(second), "second"));
            if (!parse.GetValue(processes))
            {
                var lines = await MpcRunner.RunInProcessAsync(rank => new MillionairesProgram(rank == 0 ? a : rank == 1 ? b : null), 2, cancellationToken)
                    .ConfigureAwait(false);
                Console.WriteLine("two parties and a dealer in this process; each learns only the verdict.");
                Console.WriteLine(lines[0][^1]);
                return 0;
            }

            var results = await LocalMesh.RunAsync(3, rank => rank switch
            {
                0 => ["--program", "millionaires", "--wealth", a.ToString("R", CultureInfo.InvariantCulture)],
                1 => ["--program", "millionaires", "--wealth", b.ToString("R", CultureInfo.InvariantCulture)],
                _ => ["--program", "millionaires"],
            }, cancellationToken).ConfigureAwait(false);
            return Report(results, ["party 0", "party 1", "dealer"], lastLineOf: 0);
        }));
        return command;
    }

    private static Command LogisticRegression()
    {
        var epochs = new Option<int>("--epochs") { Description = "Passes over the 1000 patients.", DefaultValueFactory = _ => 3 };
        var processes = new Option<bool>("--processes") { Description = "Run each party and the dealer as its own process over TCP+TLS on loopback." };
        var command = new Command("logreg", "Encrypted logistic regression: Alice and Bob each hold 500 synthetic patients; only Alice learns the model.")
        {
            epochs, processes,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var count = CheckEpochs(parse.GetValue(epochs));
            if (!parse.GetValue(processes))
            {
                var lines = await MpcRunner.RunInProcessAsync(_ => new LogisticRegressionProgram(count), 2, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("two parties and a dealer in this process; the model is revealed to Alice (party 0) only.");
                foreach (var line in lines[1].Concat(lines[0]))
                {
                    Console.WriteLine(line);
                }

                return 0;
            }

            var text = count.ToString(CultureInfo.InvariantCulture);
            var results = await LocalMesh.RunAsync(3, _ => ["--program", "logreg", "--epochs", text], cancellationToken).ConfigureAwait(false);
            return Report(results, ["party 0", "party 1", "dealer"], lastLineOf: 0);
        }));
        return command;
    }

    private static Command Train()
    {
        var epochs = new Option<int>("--epochs") { Description = "Passes over the 1000 patients.", DefaultValueFactory = _ => 2 };
        var processes = new Option<bool>("--processes") { Description = "Run each party and the dealer as its own process over TCP+TLS on loopback." };
        var command = new Command("train", "Encrypted SGD training of a 30-16-1 MLP (use case 5): the model owner encrypts the model, Alice and Bob 500 patients each; only the owner learns the trained model.")
        {
            epochs, processes,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var count = CheckEpochs(parse.GetValue(epochs));
            if (!parse.GetValue(processes))
            {
                var lines = await MpcRunner.RunInProcessAsync(_ => new TrainProgram(count), 3, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("the model owner, Alice, Bob and a dealer in this process; the model is revealed to the owner (party 0) only.");
                foreach (var line in lines[1].Concat(lines[2]).Concat(lines[0]))
                {
                    Console.WriteLine(line);
                }

                return 0;
            }

            var text = count.ToString(CultureInfo.InvariantCulture);
            var results = await LocalMesh.RunAsync(4, _ => ["--program", "train", "--epochs", text], cancellationToken).ConfigureAwait(false);
            return Report(results, ["owner (party 0)", "Alice (party 1)", "Bob (party 2)", "dealer"], lastLineOf: 0);
        }));
        return command;
    }

    private static Command Infer()
    {
        var images = new Option<int>("--images") { Description = "How many MNIST test images the client classifies (1 to 10000).", DefaultValueFactory = _ => 10000 };
        var batch = new Option<int>("--batch") { Description = "Images per encrypted forward pass (1 to 1000).", DefaultValueFactory = _ => 100 };
        var model = new Option<FileInfo?>("--model") { Description = "The owner's model, saved by tessera train --save; without it the owner trains LeNet-5 for one epoch." };
        var seed = new Option<ulong?>("--seed") { Description = "Training seed when the owner trains." };
        var processes = new Option<bool>("--processes") { Description = "Run each party and the dealer as its own process over TCP+TLS on loopback." };
        var command = new Command("infer", "Encrypted MNIST inference: party 0 owns the model, party 1 the images; only party 1 learns the predictions.")
        {
            images, batch, model, seed, processes,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var (count, size) = (CheckInferImages(parse.GetValue(images)), CheckInferBatch(parse.GetValue(batch)));
            var directory = CliPaths.DataDirectory("mnist");
            await ConsoleOutput.FetchMnistAsync(directory, cancellationToken).ConfigureAwait(false);
            var file = parse.GetValue(model);
            var owned = file is not null
                ? InferenceProgram.Load(file.FullName)
                : InferenceProgram.TrainLeNet(directory, parse.GetValue(seed) ?? CryptoRandomSource.Instance.NextUInt64(), cancellationToken);
            if (!parse.GetValue(processes))
            {
                var lines = await MpcRunner.RunInProcessAsync(
                    rank => new InferenceProgram(rank == 0 ? owned : null, count, size, directory), 2, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("owner (party 0), client (party 1) and a dealer in this process; only the client learns the predictions.");
                foreach (var line in lines[0].Concat(lines[1]))
                {
                    Console.WriteLine(line);
                }

                return 0;
            }

            var saved = file?.FullName;
            var temporary = saved is null ? Directory.CreateTempSubdirectory("tessera-mpc-model-") : null;
            try
            {
                if (temporary is not null)
                {
                    saved = Path.Combine(temporary.FullName, "owner.safetensors");
                    Serialization.SafeTensors.Save(saved, owned.StateDict(), new Dictionary<string, string> { ["tessera.spec"] = owned.ToSpec().ToJson() });
                }

                string[] common = ["--program", "infer", "--images", count.ToString(CultureInfo.InvariantCulture), "--batch", size.ToString(CultureInfo.InvariantCulture)];
                var results = await LocalMesh.RunAsync(3, rank => rank == 0 ? [.. common, "--model", saved!] : common, cancellationToken).ConfigureAwait(false);
                return Report(results, ["owner (party 0)", "client (party 1)", "dealer"], lastLineOf: 1);
            }
            finally
            {
                temporary?.Delete(recursive: true);
            }
        }));
        return command;
    }

    private static int CheckInferImages(int images) =>
        images is >= 1 and <= 10000 ? images : throw new ArgumentException($"--images must be 1 to 10000, got {images}.");

    private static int CheckInferBatch(int batch) =>
        batch is >= 1 and <= 1000 ? batch : throw new ArgumentException($"--batch must be 1 to 1000, got {batch}.");

    private static int CheckEpochs(int epochs) =>
        epochs is >= 1 and <= 1000 ? epochs : throw new ArgumentException($"--epochs must be 1 to 1000, got {epochs}.");

    private static Command Check()
    {
        var parties = new Option<int>("--parties") { Description = "Computing parties, 2 to 5 (the dealer is one more).", DefaultValueFactory = _ => 2 };
        var processes = new Option<bool>("--processes") { Description = "Run each party and the dealer as its own process over TCP+TLS on loopback." };
        var command = new Command("check", "Run every encrypted operation on test vectors and compare it with plaintext under its stated tolerance.")
        {
            parties, processes,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var count = CheckParties(parse.GetValue(parties));
            IReadOnlyList<string> lines;
            if (!parse.GetValue(processes))
            {
                lines = (await MpcRunner.RunInProcessAsync(_ => new CheckProgram(count), count, cancellationToken).ConfigureAwait(false))[0];
                Console.WriteLine($"{count} parties and a dealer in this process.");
                foreach (var line in lines)
                {
                    Console.WriteLine(line);
                }
            }
            else
            {
                var text = count.ToString(CultureInfo.InvariantCulture);
                var results = await LocalMesh.RunAsync(count + 1, _ => ["--program", "check", "--parties", text], cancellationToken).ConfigureAwait(false);
                var names = Enumerable.Range(0, count).Select(r => $"party {r}").Append("dealer").ToArray();
                if (Report(results, names, lastLineOf: 0) != 0)
                {
                    return 1;
                }

                lines = results.Take(count).SelectMany(r => r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            }

            return lines.Any(l => l.Contains(": FAILED", StringComparison.Ordinal)) ? 1 : 0;
        }));
        return command;
    }

    private static int CheckParties(int parties) =>
        parties is >= 2 and <= 5 ? parties : throw new ArgumentException($"--parties must be 2 to 5, got {parties}.");

    private static Command Bench()
    {
        var json = new Option<bool>("--json") { Description = "Print party 0's figures as one JSON array (name, seconds, bestSeconds, repeats, megabytesSent, rounds, limitSeconds)." };
        var repeat = RepeatOption();
        var dealer = DealerOption();
        var command = new Command("bench",
            "Time mul, matmul, ReLU, sigmoid, exp, reciprocal, an MLP and a logistic-regression epoch with two parties and the dealer as "
            + "separate processes over TCP+TLS on loopback. Each line has a machine limit measured in the same run: "
            + "limit = L / link rate + rounds x round time + K / AES-CTR rate + (L / 8) x Beaver-combine time per element, where L is "
            + "the bytes on the busiest direction of the party link and K the keystream bytes party 0 drew (BENCHMARKS.md). Each line runs "
            + "--repeat times and prints the median and the best.")
        {
            json, repeat, dealer,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var asJson = parse.GetValue(json);
            var repeats = CheckRepeat(parse.GetValue(repeat)).ToString(CultureInfo.InvariantCulture);
            string[] options = ["--program", "bench", "--repeat", repeats, "--dealer", parse.GetValue(dealer)!];
            var results = await LocalMesh.RunAsync(3, _ => asJson ? [.. options, "--json"] : options, cancellationToken).ConfigureAwait(false);
            if (asJson && results.All(r => r.ExitCode == 0))
            {
                // Validate before printing, so a consumer never gets a half-written array.
                var text = results[0].Output.Trim();
                _ = BenchFigure.ParseJson(text);
                Console.WriteLine(text);
                return 0;
            }

            return Report(results, ["party 0", "party 1", "dealer"], lastLineOf: -1);
        }));
        return command;
    }

    private static Option<int> RepeatOption() =>
        new("--repeat") { Description = "bench: times each line runs (1 to 100); the median and the best are printed.", DefaultValueFactory = _ => 5 };

    private static Option<string> DealerOption()
    {
        var option = new Option<string>("--dealer")
        {
            Description = "bench: on-request (the default: the dealer computes each request when party 0 announces it) or scripted "
                + "(the dealer computes every line's material from the start, ahead of the parties).",
            DefaultValueFactory = _ => "on-request",
        };
        option.AcceptOnlyFromAmong("on-request", "scripted");
        return option;
    }

    private static int CheckRepeat(int repeat) =>
        repeat is >= 1 and <= 100 ? repeat : throw new ArgumentException($"--repeat must be 1 to 100, got {repeat}.");

    private static Command Party()
    {
        var rank = new Option<int>("--rank") { Description = "This process's rank (the dealer is the last).", Required = true };
        var endpoints = new Option<string>("--endpoints") { Description = "Every rank's HOST:PORT:NAME, comma-separated, in rank order.", Required = true };
        var cert = new Option<string>("--cert") { Description = "This rank's certificate (PEM), naming its endpoint.", Required = true };
        var key = new Option<string>("--key") { Description = "Its private key (PEM).", Required = true };
        var ca = new Option<string>("--ca") { Description = "The certificate authority every rank's certificate must chain to (PEM).", Required = true };
        var program = new Option<string>("--program") { Description = "millionaires, logreg, train, check, infer or bench.", Required = true };
        program.AcceptOnlyFromAmong("millionaires", "logreg", "train", "check", "infer", "bench");
        var wealth = new Option<double?>("--wealth") { Description = "millionaires: this party's wealth (ranks 0 and 1)." };
        var epochs = new Option<int>("--epochs") { Description = "logreg, train: passes over the 1000 patients.", DefaultValueFactory = _ => 3 };
        var checkParties = new Option<int>("--parties") { Description = "check: computing parties.", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "infer: test images the client classifies.", DefaultValueFactory = _ => 10000 };
        var batch = new Option<int>("--batch") { Description = "infer: images per forward pass.", DefaultValueFactory = _ => 100 };
        var model = new Option<FileInfo?>("--model") { Description = "infer: the owner's saved model (rank 0)." };
        var json = new Option<bool>("--json") { Description = "bench: party 0 prints its figures as one JSON array." };
        var repeat = RepeatOption();
        var dealer = DealerOption();
        var command = new Command("party", "Run one rank of a session over TCP with TLS 1.3 and mutual certificate authentication.")
        {
            rank, endpoints, cert, key, ca, program, wealth, epochs, checkParties, images, batch, model, json, repeat, dealer,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var parties = ParseEndpoints(parse.GetValue(endpoints)!);
            var me = parse.GetValue(rank);
            if (me < 0 || me >= parties.Count)
            {
                throw new ArgumentException($"--rank must be 0 to {parties.Count - 1} for {parties.Count} endpoints, got {me}.");
            }

            using var certificate = X509Certificate2.CreateFromPemFile(parse.GetValue(cert)!, parse.GetValue(key)!);
            using var authority = X509CertificateLoader.LoadCertificateFromFile(parse.GetValue(ca)!);
            IMpcProgram chosen = parse.GetValue(program) switch
            {
                "bench" => new BenchProgram(parse.GetValue(json), CheckRepeat(parse.GetValue(repeat)),
                    parse.GetValue(dealer) == "scripted" ? DealerMode.Scripted : DealerMode.OnRequest),
                "logreg" => new LogisticRegressionProgram(CheckEpochs(parse.GetValue(epochs))),
                "train" => new TrainProgram(CheckEpochs(parse.GetValue(epochs))),
                "check" => new CheckProgram(CheckParties(parse.GetValue(checkParties))),
                "infer" => new InferenceProgram(
                    me == 0 ? InferenceProgram.Load((parse.GetValue(model) ?? throw new ArgumentException("--model is needed for the owner (rank 0) of infer.")).FullName) : null,
                    CheckInferImages(parse.GetValue(images)), CheckInferBatch(parse.GetValue(batch)), CliPaths.DataDirectory("mnist")),
                _ => new MillionairesProgram(me < parties.Count - 1 ? MillionairesProgram.Check(
                    parse.GetValue(wealth) ?? throw new ArgumentException("--wealth is needed for a party of millionaires."), "--wealth") : null),
            };
            if (chosen.Parties != parties.Count - 1)
            {
                throw new ArgumentException($"{parse.GetValue(program)} runs {chosen.Parties} parties and a dealer: give {chosen.Parties + 1} endpoints.");
            }

            foreach (var line in await MpcRunner.RunOverTcpAsync(chosen, parties, me, certificate, authority, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine(line);
            }

            if (me == parties.Count - 1 && !parse.GetValue(json))
            {
                Console.WriteLine(chosen.Mode == DealerMode.Scripted
                    ? "served the correlated randomness; received nothing from the parties."
                    : "served the correlated randomness party 0 asked for (kinds and sizes only; no values).");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Parses HOST:PORT:NAME,... into endpoints, naming the bad entry.</summary>
    internal static IReadOnlyList<TcpPartyEndpoint> ParseEndpoints(string text)
    {
        var list = new List<TcpPartyEndpoint>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"--endpoints: '{entry}' is not HOST:PORT:NAME with a port from 1 to 65535.");
            }

            list.Add(new TcpPartyEndpoint(parts[0], port, parts[2]));
        }

        return list.Count >= 3 ? list : throw new ArgumentException("--endpoints needs at least two parties and a dealer.");
    }

    internal static int Report(IReadOnlyList<(int ExitCode, string Output, string Error)> results, string[] names, int lastLineOf)
    {
        for (var i = 0; i < results.Count; i++)
        {
            foreach (var line in results[i].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Console.WriteLine($"{names[i]}: {line}");
            }

            if (results[i].ExitCode != 0)
            {
                Console.Error.WriteLine($"{names[i]} failed ({results[i].ExitCode}): {results[i].Error.Trim()}");
            }
        }

        if (results.Any(r => r.ExitCode != 0))
        {
            return 1;
        }

        if (lastLineOf >= 0)
        {
            Console.WriteLine(results[lastLineOf].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
        }

        return 0;
    }
}
