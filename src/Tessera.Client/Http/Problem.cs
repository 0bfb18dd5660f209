namespace Tessera.Client.Http;

/// <summary>The fields of an RFC 9457 ProblemDetails answer the SDK reads.</summary>
internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail);
