using System.CommandLine;
using System.Globalization;
using Tessera.Contracts;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera budget set|list</c> (privacy budgets per data scientist and dataset) and
/// <c>tessera release --node URL --dataset ID --column C --aggregate mean --epsilon E [--delta D]</c> (a differentially private
/// aggregate, charged to the caller's budget).
/// </summary>
internal static class PrivacyCommand
{
    public static Command CreateBudget()
    {
        var node = CliOptions.NodeUrl();
        var user = new Option<string>("--user") { Description = "The data scientist's user id.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "The dataset id.", Required = true };
        var epsilon = Positive("--epsilon", "The total epsilon (what was spent stays spent).", allowZero: true);
        var delta = new Option<double>("--delta") { Description = "The total delta (default 0: Laplace-noised releases only)." };
        var set = new Command("set", "Set a data scientist's privacy budget on a dataset (owner and admins).") { node, user, dataset, epsilon, delta };
        set.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var budget = await client.SetBudgetAsync(parse.GetValue(user)!, parse.GetValue(dataset)!, parse.GetValue(epsilon), parse.GetValue(delta),
                cancellationToken).ConfigureAwait(false);
            Console.WriteLine(Format(budget));
            return 0;
        }));

        var listNode = CliOptions.NodeUrl();
        var listDataset = new Option<string?>("--dataset") { Description = "Only this dataset's budgets." };
        var list = new Command("list", "List budgets and their spend (all for the owner and admins, your own otherwise).") { listNode, listDataset };
        list.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(listNode)!);
            var budgets = await client.ListBudgetsAsync(parse.GetValue(listDataset), cancellationToken).ConfigureAwait(false);
            foreach (var b in budgets)
            {
                Console.WriteLine(Format(b));
            }

            Console.WriteLine($"{budgets.Count} budget{(budgets.Count == 1 ? string.Empty : "s")}.");
            return 0;
        }));
        return new Command("budget", "Privacy budgets per data scientist and dataset.") { set, list };
    }

    public static Command CreateRelease()
    {
        var node = CliOptions.NodeUrl();
        var dataset = new Option<string>("--dataset") { Description = "The dataset id.", Required = true };
        var column = new Option<string>("--column") { Description = "The column.", Required = true };
        var aggregate = new Option<string>("--aggregate") { Description = "count, sum, mean or variance.", Required = true };
        aggregate.AcceptOnlyFromAmong("count", "sum", "mean", "variance");
        var epsilon = Positive("--epsilon", "The epsilon to spend, in (0, 10].", allowZero: false);
        var delta = new Option<double>("--delta") { Description = "0 (default) for Laplace noise, or in (0, 1e-3] for Gaussian noise." };
        var release = new Command("release", "Release a differentially private aggregate of a column, charged to your budget.")
        {
            node, dataset, column, aggregate, epsilon, delta,
        };
        release.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var result = await client.ReleaseAsync(new ReleaseRequest(parse.GetValue(dataset)!, parse.GetValue(column)!, parse.GetValue(aggregate)!,
                parse.GetValue(epsilon), parse.GetValue(delta)), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{result.Aggregate} of {result.Column}: {result.Value.ToString("G6", CultureInfo.InvariantCulture)} "
                + $"(epsilon {result.Epsilon:G4}, delta {result.Delta:G3}; {result.Mechanism}); left: epsilon {result.EpsilonRemaining:G6}, delta {result.DeltaRemaining:G3}");
            return 0;
        }));
        return release;
    }

    private static Option<double> Positive(string name, string description, bool allowZero)
    {
        var option = new Option<double>(name) { Description = description, Required = true };
        option.Validators.Add(r =>
        {
            if (CliOptions.TryGet(r, option, out var value) && (!double.IsFinite(value) || value < 0 || (!allowZero && value == 0)))
            {
                r.AddError($"{name} must be a {(allowZero ? "non-negative" : "positive")} number, got {value}.");
            }
        });
        return option;
    }

    private static string Format(BudgetInfo b) =>
        $"user {b.UserId}  dataset {b.DatasetId}  epsilon {b.EpsilonSpent:G6} of {b.Epsilon:G6} spent  delta {b.DeltaSpent:G3} of {b.Delta:G3}  {b.Releases} releases";
}
