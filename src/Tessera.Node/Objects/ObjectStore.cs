using Tessera.Node.Datasets;
using Tessera.Serialization;

namespace Tessera.Node.Objects;

/// <summary>Keeps private objects' values as single-tensor safetensors files in the node's content-addressed blob store.</summary>
internal static class ObjectStore
{
    private const string TensorName = "value";

    /// <summary>Writes <paramref name="value"/> to a staged blob (Float64 or Bool); promote it after the row commits.</summary>
    public static StagedBlob Stage(DatasetBlobStore blobs, Tensor value)
    {
        var path = blobs.NewTemporaryPath();
        SafeTensors.Save(path, new Dictionary<string, Tensor>(StringComparer.Ordinal) { [TensorName] = value });
        return DatasetBlobStore.Stage(path);
    }

    public static Tensor Read(DatasetBlobStore blobs, ObjectRecord record)
    {
        var file = SafeTensors.Load(blobs.PathOf(record.BlobSha256));
        return file.Tensors[TensorName];
    }
}
