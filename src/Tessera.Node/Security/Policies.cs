namespace Tessera.Node.Security;

/// <summary>Authorization policy names.</summary>
internal static class Policies
{
    public const string Owner = "owner";
    public const string OwnerOrAdmin = "owner-or-admin";
}
