using Tessera.Contracts;

namespace Tessera.Client.Tests;

/// <summary>The SDK against a real node and gateway on loopback ports.</summary>
public sealed class DomainClientTests(LiveNetwork network) : IClassFixture<LiveNetwork>
{
    [Fact]
    public async Task SearchAsync_PublishedDataset_FoundThroughGatewayWithTheNodesUrl()
    {
        using var owner = await network.LoginOwnerAsync();
        var tag = SdkTestData.UniqueTag("search");
        var published = await owner.PublishDatasetAsync(SdkTestData.CsvRequest("births", tag), SdkTestData.CsvFile());

        using var gateway = TesseraNetwork.Connect(network.GatewayUrl);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<NetworkDomain> found = [];
        while (found.Count == 0 && DateTime.UtcNow < deadline)
        {
            found = await gateway.SearchAsync(tag.ToUpperInvariant(), "births");
            await Task.Delay(found.Count == 0 ? 100 : 0);
        }

        var domain = Assert.Single(found);
        Assert.Equal("test-clinic", domain.Name);
        Assert.Equal(network.NodeUrl, domain.Url);
        var entry = Assert.Single(domain.Datasets);
        Assert.Equal(published.Id, entry.Id);

        using var guest = await DomainClient.LoginAsync(domain.Url, LiveNetwork.OwnerEmail, LiveNetwork.OwnerPassword);
        Assert.Equal("births", (await guest.GetDatasetAsync(entry.Id)).Name);
    }

    [Fact]
    public async Task SearchAsync_UnknownTag_ReturnsNoDomains()
    {
        using var gateway = TesseraNetwork.Connect(network.GatewayUrl);
        Assert.Empty(await gateway.SearchAsync(SdkTestData.UniqueTag("nothing")));
        Assert.Equal("gateway", (await gateway.GetHealthAsync()).Kind);
    }

    [Fact]
    public async Task SearchAsync_NoTags_ThrowsArgumentException()
    {
        using var gateway = TesseraNetwork.Connect(network.GatewayUrl);
        await Assert.ThrowsAsync<ArgumentException>(() => gateway.SearchAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => gateway.SearchAsync(" "));
    }

