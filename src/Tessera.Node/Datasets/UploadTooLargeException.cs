namespace Tessera.Node.Datasets;

/// <summary>An upload went past the node's size limit while streaming; nothing of it was kept.</summary>
internal sealed class UploadTooLargeException(long limit)
    : Exception($"The upload is larger than this node accepts ({limit} bytes; setting Tessera:Node:MaxUploadBytes).")
{
    public long Limit { get; } = limit;
}
