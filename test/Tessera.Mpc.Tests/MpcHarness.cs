using System.Collections.Concurrent;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>The outcome of an in-process run: each computing party's result, every communicator and the send log.</summary>
internal sealed record MpcRun<T>(T[] Results, ICommunicator[] Communicators, SentMessage[] Log)
{
    public int Dealer => Communicators.Length - 1;

    /// <summary>Messages sent under <paramref name="operation"/>.</summary>
    public IEnumerable<SentMessage> Sent(string operation) => Log.Where(m => m.Operation == operation);

    /// <summary>The dealer's sends after set-up, in the order it sent them: one correction per request.</summary>
    public SentMessage[] DealerCorrections => Log.Where(m => m.From == Dealer && m.Operation != "setup").ToArray();

    /// <summary>Asserts that request r's correction went to party r mod N, and to no one else.</summary>
    public void AssertCorrectionsRotate()
    {
        var corrections = DealerCorrections;
        var parties = Communicators.Length - 1;
        for (var request = 0; request < corrections.Length; request++)
        {
            Assert.Equal(request % parties, corrections[request].To);
        }
    }
}

/// <summary>
/// Runs N computing parties plus a trusted dealer in process, each on its own task. With a dealer script, the script must
/// serve the same requests, in the same order, as the parties make; without one, the dealer serves what party 0 announces.
/// </summary>
internal static class MpcHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the parties against a dealer in <see cref="DealerMode.OnRequest"/>: no script needed.</summary>
    public static Task<MpcRun<T>> RunAsync<T>(
        int parties, Func<MpcSession, Task<T>> party, MpcSessionOptions? options = null, IReadOnlyList<ICommunicator>? transport = null) =>
        RunAsync(parties, party, async d => await d.ServeRequestsAsync(), options, transport, DealerMode.OnRequest);

    public static async Task<MpcRun<T>> RunAsync<T>(
        int parties, Func<MpcSession, Task<T>> party, Func<TrustedDealer, Task> dealer, MpcSessionOptions? options = null,
        IReadOnlyList<ICommunicator>? transport = null, DealerMode mode = DealerMode.Scripted)
    {
        var log = new ConcurrentQueue<SentMessage>();
        var communicators = (transport ?? InProcessCommunicator.CreateGroup(parties + 1, Timeout))
            .Select(c => (ICommunicator)new RecordingCommunicator(c, log))
            .ToArray();
        var partyTasks = Enumerable.Range(0, parties).Select(rank => Task.Run(async () =>
        {
            await using var session = await MpcSession.CreateAsync(
                communicators[rank], parties, new DealerCorrelationProvider(mode), CryptoRandomSource.Instance, options);
            return await party(session);
        })).ToArray();
        var dealerTask = Task.Run(async () =>
        {
            using var trustedDealer = await TrustedDealer.CreateAsync(communicators[parties], CryptoRandomSource.Instance);
            await dealer(trustedDealer);
        });
        await Task.WhenAll(partyTasks.Cast<Task>().Append(dealerTask));
        return new MpcRun<T>(partyTasks.Select(t => t.Result).ToArray(), communicators, log.ToArray());
    }

    public static Task NoDealerWork(TrustedDealer dealer) => Task.CompletedTask;

    public static double[] Uniform(int count, double low, double high, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();
    }

    /// <summary>The value the ring actually holds after encoding with f fractional bits.</summary>
    public static double Quantize(double value, int fractionalBits = 16) =>
        Math.Round(value * Math.ScaleB(1.0, fractionalBits), MidpointRounding.ToEven) / Math.ScaleB(1.0, fractionalBits);
}
