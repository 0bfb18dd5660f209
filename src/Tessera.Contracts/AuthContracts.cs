namespace Tessera.Contracts;

/// <summary>Credentials for <see cref="ApiRoutes.Login"/>.</summary>
/// <param name="Email">The account's email.</param>
/// <param name="Password">The password.</param>
public sealed record LoginRequest(string Email, string Password);

/// <summary>A bearer token and when it expires.</summary>
/// <param name="Token">The token to send as <c>Authorization: Bearer ...</c>.</param>
/// <param name="ExpiresAt">When the token stops working.</param>
/// <param name="User">The account it belongs to.</param>
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, UserInfo User);

/// <summary>An account as the API shows it (never the password hash).</summary>
/// <param name="Id">The account's unguessable id.</param>
/// <param name="Email">The email.</param>
/// <param name="Role">The role.</param>
/// <param name="Status">Whether it may log in.</param>
public sealed record UserInfo(string Id, string Email, Role Role, AccountStatus Status);

/// <summary>Asks for an invitation code for a new account.</summary>
/// <param name="Email">The invitee's email.</param>
/// <param name="Role">The role the account will get (not Owner).</param>
public sealed record InvitationRequest(string Email, Role Role);

/// <summary>An invitation code, shown once.</summary>
/// <param name="Code">The code the invitee registers with.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
public sealed record InvitationResponse(string Code, DateTimeOffset ExpiresAt);

/// <summary>Registers an account.</summary>
/// <param name="Email">The email.</param>
/// <param name="Password">The password (at least 12 characters).</param>
/// <param name="InvitationCode">An invitation code; without one the account waits for approval as a Guest.</param>
public sealed record RegisterRequest(string Email, string Password, string? InvitationCode);

/// <summary>One entry of the audit log.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="At">When it happened.</param>
/// <param name="ActorId">Who did it, or null for the system.</param>
/// <param name="Action">What was done, such as <c>user.login</c>.</param>
/// <param name="Subject">What it was done to, or null.</param>
/// <param name="Outcome">success or denied.</param>
public sealed record AuditEntryInfo(string Id, DateTimeOffset At, string? ActorId, string Action, string? Subject, string Outcome);

/// <summary>The answer of <see cref="ApiRoutes.Health"/>.</summary>
/// <param name="Status">ok when the node and its database answer.</param>
/// <param name="Name">The node's name.</param>
public sealed record HealthResponse(string Status, string Name);
