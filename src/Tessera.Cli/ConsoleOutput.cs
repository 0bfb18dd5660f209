using Spectre.Console;
using Tessera.Data;

namespace Tessera.Cli;

/// <summary>Progress display: Spectre.Console bars on an interactive terminal, plain lines otherwise (CI, pipes).</summary>
internal static class ConsoleOutput
{
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Fetches MNIST into <paramref name="directory"/> with a progress display.</summary>
    public static async Task FetchMnistAsync(string directory, CancellationToken cancellationToken)
    {
        MnistFetchOutcome outcome;
        if (Interactive)
        {
            outcome = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("MNIST: checking cache", maxValue: 1);
                    var progress = new Progress<DataFetchProgress>(p =>
                    {
                        task.Description = $"MNIST: {Markup.Escape(p.Description)}";
                        if (p.BytesTotal is > 0 and var total)
                        {
                            task.MaxValue = total;
                            task.Value = p.BytesCompleted;
                        }

                        if (p.Stage == DataFetchStage.Done)
                        {
                            task.Value = task.MaxValue;
                        }
                    });
                    return await MnistFetcher.FetchAsync(directory, progress, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        else
        {
            var lastStage = (DataFetchStage)(-1);
            var progress = new SynchronousProgress<DataFetchProgress>(p =>
            {
                if (p.Stage != lastStage)
                {
                    lastStage = p.Stage;
                    Console.WriteLine($"MNIST: {p.Description}");
                }
            });
            outcome = await MnistFetcher.FetchAsync(directory, progress, cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine(outcome switch
        {
            MnistFetchOutcome.AlreadyCached => $"MNIST: cached in {directory}",
            MnistFetchOutcome.VerifiedLocalFiles => $"MNIST: verified the files already in {directory}",
            _ => $"MNIST: downloaded and verified into {directory}",
        });
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="steps"/> steps (plain output when not interactive).</summary>
    public static T WithProgress<T>(string description, int steps, Func<IProgress<int>, T> work)
    {
        if (!Interactive)
        {
            return work(new SynchronousProgress<int>(_ => { }));
        }

        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(steps, 1));
                return work(new SynchronousProgress<int>(done => task.Value = done));
            });
    }

    /// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and can reorder).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
