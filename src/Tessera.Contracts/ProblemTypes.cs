namespace Tessera.Contracts;

/// <summary>Stable <c>type</c> URIs of the node's ProblemDetails errors, so clients can branch on them.</summary>
public static class ProblemTypes
{
    /// <summary>No valid bearer token was sent.</summary>
    public const string Unauthenticated = "https://tessera.dev/problems/unauthenticated";

    /// <summary>The caller may not do this.</summary>
    public const string Forbidden = "https://tessera.dev/problems/forbidden";

    /// <summary>No such object, or not one the caller may see (the two answer alike).</summary>
    public const string NotFound = "https://tessera.dev/problems/not-found";

    /// <summary>The request was malformed or failed validation.</summary>
    public const string Invalid = "https://tessera.dev/problems/invalid-request";

    /// <summary>The request conflicts with what is stored (a duplicate email, say).</summary>
    public const string Conflict = "https://tessera.dev/problems/conflict";

    /// <summary>The request body is larger than the node accepts.</summary>
    public const string TooLarge = "https://tessera.dev/problems/too-large";
}
