using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Client;

/// <summary>
/// HTTP clients for talking to nodes and gateways. A node started with its own certificate (a private CA or a self-signed
/// one) is trusted by naming that certificate; the host name is still checked, and no other validation is relaxed.
/// </summary>
public static class TesseraHttp
{
    /// <summary>An HTTP client that trusts the system's roots and, in addition, certificates issued by (or equal to) <paramref name="trustedRoot"/>.</summary>
    /// <param name="trustedRoot">A CA or self-signed server certificate to trust; null for the system's roots only.</param>
    /// <param name="timeout">The request timeout (default 10 minutes, for large uploads).</param>
    /// <returns>A new client; the caller disposes it.</returns>
    public static HttpClient Create(X509Certificate2? trustedRoot = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (trustedRoot is not null)
        {
            var root = X509CertificateLoader.LoadCertificate(trustedRoot.RawData); // public part only; the caller keeps theirs
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidatesAgainst(root, certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())), errors);
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromMinutes(10) };
    }

    /// <summary>An HTTP client trusting the PEM or DER certificate in <paramref name="path"/> (see <see cref="Create(X509Certificate2?, TimeSpan?)"/>).</summary>
    /// <param name="path">The certificate file (PEM or DER; no private key needed).</param>
    /// <param name="timeout">The request timeout (default 10 minutes).</param>
    /// <returns>A new client; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The file is missing or holds no certificate.</exception>
    public static HttpClient Create(string path, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"No certificate file at '{path}'.", nameof(path));
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ArgumentException($"'{path}' does not hold a PEM or DER certificate: {ex.Message}", nameof(path), ex);
        }

        using (certificate)
        {
            return Create(certificate, timeout);
        }
    }

    /// <summary>Accepts a chain that ends in <paramref name="root"/> (name mismatches are never accepted), or one the system already trusts.</summary>
    internal static bool ValidatesAgainst(X509Certificate2 root, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
