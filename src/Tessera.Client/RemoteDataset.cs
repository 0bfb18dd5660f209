namespace Tessera.Client;

/// <summary>
/// A dataset on a node, seen through pointers: <c>dataset["weight"]</c> is a pointer to that column's real values, which stay
/// on the node. Operations on pointers build a plan; nothing is sent until a result is asked for.
/// </summary>
public sealed class RemoteDataset
{
    private readonly DomainClient _client;

    internal RemoteDataset(DomainClient client, string id)
    {
        _client = client;
        Id = id;
    }

    /// <summary>The dataset's id.</summary>
    public string Id { get; }

    /// <summary>A pointer to one CSV column's values (a Float64 vector with one entry per row).</summary>
    /// <param name="column">The column name, as in the dataset's schema (checked by the node when the plan runs).</param>
    /// <returns>The pointer; no request is sent.</returns>
    public RemotePointer this[string column]
    {
        get
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(column);
            return RemotePointer.Column(_client, Id, column);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"RemoteDataset({Id} on {_client.Domain})";
}
