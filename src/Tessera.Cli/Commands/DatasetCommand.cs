using System.CommandLine;
using System.Globalization;
using Tessera.Contracts;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera dataset publish|list|delete --node URL ...</c>: manage a node's datasets with the stored login.</summary>
internal static class DatasetCommand
{
    public static Command Create() => new("dataset", "Publish, list and delete a node's datasets.") { Publish(), List(), Delete() };

    private static Command Publish()
    {
        var node = CliOptions.NodeUrl();
        var name = new Option<string>("--name") { Description = "The dataset's display name.", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The CSV or safetensors file with the real values.", Required = true };
        file.AcceptExistingOnly();
        var mock = new Option<FileInfo>("--mock") { Description = "A mock twin to publish instead of letting the node synthesise one." };
        mock.AcceptExistingOnly();
        var format = new Option<string?>("--format") { Description = "csv or safetensors (default: from the file's extension)." };
        format.AcceptOnlyFromAmong("csv", "safetensors");
        var columns = new Option<string[]>("--column")
        {
            Description = "A column or tensor with the bounds of its values, NAME:MIN:MAX; repeat for each (all are required).",
            Required = true,
        };
        columns.Validators.Add(r =>
        {
            foreach (var value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (ParseColumn(value) is null)
                {
                    r.AddError($"--column must be NAME:MIN:MAX with MIN <= MAX, such as age:0:120; got '{value}'.");
                }
            }
        });
        var tags = new Option<string[]>("--tag") { Description = "A search tag (a-z, 0-9, '-'); repeat for several." };
        var description = new Option<string?>("--description") { Description = "What the dataset holds, in words." };
        var readers = new Option<string[]>("--reader") { Description = "A user id allowed to read the real values through pointers; repeat for several." };
        var requestId = new Option<string?>("--request-id") { Description = "Repeat a failed publish's uploads with the same id so they apply once." };
        var command = new Command("publish", "Publish a dataset: metadata, then the file streamed to the node.")
        {
            node, name, file, mock, format, columns, tags, description, readers, requestId,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!.FullName;
            var kind = parse.GetValue(format) ?? (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? "safetensors" : "csv");
            var mockFile = parse.GetValue(mock)?.FullName;
            var request = new DatasetCreateRequest(parse.GetValue(name)!, parse.GetValue(description),
                kind == "safetensors" ? DatasetFormat.SafeTensors : DatasetFormat.Csv, parse.GetValue(tags) ?? [],
                [.. (parse.GetValue(columns) ?? []).Select(c => ParseColumn(c)!)], parse.GetValue(readers) ?? [], mockFile is not null);
            using var client = CliSession.Open(parse.GetValue(node)!);
            var info = await client.PublishDatasetAsync(request, path, mockFile, parse.GetValue(requestId), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"published {info.Id} \"{info.Name}\" ({info.Format}, {info.SizeBytes:N0} bytes"
                + (info.Rows is { } rows ? $", {rows:N0} rows" : string.Empty) + $", mock {(info.MockProvided ? "provided" : "synthesised")}).");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var node = CliOptions.NodeUrl();
        var tag = new Option<string?>("--tag") { Description = "Only datasets with this tag." };
        var command = new Command("list", "List the node's ready datasets, newest first.") { node, tag };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var datasets = await client.ListDatasetsAsync(parse.GetValue(tag), cancellationToken).ConfigureAwait(false);
            foreach (var d in datasets)
            {
                Console.WriteLine($"{d.Id}  {d.Name}  {d.Format}  {(d.Rows is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) + " rows" : "-")}  "
                    + $"[{string.Join(", ", d.Tags)}]  columns: {string.Join(", ", d.Columns.Select(c => c.Name))}");
            }

            Console.WriteLine($"{datasets.Count} dataset{(datasets.Count == 1 ? string.Empty : "s")}.");
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var node = CliOptions.NodeUrl();
        var id = new Argument<string>("id") { Description = "The dataset's id." };
        var command = new Command("delete", "Delete a dataset and its files (owner and admins).") { node, id };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            await client.DeleteDatasetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"deleted {parse.GetValue(id)}.");
            return 0;
        }));
        return command;
    }

    /// <summary>NAME:MIN:MAX (the name may itself hold ':'); null when malformed.</summary>
    internal static DatasetColumn? ParseColumn(string value)
    {
        var last = value.LastIndexOf(':');
        var middle = last > 0 ? value.LastIndexOf(':', last - 1) : -1;
        if (middle <= 0
            || !double.TryParse(value.AsSpan(middle + 1, last - middle - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(value.AsSpan(last + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            return null;
        }

        return new DatasetColumn(value[..middle], min, max);
    }
}