    [Fact]
    public async Task SearchAsync_MalformedTag_ThrowsInvalidRequestException()
    {
        using var gateway = TesseraNetwork.Connect(network.GatewayUrl);
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => gateway.SearchAsync(new string('x', 500)));
        Assert.Equal(400, ex.StatusCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task LoginAsync_Owner_ReturnsSessionWithAccount()
    {
        using var owner = await network.LoginOwnerAsync();
        Assert.Equal(Role.Owner, owner.User!.Role);
        Assert.True(owner.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal(LiveNetwork.OwnerEmail, (await owner.GetMeAsync()).Email);
        Assert.DoesNotContain(owner.ExportToken(), owner.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginAsync_WrongPassword_ThrowsAuthenticationExceptionWithoutThePassword()
    {
        var ex = await Assert.ThrowsAsync<AuthenticationException>(() =>
            DomainClient.LoginAsync(network.NodeUrl, LiveNetwork.OwnerEmail, "not the password at all"));
        Assert.Equal(ProblemTypes.Unauthenticated, ex.ProblemType);
        Assert.DoesNotContain("not the password", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains(ApiRoutes.Login, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromToken_UnknownToken_ThrowsAuthenticationExceptionWithoutTheToken()
    {
        const string token = "secret-token-value-that-must-not-leak";
        using var client = DomainClient.FromToken(network.NodeUrl, token);
        var ex = await Assert.ThrowsAsync<AuthenticationException>(() => client.ListDatasetsAsync());
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogoutAsync_ThenAnyCall_ThrowsAuthenticationException()
    {
        using var owner = await network.LoginOwnerAsync();
        await owner.LogoutAsync();
        await Assert.ThrowsAsync<AuthenticationException>(() => owner.GetMeAsync());
    }

    [Fact]
    public async Task PublishDatasetAsync_CsvFile_ListedAndMockDownloadable()
    {
        using var owner = await network.LoginOwnerAsync();
        var tag = SdkTestData.UniqueTag("list");
        var published = await owner.PublishDatasetAsync(SdkTestData.CsvRequest("births-list", tag), SdkTestData.CsvFile(), requestId: "publish-1");
        Assert.Equal(DatasetStatus.Ready, published.Status);
        Assert.Equal(3, published.Rows);

        var listed = Assert.Single(await owner.ListDatasetsAsync(tag));
        Assert.Equal(published.Id, listed.Id);
        Assert.Contains(await owner.ListDatasetsAsync(), d => d.Id == published.Id);

        var path = Path.Combine(Tessera.TestUtilities.TestPaths.NewTempDirectory(), "mock.csv");
        await owner.DownloadMockAsync(published.Id, path);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal("age,weight", lines[0]);
        Assert.DoesNotContain("3.217", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishDatasetAsync_StreamWithProvidedMock_ReadyWithThatMock()
    {
        using var owner = await network.LoginOwnerAsync();
        using var content = SdkTestData.CsvStream();
        using var mock = SdkTestData.CsvStream("age,weight\n1,1\n2,2\n");
        var published = await owner.PublishDatasetAsync(SdkTestData.CsvRequest("births-mock", SdkTestData.UniqueTag("mock"), mockProvided: true),
            content, mock);
        Assert.True(published.MockProvided);
        Assert.Equal(DatasetStatus.Ready, published.Status);

        using var downloaded = new MemoryStream();
        await owner.DownloadMockAsync(published.Id, downloaded);
        Assert.Equal("age,weight\n1,1\n2,2\n", System.Text.Encoding.UTF8.GetString(downloaded.ToArray()));
    }

    [Fact]
    public async Task UploadContentAsync_SameRequestIdTwice_AppliesOnce()
    {
        using var owner = await network.LoginOwnerAsync();
        var created = await owner.CreateDatasetAsync(SdkTestData.CsvRequest("births-retry", SdkTestData.UniqueTag("retry")));
        using var content = SdkTestData.CsvStream();
        var first = await owner.UploadContentAsync(created.Dataset.Id, content, "retry-1");
        content.Position = 0;
        var second = await owner.UploadContentAsync(created.Dataset.Id, content, "retry-1");
        Assert.Equal(first.SizeBytes, second.SizeBytes);
        Assert.Equal(DatasetStatus.Ready, second.Status);

        using var other = SdkTestData.CsvStream("age,weight\n1,1\n");
        await Assert.ThrowsAsync<ConflictException>(() => owner.UploadContentAsync(created.Dataset.Id, other, "retry-2"));
    }

    [Fact]
    public async Task PublishDatasetAsync_ValueOutsideBounds_ThrowsInvalidRequestExceptionWithoutTheValue()
    {
        using var owner = await network.LoginOwnerAsync();
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            owner.PublishDatasetAsync(SdkTestData.CsvRequest("births-bad", "bad"), SdkTestData.CsvStream("age,weight\n31,3.217\n999.125,2\n")));
        Assert.Equal(ProblemTypes.Invalid, ex.ProblemType);
        Assert.DoesNotContain("999.125", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishDatasetAsync_MockFlagMismatch_ThrowsArgumentException()
    {
        using var owner = await network.LoginOwnerAsync();
        using var content = SdkTestData.CsvStream();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            owner.PublishDatasetAsync(SdkTestData.CsvRequest("x", "x", mockProvided: true), content));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            owner.PublishDatasetAsync(SdkTestData.CsvRequest("x", "x"), content, requestId: "has spaces"));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../etc/passwd")]
    [InlineData("' OR 1=1 --")]
    public async Task GetDatasetAsync_UnknownOrMalformedId_ThrowsNotFoundException(string id)
    {
        using var owner = await network.LoginOwnerAsync();
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => owner.GetDatasetAsync(id));
        Assert.Equal(404, ex.StatusCode);
        await Assert.ThrowsAsync<NotFoundException>(() => owner.DownloadMockAsync(id, Stream.Null));
    }

    [Fact]
    public async Task DeleteDatasetAsync_AsDataScientist_ThrowsAccessDeniedWithHowToAsk_AsOwner_Deletes()
    {
        using var owner = await network.LoginOwnerAsync();
        var published = await owner.PublishDatasetAsync(SdkTestData.CsvRequest("births-delete", SdkTestData.UniqueTag("del")), SdkTestData.CsvStream());
        using var scientist = await network.AddUserAsync(Role.DataScientist, "ds-" + Guid.NewGuid().ToString("N")[..6] + "@lab.example");

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => scientist.DeleteDatasetAsync(published.Id));
        Assert.False(string.IsNullOrWhiteSpace(denied.HowToAsk));
        Assert.Equal(ProblemTypes.Forbidden, denied.ProblemType);
        Assert.DoesNotContain(scientist.ExportToken(), denied.ToString(), StringComparison.Ordinal);
        Assert.Equal(published.Id, (await scientist.GetDatasetAsync(published.Id)).Id);

        await owner.DeleteDatasetAsync(published.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => owner.GetDatasetAsync(published.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => owner.DeleteDatasetAsync(published.Id));
    }

    [Fact]
    public async Task GetAuditAsync_OwnerSeesEntries_DataScientistIsDenied()
    {
        using var owner = await network.LoginOwnerAsync();
        Assert.Contains(await owner.GetAuditAsync(50), e => e.Action == "user.login");
        using var scientist = await network.AddUserAsync(Role.DataScientist, "audit-" + Guid.NewGuid().ToString("N")[..6] + "@lab.example");
        await Assert.ThrowsAsync<AccessDeniedException>(() => scientist.GetAuditAsync());
    }

    [Fact]
    public async Task Calls_Cancelled_ThrowOperationCanceledException()
    {
        using var owner = await network.LoginOwnerAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner.ListDatasetsAsync(cancellationToken: cts.Token));
    }
}
