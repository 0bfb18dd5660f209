using System.Security.Claims;
using Tessera.Contracts;

namespace Tessera.Node.Apis;

/// <summary>Who is calling, read from the authenticated principal.</summary>
internal static class Caller
{
    public static string Id(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The endpoint needs an authenticated caller.");

    public static Role Role(ClaimsPrincipal user) => Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!);

    public static bool IsOwnerOrAdmin(ClaimsPrincipal user) => Role(user) is Contracts.Role.Owner or Contracts.Role.Admin;
}
