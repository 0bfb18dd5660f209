using Tessera.Contracts;

namespace Tessera.Client;

public sealed partial class DomainClient
{
    /// <summary>Releases a differentially private aggregate of one column at once, charged to the caller's budget on that dataset.</summary>
    /// <param name="request">The dataset, column, aggregate (<c>count</c>, <c>sum</c>, <c>mean</c>, <c>variance</c>), epsilon and delta.</param>
    /// <param name="cancellationToken">Cancels the request (a release that reached the node may still be charged).</param>
    /// <returns>The noisy value, what it cost and what budget is left.</returns>
    /// <exception cref="AccessDeniedException">The budget does not cover it; <see cref="AccessDeniedException.HowToAsk"/> says how to ask for more.</exception>
    /// <exception cref="InvalidRequestException">An argument was refused (the message names it).</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _http.SendJsonAsync<ReleaseResponse>(HttpMethod.Post, ApiRoutes.Releases, request, _token, cancellationToken);
    }

    /// <summary>Sets a data scientist's budget on a dataset (owner and admins); what was spent stays spent.</summary>
    /// <param name="userId">The data scientist.</param>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="epsilon">The total epsilon.</param>
    /// <param name="delta">The total delta (0 allows Laplace-noised releases only).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The budget with its spend.</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public Task<BudgetInfo> SetBudgetAsync(string userId, string datasetId, double epsilon, double delta = 0, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<BudgetInfo>(HttpMethod.Put, ApiRoutes.Budgets, new BudgetSet(userId, datasetId, epsilon, delta), _token, cancellationToken);

    /// <summary>Budgets with their spend: every one for the owner and admins, the caller's own otherwise.</summary>
    /// <param name="datasetId">Only this dataset's, or null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The budgets.</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public async Task<IReadOnlyList<BudgetInfo>> ListBudgetsAsync(string? datasetId = null, CancellationToken cancellationToken = default)
    {
        var route = datasetId is null ? ApiRoutes.Budgets : $"{ApiRoutes.Budgets}?datasetId={Uri.EscapeDataString(datasetId)}";
        return await _http.SendJsonAsync<List<BudgetInfo>>(HttpMethod.Get, route, null, _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the owner for more privacy budget on a dataset, through the request queue.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="epsilon">How much epsilon to add, in (0, 10].</param>
    /// <param name="reason">Why (1 to 1000 characters).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pending request; follow it with <see cref="WaitForDecisionAsync"/>.</returns>
    /// <exception cref="ConflictException">A budget request for this dataset is pending already.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<AccessRequestInfo> RequestBudgetAsync(string datasetId, double epsilon, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return _http.SendJsonAsync<AccessRequestInfo>(HttpMethod.Post, ApiRoutes.Requests, new AccessRequestCreate(null, reason, datasetId, epsilon), _token,
            cancellationToken);
    }
}
