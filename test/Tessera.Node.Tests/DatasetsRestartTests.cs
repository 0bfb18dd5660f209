using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Storage;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Nodes with their own settings or lifetimes: the upload size limit and a restart after a crash.</summary>
public sealed class DatasetsRestartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_LargerThanLimit_Answers413_AndStoresNothing(bool chunked)
    {
        using var root = new NodeFactory();
        using var node = root.WithWebHostBuilder(b => b.UseSetting("Tessera:Node:MaxUploadBytes", "4096"));
        var owner = await LoginOwnerAsync(node);
        var created = await CreateAsync(owner, CsvRequest("too-large"));
        var big = Utf8("age,weight\n" + string.Concat(Enumerable.Repeat("31,3.2\n", 2000)));

        var message = new HttpRequestMessage(HttpMethod.Put, created.UploadUrl)
        {
            // A stream of unknown length is sent chunked, so the limit must be enforced while reading, not from Content-Length.
            Content = chunked ? new StreamContent(new NonSeekableStream(big)) : new ByteArrayContent(big),
        };
        message.Headers.Add(ApiRoutes.RequestIdHeader, "big-1");
        var response = await owner.SendAsync(message);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(ProblemTypes.TooLarge, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Blobs(root.DataDirectory));
        Assert.Empty(TemporaryFiles(root.DataDirectory));
        Assert.Empty(await ListAsync(owner));

        // Within the limit the same dataset still publishes.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, created.UploadUrl, Utf8(Csv), "small-1")).StatusCode);
    }

    [Fact]
    public async Task Restart_AfterCrashMidUpload_KeepsEarlierDatasets_AndHidesTheHalfOne()
    {
        using var root = new NodeFactory();
        string earlierId;
        string halfId;
        string temporary;
        string orphan;
        using (var first = root.WithWebHostBuilder(_ => { }))
        {
            var owner = await LoginOwnerAsync(first);
            earlierId = (await PublishAsync(owner, CsvRequest("earlier"), Utf8(Csv))).Id;

            // The crash: an upload was streaming to a temporary file, and its row never became ready.
            halfId = Security.Ids.NewId();
            using (var scope = first.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NodeDbContext>();
                db.Add(new DatasetRecord
                {
                    Id = halfId, Name = "half", Description = string.Empty, Format = DatasetFormat.Csv, Status = DatasetStatus.Pending,
                    SchemaJson = "[]", CreatedBy = "owner", CreatedAt = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }

            temporary = Path.Combine(root.DataDirectory, "blobs", "tmp", "crashed.part");
            await File.WriteAllTextAsync(temporary, "age,weight\n31,");

            // A crash after a blob moved into place but before its row committed leaves an unreferenced blob.
            orphan = Path.Combine(root.DataDirectory, "blobs", Sha256(Utf8("orphan")));
            await File.WriteAllTextAsync(orphan, "orphan");
        }

        using var second = root.WithWebHostBuilder(_ => { });
        var client = await LoginOwnerAsync(second);
        var listed = await ListAsync(client);
        Assert.Contains(listed, d => d.Id == earlierId);
        Assert.DoesNotContain(listed, d => d.Id == halfId);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Route(ApiRoutes.DatasetMock, earlierId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Route(ApiRoutes.DatasetMock, halfId))).StatusCode);
        Assert.False(File.Exists(temporary));
        Assert.False(File.Exists(orphan));
        Assert.NotEmpty(Blobs(root.DataDirectory));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
