namespace Tessera.Contracts;

/// <summary>The answer to creating a dataset: its metadata and where to PUT the files.</summary>
/// <param name="Dataset">The new, pending dataset.</param>
/// <param name="UploadUrl">PUT the content's raw bytes here, with a <c>Request-Id</c> header.</param>
/// <param name="MockUploadUrl">PUT the mock twin's raw bytes here after the content, when the mock is provided; else null.</param>
public sealed record DatasetCreatedResponse(DatasetInfo Dataset, string UploadUrl, string? MockUploadUrl);
