using Tessera.Contracts;

namespace Tessera.Client;

public sealed partial class DomainClient
{
    /// <summary>Asks the data owner to release one object's values to the caller.</summary>
    /// <param name="objectId">The object.</param>
    /// <param name="reason">Why (1 to 1000 characters), shown to the owner.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pending request.</returns>
    /// <exception cref="ConflictException">The caller already asked for this object and the request is pending or approved.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<AccessRequestInfo> RequestAccessAsync(string objectId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return _http.SendJsonAsync<AccessRequestInfo>(HttpMethod.Post, ApiRoutes.Requests, new AccessRequestCreate(objectId, reason), _token,
            cancellationToken);
    }

    /// <summary>Access requests: every request for the owner and admins, the caller's own for others; oldest first.</summary>
    /// <param name="status">Only requests in this state, or null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The requests.</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public async Task<IReadOnlyList<AccessRequestInfo>> ListRequestsAsync(AccessRequestStatus? status = null, CancellationToken cancellationToken = default)
    {
        var route = status is { } s ? ApiRoutes.Requests + "?status=" + s : ApiRoutes.Requests;
        return await _http.SendJsonAsync<List<AccessRequestInfo>>(HttpMethod.Get, route, null, _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One access request: the caller's own, or any for the owner and admins.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The request and, once decided, the decision.</returns>
    /// <exception cref="NotFoundException">The caller has no request with that id.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<AccessRequestInfo> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<AccessRequestInfo>(HttpMethod.Get, DatasetRoute(ApiRoutes.Request, requestId), null, _token, cancellationToken);

    /// <summary>Approves a pending request (owner and admins); final.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The decided request.</returns>
    /// <exception cref="ConflictException">The request was decided already.</exception>
    /// <exception cref="AccessDeniedException">The caller may not decide requests.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<AccessRequestInfo> ApproveRequestAsync(string requestId, string? reason = null, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<AccessRequestInfo>(HttpMethod.Post, DatasetRoute(ApiRoutes.RequestApprove, requestId), new AccessDecision(reason), _token,
            cancellationToken);

    /// <summary>Denies a pending request (owner and admins); final.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The decided request.</returns>
    /// <exception cref="ConflictException">The request was decided already.</exception>
    /// <exception cref="AccessDeniedException">The caller may not decide requests.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<AccessRequestInfo> DenyRequestAsync(string requestId, string? reason = null, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<AccessRequestInfo>(HttpMethod.Post, DatasetRoute(ApiRoutes.RequestDeny, requestId), new AccessDecision(reason), _token,
            cancellationToken);

    /// <summary>Follows a request until the owner decides it, asking the node every <paramref name="pollInterval"/>.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <param name="pollInterval">How often to ask (default 2 seconds; at least 50 ms).</param>
    /// <param name="cancellationToken">Stops waiting (use a timeout to bound it).</param>
    /// <returns>The approved or denied request.</returns>
    /// <exception cref="NotFoundException">The caller has no request with that id.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<AccessRequestInfo> WaitForDecisionAsync(string requestId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        var interval = pollInterval ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(50), nameof(pollInterval));
        while (true)
        {
            var request = await GetRequestAsync(requestId, cancellationToken).ConfigureAwait(false);
            if (request.Status != AccessRequestStatus.Pending)
            {
                return request;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
