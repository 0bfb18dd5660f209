using Tessera.Client.Plans;
using Tessera.Contracts;

namespace Tessera.Client;

public sealed partial class DomainClient
{
    /// <summary>A dataset seen through pointers: <c>client.Dataset(id)["weight"].Mean()</c>. Sends nothing.</summary>
    /// <param name="datasetId">The dataset's id.</param>
    /// <returns>The dataset handle.</returns>
    public RemoteDataset Dataset(string datasetId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetId);
        return new RemoteDataset(this, datasetId);
    }

    /// <summary>A pointer to an existing private object (the output of an earlier plan). Sends nothing.</summary>
    /// <param name="objectId">The object's id.</param>
    /// <returns>The pointer.</returns>
    public RemotePointer Object(string objectId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        return RemotePointer.Object(this, objectId);
    }

    /// <summary>Runs the plans behind several pointers in one request; each pointer then knows its object.</summary>
    /// <param name="pointers">Pointers of this session.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The objects, in the order of <paramref name="pointers"/>.</returns>
    /// <exception cref="ArgumentException">A pointer belongs to another session.</exception>
    /// <exception cref="TesseraException">The node refused the plan or could not be reached.</exception>
    public async Task<IReadOnlyList<ObjectInfo>> RunAsync(IReadOnlyList<RemotePointer> pointers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pointers);
        if (pointers.Any(p => p is null || !ReferenceEquals(p.Client, this)))
        {
            throw new ArgumentException("Every pointer must belong to this session.", nameof(pointers));
        }

        var results = new ObjectInfo[pointers.Count];
        var pending = new List<int>();
        for (var i = 0; i < pointers.Count; i++)
        {
            if (pointers[i].ObjectId is not null)
            {
                results[i] = await pointers[i].MaterializeAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                pending.Add(i);
            }
        }

        if (pending.Count > 0)
        {
            var plan = PlanBuilder.Build([.. pending.Select(i => pointers[i])]);
            var response = await RunPlanAsync(plan, cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < pending.Count; k++)
            {
                results[pending[k]] = response.Outputs[k];
                pointers[pending[k]].Complete(response.Outputs[k]);
            }
        }

        return results;
    }

    /// <summary>Runs a plan written by hand (pointers write them for you).</summary>
    /// <param name="plan">The steps and outputs.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One new private object per output.</returns>
    /// <exception cref="InvalidRequestException">The node refused the plan (it says which step and why).</exception>
    /// <exception cref="AccessDeniedException">The caller's role may not run plans.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<PlanResponse> RunPlanAsync(PlanRequest plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var response = await _http.SendJsonAsync<PlanResponse>(HttpMethod.Post, ApiRoutes.Plans, plan, _token, cancellationToken).ConfigureAwait(false);
        if (response.Outputs.Count != plan.Outputs.Count)
        {
            throw new ServerErrorException(
                $"POST {ApiRoutes.Plans} answered {response.Outputs.Count} objects for {plan.Outputs.Count} outputs.", 200, null, null);
        }

        return response;
    }

    /// <summary>A private object's description (never its values).</summary>
    /// <param name="objectId">The object's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Its dtype, shape, creator and source datasets.</returns>
    /// <exception cref="NotFoundException">No such object is visible to the caller.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<ObjectInfo> GetObjectAsync(string objectId, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<ObjectInfo>(HttpMethod.Get, DatasetRoute(ApiRoutes.Object, objectId), null, _token, cancellationToken);

    /// <summary>A private object's values, when the caller may read them.</summary>
    /// <param name="objectId">The object's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The values in row-major order with dtype and shape.</returns>
    /// <exception cref="AccessDeniedException">The values are private: <see cref="AccessDeniedException.HowToAsk"/> says how to ask.</exception>
    /// <exception cref="NotFoundException">No such object is visible to the caller.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<ObjectValue> GetObjectValueAsync(string objectId, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<ObjectValue>(HttpMethod.Get, DatasetRoute(ApiRoutes.ObjectValue, objectId), null, _token, cancellationToken);
}
