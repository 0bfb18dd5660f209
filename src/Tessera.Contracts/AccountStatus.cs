namespace Tessera.Contracts;

/// <summary>Whether an account may log in.</summary>
public enum AccountStatus
{
    /// <summary>Registered without an invitation; waits for the owner's approval.</summary>
    Pending,

    /// <summary>May log in.</summary>
    Active,
}
