using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Tessera.Contracts;
using Tessera.Serialization;

namespace Tessera.Node.Tests;

/// <summary>Requests, files and steps shared by the dataset tests.</summary>
internal static class DatasetsTestData
{
    /// <summary>Real values with seven decimals, so no timestamp or random mock digit can match them by chance.</summary>
    public const string Csv = "age,weight\n31,3.2170917\n27,2.9810443\n40,4.1630571\n";

    public static readonly DatasetColumn[] CsvColumns = [new("age", 0, 120), new("weight", 0.5, 6)];

    public static DatasetCreateRequest CsvRequest(string name = "births", string[]? tags = null, bool mockProvided = false,
        string[]? readers = null) =>
        new(name, "Birth records, 2020", DatasetFormat.Csv, tags ?? ["Birth-Records"], CsvColumns, readers ?? [], mockProvided);

    public static DatasetCreateRequest SafeTensorsRequest(string name = "scans") =>
        new(name, "Scan features", DatasetFormat.SafeTensors, ["imaging"], [new("x", -1, 1), new("label", 0, 9)], [], false);

    public static byte[] SafeTensorsBytes(float[]? x = null, long[]? label = null)
    {
        x ??= [0.1f, -0.5f, 0.9f, 1f, -1f, 0.25f, 0f, 0.75f, -0.3f, 0.6f, 0.2f, -0.9f];
        label ??= [3L, 0L, 9L, 5L];
        var tensors = new Dictionary<string, Tensor>
        {
            ["x"] = Tensor.FromArray(x, x.Length / 3, 3),
            ["label"] = Tensor.FromArray(label, label.Length),
        };
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors);
        return stream.ToArray();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Route(string template, string id) => template.Replace("{id}", id, StringComparison.Ordinal);

    public static async Task<DatasetCreatedResponse> CreateAsync(HttpClient client, DatasetCreateRequest request)
    {
        var response = await client.PostAsJsonAsync(ApiRoutes.Datasets, request, NodeFactory.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DatasetCreatedResponse>(NodeFactory.Json))!;
    }

    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, byte[] body, string? requestId = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        message.Headers.TryAddWithoutValidation(ApiRoutes.RequestIdHeader, requestId ?? Guid.NewGuid().ToString("N"));
        return client.SendAsync(message);
    }

    /// <summary>Creates and uploads a dataset whose mock the node synthesises, and returns its ready info.</summary>
    public static async Task<DatasetInfo> PublishAsync(HttpClient client, DatasetCreateRequest request, byte[] content)
    {
        var created = await CreateAsync(client, request);
        var response = await PutAsync(client, created.UploadUrl, content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var info = (await response.Content.ReadFromJsonAsync<DatasetInfo>(NodeFactory.Json))!;
        Assert.Equal(DatasetStatus.Ready, info.Status);
        return info;
    }

    public static async Task<List<DatasetInfo>> ListAsync(HttpClient client, string? tag = null) =>
        (await client.GetFromJsonAsync<List<DatasetInfo>>(
            tag is null ? ApiRoutes.Datasets : ApiRoutes.Datasets + "?tag=" + Uri.EscapeDataString(tag), NodeFactory.Json))!;

    /// <summary>Logs in as the owner on any factory of the node (a restarted one, say).</summary>
    public static async Task<HttpClient> LoginOwnerAsync(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync(ApiRoutes.Login, new LoginRequest(NodeFactory.OwnerEmail, NodeFactory.OwnerPassword), NodeFactory.Json);
        response.EnsureSuccessStatusCode();
        var login = (await response.Content.ReadFromJsonAsync<LoginResponse>(NodeFactory.Json))!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.Token);
        return client;
    }

    /// <summary>The blob files (not temporary ones) in a node's data folder.</summary>
    public static string[] Blobs(string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "blobs");
        return Directory.Exists(root) ? Directory.GetFiles(root).Select(Path.GetFileName).OfType<string>().ToArray() : [];
    }

    public static string[] TemporaryFiles(string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "blobs", "tmp");
        return Directory.Exists(root) ? Directory.GetFiles(root) : [];
    }
}
