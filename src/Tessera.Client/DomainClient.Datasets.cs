using Tessera.Client.Http;
using Tessera.Contracts;

namespace Tessera.Client;

public sealed partial class DomainClient
{
    private const int UploadAttempts = 3;

    /// <summary>The node's ready datasets, newest first, optionally only those carrying <paramref name="tag"/>.</summary>
    /// <param name="tag">A tag to filter by, or null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Metadata and schemas (never values).</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public async Task<IReadOnlyList<DatasetInfo>> ListDatasetsAsync(string? tag = null, CancellationToken cancellationToken = default)
    {
        var route = tag is null ? ApiRoutes.Datasets : ApiRoutes.Datasets + "?tag=" + Uri.EscapeDataString(tag);
        return await _http.SendJsonAsync<List<DatasetInfo>>(HttpMethod.Get, route, null, _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One dataset's metadata.</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Its metadata and schema.</returns>
    /// <exception cref="NotFoundException">No such dataset is visible to the caller.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<DatasetInfo> GetDatasetAsync(string datasetId, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<DatasetInfo>(HttpMethod.Get, DatasetRoute(ApiRoutes.Dataset, datasetId), null, _token, cancellationToken);

    /// <summary>Streams a ready dataset's mock twin (synthetic data with the real schema and bounds) into <paramref name="destination"/>.</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="destination">Where to write the file's bytes (not disposed).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    /// <exception cref="NotFoundException">No such ready dataset is visible to the caller.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task DownloadMockAsync(string datasetId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = _http.Create(HttpMethod.Get, DatasetRoute(ApiRoutes.DatasetMock, datasetId), _token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a ready dataset's mock twin into the file <paramref name="path"/> (replaced only once complete).</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="NotFoundException">No such ready dataset is visible to the caller.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task DownloadMockAsync(string datasetId, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = path + ".part";
        try
        {
            await using (var file = File.Create(temporary))
            {
                await DownloadMockAsync(datasetId, file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Publishes a dataset from files: creates its metadata, then streams the content (and the mock twin when
    /// <see cref="DatasetCreateRequest.MockProvided"/>) with request ids, retrying transient failures of an upload with the same id
    /// so it applies once.
    /// </summary>
    /// <param name="request">Name, format, tags, columns with bounds, readers.</param>
    /// <param name="contentPath">The CSV or safetensors file with the real values.</param>
    /// <param name="mockPath">The mock twin's file when the request says it is provided; else null.</param>
    /// <param name="requestId">A base for the uploads' request ids (1 to 48 of letters, digits, '-', '_', '.', ':'); null for a random one.</param>
    /// <param name="cancellationToken">Cancels the publication (a pending dataset stays until deleted).</param>
    /// <returns>The ready dataset.</returns>
    /// <exception cref="ArgumentException">The mock file is missing or unexpected, or the request id is malformed.</exception>
    /// <exception cref="InvalidRequestException">The node refused the metadata or the file (the message says why).</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<DatasetInfo> PublishDatasetAsync(DatasetCreateRequest request, string contentPath, string? mockPath = null, string? requestId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentPath);
        if (!File.Exists(contentPath))
        {
            throw new FileNotFoundException($"No dataset file at '{contentPath}'.", contentPath);
        }

        if (mockPath is not null && !File.Exists(mockPath))
        {
            throw new FileNotFoundException($"No mock file at '{mockPath}'.", mockPath);
        }

        return PublishAsync(request, () => (File.OpenRead(contentPath), true), mockPath is null ? null : () => (File.OpenRead(mockPath), true), requestId,
            cancellationToken);
    }

    /// <summary>Publishes a dataset from streams, as <see cref="PublishDatasetAsync(DatasetCreateRequest, string, string?, string?, CancellationToken)"/>.</summary>
    /// <param name="request">Name, format, tags, columns with bounds, readers.</param>
    /// <param name="content">The content's bytes (not disposed; retried only if seekable).</param>
    /// <param name="mock">The mock twin's bytes when the request says it is provided; else null.</param>
    /// <param name="requestId">A base for the uploads' request ids; null for a random one.</param>
    /// <param name="cancellationToken">Cancels the publication (a pending dataset stays until deleted).</param>
    /// <returns>The ready dataset.</returns>
    /// <exception cref="ArgumentException">The mock stream is missing or unexpected, or the request id is malformed.</exception>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public Task<DatasetInfo> PublishDatasetAsync(DatasetCreateRequest request, Stream content, Stream? mock = null, string? requestId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PublishAsync(request, Borrow(content), mock is null ? null : Borrow(mock), requestId, cancellationToken);
    }

    /// <summary>Creates a dataset's metadata only; upload its files with <see cref="UploadContentAsync"/> and <see cref="UploadMockAsync"/>.</summary>
    /// <param name="request">Name, format, tags, columns with bounds, readers.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pending dataset and its upload routes.</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public Task<DatasetCreatedResponse> CreateDatasetAsync(DatasetCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _http.SendJsonAsync<DatasetCreatedResponse>(HttpMethod.Post, ApiRoutes.Datasets, request, _token, cancellationToken);
    }

    /// <summary>Uploads a pending dataset's content once: repeating the call with the same <paramref name="requestId"/> applies it once.</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="content">The bytes (not disposed).</param>
    /// <param name="requestId">The idempotency key, 1 to 64 of letters, digits, '-', '_', '.', ':'.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The dataset after the upload.</returns>
    /// <exception cref="TesseraException">The node refused the upload or could not be reached.</exception>
    public Task<DatasetInfo> UploadContentAsync(string datasetId, Stream content, string requestId, CancellationToken cancellationToken = default) =>
        UploadAsync(DatasetRoute(ApiRoutes.DatasetContent, datasetId), Borrow(content), requestId, cancellationToken);

    /// <summary>Uploads a pending dataset's provided mock twin, idempotent by <paramref name="requestId"/> as <see cref="UploadContentAsync"/>.</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="mock">The bytes (not disposed).</param>
    /// <param name="requestId">The idempotency key, 1 to 64 of letters, digits, '-', '_', '.', ':'.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The dataset after the upload.</returns>
    /// <exception cref="TesseraException">The node refused the upload or could not be reached.</exception>
    public Task<DatasetInfo> UploadMockAsync(string datasetId, Stream mock, string requestId, CancellationToken cancellationToken = default) =>
        UploadAsync(DatasetRoute(ApiRoutes.DatasetMock, datasetId), Borrow(mock), requestId, cancellationToken);

    /// <summary>Deletes a dataset and its files (owner and admins).</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the node has deleted it.</returns>
    /// <exception cref="NotFoundException">No such dataset.</exception>
    /// <exception cref="AccessDeniedException">The caller's role may not delete datasets.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task DeleteDatasetAsync(string datasetId, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Delete, DatasetRoute(ApiRoutes.Dataset, datasetId), _token, cancellationToken);

    private async Task<DatasetInfo> PublishAsync(DatasetCreateRequest request, Func<(Stream Stream, bool Owned)> content, Func<(Stream Stream, bool Owned)>? mock, string? requestId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MockProvided != mock is not null)
        {
            throw new ArgumentException(request.MockProvided
                ? "The request says the mock twin is provided: pass its file or stream."
                : "A mock twin was passed but the request does not set MockProvided.", nameof(request));
        }

        requestId ??= Guid.NewGuid().ToString("N");
        if (requestId.Length is 0 or > 48 || !requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            throw new ArgumentException("A request id is 1 to 48 characters of letters, digits, '-', '_', '.' and ':'.", nameof(requestId));
        }

        var created = await CreateDatasetAsync(request, cancellationToken).ConfigureAwait(false);
        var info = await UploadAsync(created.UploadUrl, content, requestId + ":content", cancellationToken).ConfigureAwait(false);
        if (mock is not null)
        {
            info = await UploadAsync(created.MockUploadUrl ?? DatasetRoute(ApiRoutes.DatasetMock, created.Dataset.Id), mock, requestId + ":mock",
                cancellationToken).ConfigureAwait(false);
        }

        return info;
    }

    /// <summary>PUTs the bytes with the request id, retrying transient failures with the same id when the source can be read again.</summary>
    private async Task<DatasetInfo> UploadAsync(string route, Func<(Stream Stream, bool Owned)> open, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        for (var attempt = 1; ; attempt++)
        {
            var (source, owned) = open();
            var rereadable = source.CanSeek;
            try
            {
                using var request = _http.Create(HttpMethod.Put, route, _token);
                request.Headers.Add(ApiRoutes.RequestIdHeader, requestId);
                request.Content = new UploadContent(source);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                return await ClientHttp.ReadAsync<DatasetInfo>(response, request, cancellationToken).ConfigureAwait(false);
            }
            catch (TesseraException ex) when (ex.IsTransient && rereadable && attempt < UploadAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (owned)
                {
                    await source.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Opens a caller's stream for each attempt: rewinds a seekable one to where it started; never disposes it.</summary>
    private static Func<(Stream Stream, bool Owned)> Borrow(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = stream.CanSeek ? stream.Position : 0;
        return () =>
        {
            if (stream.CanSeek)
            {
                stream.Position = start;
            }

            return (stream, false);
        };
    }

    private static string DatasetRoute(string template, string datasetId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        return template.Replace("{id}", Uri.EscapeDataString(datasetId), StringComparison.Ordinal);
    }
}
