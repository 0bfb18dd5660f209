namespace Tessera.Node.Datasets;

/// <summary>A file received into the blob store's temporary folder, with its SHA-256 and length, not yet promoted.</summary>
/// <param name="TemporaryPath">Where the bytes are now.</param>
/// <param name="Sha256">The lower-case hex SHA-256 of the bytes: the blob's name once promoted.</param>
/// <param name="Length">The number of bytes.</param>
internal sealed record StagedBlob(string TemporaryPath, string Sha256, long Length);
