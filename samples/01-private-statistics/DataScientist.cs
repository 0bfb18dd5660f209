using Tessera.Client;
using Tessera.Contracts;

namespace Tessera.Samples.PrivateStatistics;

/// <summary>What the data scientist learned: the two means the owner released, a DP mean, and nothing else.</summary>
/// <param name="MeanWeight">The mean birth weight (kg), released by the owner.</param>
/// <param name="MeanHeight">The mean birth length (cm), released by the owner.</param>
/// <param name="DpMeanWeight">The mean birth weight under differential privacy, or null without a budget.</param>
internal sealed record PrivateStatisticsResult(double MeanWeight, double MeanHeight, double? DpMeanWeight);

/// <summary>
/// Use case 1, the data scientist's side: find birth records through the network gateway, look at the schema and the mock,
/// be refused the raw values, compute the sum and the means on the hospital's node, get a mean at once under differential
/// privacy within her budget, ask for the exact means, and read them once the data owner approves. She never receives a
/// row. (This file is also compiled into <c>tessera demo</c>.)
/// </summary>
internal static class DataScientist
{
    public static readonly string[] Tags = ["birth-records", "february"];

    public static async Task<PrivateStatisticsResult> RunAsync(Uri gateway, string email, string password, HttpClient? http, TextWriter output,
        TimeSpan decisionTimeout, CancellationToken cancellationToken)
    {
        // 1. Ask the network, not the hospital: she does not know where the data lives.
        using var network = TesseraNetwork.Connect(gateway, http);
        var domains = await network.SearchAsync(Tags, cancellationToken).ConfigureAwait(false);
        for (var tries = 0; domains.Count == 0 && tries < 60; tries++)
        {
            // A node appears once its first heartbeat reaches the gateway.
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            domains = await network.SearchAsync(Tags, cancellationToken).ConfigureAwait(false);
        }
        foreach (var d in domains)
        {
            foreach (var listed in d.Datasets)
            {
                output.WriteLine($"found on the network: {d.Name} -> {listed.Name} (dataset {listed.Id}) at {d.Url}");
            }
        }

        var domain = domains.FirstOrDefault(d => d.Datasets.Count > 0)
            ?? throw new InvalidOperationException($"No domain on {gateway} lists a dataset tagged {string.Join(", ", Tags)}.");

        // 2. Log in to that domain; read the description and schema; explore the mock twin.
        using var client = await DomainClient.LoginAsync(domain.Url, email, password, http, cancellationToken).ConfigureAwait(false);
        var dataset = await client.GetDatasetAsync(domain.Datasets[0].Id, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"description: {dataset.Description}");
        output.WriteLine("schema: " + string.Join(", ", dataset.Columns.Select(c => $"{c.Name} in [{c.Min}, {c.Max}]")));
        using (var mock = new MemoryStream())
        {
            await client.DownloadMockAsync(dataset.Id, mock, cancellationToken).ConfigureAwait(false);
            var lines = System.Text.Encoding.UTF8.GetString(mock.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            output.WriteLine($"mock twin (made-up values): {string.Join(" | ", lines.Take(4))} ...");
        }

        // 3. The real values are private.
        var births = client.Dataset(dataset.Id);
        try
        {
            await births["weight"].GetAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("The node released raw weights: that must never happen.");
        }
        catch (AccessDeniedException denied)
        {
            output.WriteLine($"raw weights: access denied. {denied.HowToAsk}");
        }

        // 4. Compute on the node: the results stay there as new private objects.
        var sum = births["weight"].Sum();
        var sumInfo = await sum.MaterializeAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"sum of weights: computed remotely, private object {sumInfo.Id}");
        var means = RemotePointer.Stack([births["weight"].Mean(), births["height"].Mean()]);
        var meansInfo = await means.MaterializeAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"mean weight and height: computed remotely, private object {meansInfo.Id}");

        // 5. At once, under differential privacy within her budget: noise scaled to the declared bounds, charged to the budget.
        double? dpMean = null;
        try
        {
            var release = await births["weight"].Mean().ReleaseAsync(epsilon: 1.0, cancellationToken: cancellationToken).ConfigureAwait(false);
            dpMean = release.Value;
            output.WriteLine($"mean weight under differential privacy (epsilon {release.Epsilon:G3}, {release.Mechanism}): {release.Value:F3} kg; "
                + $"budget left: epsilon {release.EpsilonRemaining:G3}");
        }
        catch (AccessDeniedException denied)
        {
            output.WriteLine($"no differentially private release: {denied.HowToAsk}");
        }

        // 6. Ask the owner for the exact means only, and wait for her decision.
        var request = await means.RequestAccessAsync("Mean birth weight and length for the February report", cancellationToken).ConfigureAwait(false);
        output.WriteLine($"asked the data owner: request {request.Id}");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(decisionTimeout);
        var decided = await client.WaitForDecisionAsync(request.Id, TimeSpan.FromMilliseconds(250), wait.Token).ConfigureAwait(false);
        output.WriteLine($"request {decided.Id}: {decided.Status}" + (decided.DecisionReason is { } why ? $" ({why})" : string.Empty));
        if (decided.Status != AccessRequestStatus.Approved)
        {
            throw new InvalidOperationException($"The data owner denied the request: {decided.DecisionReason}");
        }

        var values = (await means.GetAsync(cancellationToken).ConfigureAwait(false)).ToArray<double>();
        output.WriteLine($"mean weight: {values[0]:F3} kg, mean length: {values[1]:F2} cm");

        // 7. Nothing else was released.
        try
        {
            await sum.GetAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("The node released the sum, which nobody approved.");
        }
        catch (AccessDeniedException)
        {
            output.WriteLine("sum of weights: still private (access denied)");
        }

        return new PrivateStatisticsResult(values[0], values[1], dpMean);
    }
}
