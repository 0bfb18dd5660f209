using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>
/// TLS for the verbs: a node or gateway serves HTTPS when given <c>--cert</c> (PEM with <c>--cert-key</c>, or PKCS#12 with its
/// password in <c>TESSERA_CERT_PASSWORD</c>); client verbs trust an extra CA or self-signed certificate named by
/// <c>TESSERA_CA_CERT</c>.
/// </summary>
internal static class CliTls
{
    public const string CertPasswordVariable = "TESSERA_CERT_PASSWORD";
    public const string TrustVariable = "TESSERA_CA_CERT";

    /// <summary>
    /// Checks the certificate before the server starts (exists, parses, has its private key, is in its validity period) and
    /// returns the Kestrel settings that serve it; errors name the file and the problem, never the password.
    /// </summary>
    public static IReadOnlyList<string> ServerArguments(string certificatePath, string? keyPath, DateTimeOffset now)
    {
        var cert = Path.GetFullPath(certificatePath);
        if (!File.Exists(cert))
        {
            throw new ArgumentException($"--cert: no file at '{cert}'.");
        }

        var key = keyPath is null ? null : Path.GetFullPath(keyPath);
        if (key is not null && !File.Exists(key))
        {
            throw new ArgumentException($"--cert-key: no file at '{key}'.");
        }

        var password = Environment.GetEnvironmentVariable(CertPasswordVariable);
        if (key is null && IsPem(cert))
        {
            throw new ArgumentException($"--cert '{cert}' is PEM: give its private key with --cert-key.");
        }

        X509Certificate2 loaded;
        try
        {
            loaded = key is not null ? X509Certificate2.CreateFromPemFile(cert, key) : X509CertificateLoader.LoadPkcs12FromFile(cert, password);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new ArgumentException(key is not null
                ? $"--cert/--cert-key: '{cert}' and '{key}' are not a PEM certificate and its matching private key ({ex.Message})."
                : $"--cert: '{cert}' is not a PKCS#12 file readable with the password in {CertPasswordVariable} ({ex.Message}).", ex);
        }

        using (loaded)
        {
            if (!loaded.HasPrivateKey)
            {
                throw new ArgumentException($"--cert: '{cert}' holds no private key.");
            }

            if (now < loaded.NotBefore || now > loaded.NotAfter)
            {
                throw new ArgumentException($"--cert: the certificate is valid from {loaded.NotBefore:u} to {loaded.NotAfter:u}, not now.");
            }
        }

        var args = new List<string> { $"--Kestrel:Certificates:Default:Path={cert}" };
        if (key is not null)
        {
            args.Add($"--Kestrel:Certificates:Default:KeyPath={key}");
        }
        else if (!string.IsNullOrEmpty(password))
        {
            args.Add($"--Kestrel:Certificates:Default:Password={password}");
        }

        return args;
    }

    /// <summary>An HTTP client for the client verbs: trusting <c>TESSERA_CA_CERT</c> when set, else null (the SDK's default).</summary>
    public static HttpClient? ClientHttp() =>
        Environment.GetEnvironmentVariable(TrustVariable) is { Length: > 0 } path ? TesseraHttp.Create(path) : null;

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[64];
        var read = reader.Read(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
