namespace Tessera.Client;

/// <summary>
/// The caller is known but may not do this: their role does not allow it, or the result is private until the data owner
/// approves. <see cref="HowToAsk"/> carries the node's explanation of how to ask for access.
/// </summary>
public sealed class AccessDeniedException : TesseraException
{
    internal AccessDeniedException(string message, string howToAsk, int? statusCode, string? problemType)
        : base(message, statusCode, problemType, null)
    {
        HowToAsk = howToAsk;
    }

    /// <summary>The node's explanation of why access was refused and how to ask for it.</summary>
    public string HowToAsk { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
