namespace Tessera.Mpc.Providers;

/// <summary>How the <see cref="TrustedDealer"/> learns which correlated randomness the parties need next.</summary>
public enum DealerMode
{
    /// <summary>
    /// Party 0 announces each request to the dealer (a 13-byte descriptor: kind and sizes, never values) and the dealer
    /// serves whatever comes (<see cref="TrustedDealer.ServeRequestsAsync"/>), so any program runs against the same dealer:
    /// encrypted models, autograd, training. The default.
    /// </summary>
    OnRequest,

    /// <summary>
    /// Nobody tells the dealer anything: it runs a script that makes the same requests in the same order as the parties
    /// (for example <c>EncryptedTensorDealing</c>), and receives nothing at all. Saves the announcement's hop, at the cost
    /// of keeping a script in step with the program.
    /// </summary>
    Scripted,
}
