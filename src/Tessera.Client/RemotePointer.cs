using Tessera.Contracts;

namespace Tessera.Client;

/// <summary>
/// A pointer to values that live on a node: a dataset column, an existing private object, or an operation on other pointers.
/// It reads like a tensor (<c>var mean = dataset["weight"].Mean();</c>) but computes nothing locally: operations build a plan
/// lazily, <see cref="MaterializeAsync"/> runs it on the node (once; the result is a new private object), and
/// <see cref="GetAsync"/> reads the values when the caller is allowed to, or throws <see cref="AccessDeniedException"/> with
/// the node's explanation of how to ask (<see cref="RequestAccessAsync"/>). Pointers are immutable and thread-safe.
/// </summary>
public sealed partial class RemotePointer
{
    private readonly Lock _gate = new();
    private Task<ObjectInfo>? _run;

    private RemotePointer(DomainClient client, string op, RemotePointer[] inputs)
    {
        Client = client;
        Op = op;
        Inputs = inputs;
    }

    /// <summary>The session this pointer belongs to; pointers of different sessions cannot be combined.</summary>
    public DomainClient Client { get; }

    /// <summary>The plan operation this pointer stands for (<c>column</c>, <c>object</c>, <c>mean</c>, <c>add</c>, ...).</summary>
    public string Op { get; }

    /// <summary>The id of the private object holding this pointer's values, once known (after <see cref="MaterializeAsync"/>).</summary>
    public string? ObjectId => KnownObjectId ?? (_run is { IsCompletedSuccessfully: true } run ? run.Result.Id : null);

    internal IReadOnlyList<RemotePointer> Inputs { get; }

    internal string? DatasetId { get; private init; }

    internal string? ColumnName { get; private init; }

    internal string? KnownObjectId { get; private init; }

    internal double? Scalar { get; private init; }

    internal IReadOnlyList<int>? Dims { get; private init; }

    internal bool? KeepDim { get; private init; }

    internal int? Start { get; private init; }

    internal int? Length { get; private init; }

    /// <summary>Runs the plan behind this pointer on the node, once: later calls answer the same object.</summary>
    /// <param name="cancellationToken">Cancels the request (a failed or cancelled run is retried by the next call).</param>
    /// <returns>The private object holding the result (its shape and dtype, never its values).</returns>
    /// <exception cref="InvalidRequestException">The node refused the plan (an unknown column, mismatched shapes, limits).</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<ObjectInfo> MaterializeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = KnownObjectId is { } id
                    ? Client.GetObjectAsync(id, cancellationToken)
                    : RunAloneAsync(cancellationToken);
            }

            return _run;
        }
    }

    /// <summary>Runs the plan if needed and reads the values.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The values as a tensor (Float64, or Bool for comparisons), with the object's shape.</returns>
    /// <exception cref="AccessDeniedException">The values are private: <see cref="AccessDeniedException.HowToAsk"/> says how to ask.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<Tensor> GetAsync(CancellationToken cancellationToken = default)
    {
        var value = await GetValueAsync(cancellationToken).ConfigureAwait(false);
        var shape = value.Shape.ToArray();
        return value.DType == nameof(DType.Bool)
            ? Tensor.FromArray(value.Values.Select(v => v != 0).ToArray(), shape)
            : Tensor.FromArray(value.Values.ToArray(), shape);
    }

    /// <summary>Runs the plan if needed and reads the values as the node sends them.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The object id, dtype, shape and row-major values.</returns>
    /// <exception cref="AccessDeniedException">The values are private: <see cref="AccessDeniedException.HowToAsk"/> says how to ask.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<ObjectValue> GetValueAsync(CancellationToken cancellationToken = default)
    {
        var info = await MaterializeAsync(cancellationToken).ConfigureAwait(false);
        return await Client.GetObjectValueAsync(info.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the plan if needed and asks the data owner to release the result's values to the caller.</summary>
    /// <param name="reason">Why (1 to 1000 characters), shown to the owner.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The pending request; follow it with <see cref="DomainClient.WaitForDecisionAsync"/>.</returns>
    /// <exception cref="ConflictException">The caller already asked for this object and the request is pending or approved.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<AccessRequestInfo> RequestAccessAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var info = await MaterializeAsync(cancellationToken).ConfigureAwait(false);
        return await Client.RequestAccessAsync(info.Id, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases this aggregate at once under differential privacy, charged to the caller's budget on the dataset: the node
    /// clamps the column to its declared bounds and adds noise scaled to them. Works on <c>Sum()</c>, <c>Mean()</c> and
    /// <c>Var()</c> of a dataset column (over all rows).
    /// </summary>
    /// <param name="epsilon">The epsilon to spend, in (0, 10].</param>
    /// <param name="delta">0 for Laplace noise, or in (0, 1e-3] for Gaussian noise.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The noisy value, its cost and the budget left.</returns>
    /// <exception cref="NotSupportedException">This pointer is not a whole-column sum, mean or variance.</exception>
    /// <exception cref="AccessDeniedException">The budget does not cover it; the exception says how to ask for more.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<ReleaseResponse> ReleaseAsync(double epsilon, double delta = 0, CancellationToken cancellationToken = default)
    {
        var aggregate = Op switch { "sum" => "sum", "mean" => "mean", "var" => "variance", _ => null };
        if (aggregate is null || Dims is not null || Inputs is not [{ Op: "column", DatasetId: { } dataset, ColumnName: { } column }])
        {
            throw new NotSupportedException(
                $"ReleaseAsync releases Sum(), Mean() or Var() of a dataset column under differential privacy; this pointer is {this}.");
        }

        return Client.ReleaseAsync(new ReleaseRequest(dataset, column, aggregate, epsilon, delta), cancellationToken);
    }

    /// <summary>The operation and, once known, the object id; never values.</summary>
    /// <returns>A description such as <c>RemotePointer(mean, object 0a1b...)</c>.</returns>
    public override string ToString() => $"RemotePointer({Op}{(ObjectId is { } id ? ", object " + id : string.Empty)})";

    internal static RemotePointer Column(DomainClient client, string datasetId, string column) =>
        new(client, "column", []) { DatasetId = datasetId, ColumnName = column };

    internal static RemotePointer Object(DomainClient client, string objectId) => new(client, "object", []) { KnownObjectId = objectId };

    /// <summary>Records the object a plan run made for this pointer (when several pointers were run in one plan).</summary>
    internal void Complete(ObjectInfo info)
    {
        lock (_gate)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = Task.FromResult(info);
            }
        }
    }

    private async Task<ObjectInfo> RunAloneAsync(CancellationToken cancellationToken)
    {
        var outputs = await Client.RunAsync([this], cancellationToken).ConfigureAwait(false);
        return outputs[0];
    }
}
