namespace Tessera.Mpc.Communication;

/// <summary>A peer of an MPC session died, closed its connection, or did not answer within the communicator's timeout.</summary>
public sealed class PartyDisconnectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PartyDisconnectedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public PartyDisconnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public PartyDisconnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a rank.</summary>
    /// <param name="rank">The party that is gone.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause, or null.</param>
    public PartyDisconnectedException(int rank, string message, Exception? innerException = null)
        : base(message, innerException) => Rank = rank;

    /// <summary>The rank of the party that is gone, when known (-1 otherwise).</summary>
    public int Rank { get; } = -1;
}
