namespace Tessera.Contracts;

/// <summary>What an account may do on a node.</summary>
public enum Role
{
    /// <summary>The data owner: everything, including the audit log and approvals.</summary>
    Owner,

    /// <summary>Manages users and requests for the owner.</summary>
    Admin,

    /// <summary>Computes on private data through pointers and plans, and asks for results.</summary>
    DataScientist,

    /// <summary>Reads public metadata and mock data only.</summary>
    Guest,
}
