using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Mpc.Communication;

/// <summary>
/// Throwaway certificates for a session whose parties all run on machines one operator controls (local benchmarks,
/// demos): a certificate authority and one ECDSA P-256 certificate per rank naming it, valid for a day. Sessions across
/// organisations use certificates from the organisations' own authorities instead.
/// </summary>
public static class MeshCertificates
{
    /// <summary>Creates a certificate authority (self-signed, CA constraint, key-signing only).</summary>
    /// <param name="name">Its common name.</param>
    /// <returns>The authority with its private key.</returns>
    public static X509Certificate2 CreateAuthority(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
    }

    /// <summary>Creates a party's certificate, signed by <paramref name="authority"/>, naming <paramref name="name"/> (CN and DNS name).</summary>
    /// <param name="authority">The authority, with its private key.</param>
    /// <param name="name">The endpoint name the certificate proves (see <see cref="TcpPartyEndpoint.Name"/>).</param>
    /// <returns>The certificate with its private key.</returns>
    public static X509Certificate2 CreateParty(X509Certificate2 authority, string name)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // Within the authority's validity (its own notAfter was taken a moment earlier).
        var now = DateTimeOffset.UtcNow;
        var notAfter = new DateTimeOffset(authority.NotAfter.ToUniversalTime()).AddMinutes(-1);
        using var certificate = request.Create(authority, now.AddMinutes(-30), notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>Writes a certificate (PEM) and, when it has one, its private key (PKCS#8 PEM, file mode 0600 on Unix).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="certificatePath">Where the certificate goes.</param>
    /// <param name="keyPath">Where the key goes, or null to write none.</param>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string? keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (keyPath is null)
        {
            return;
        }

        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(keyPath, System.Text.Encoding.ASCII, options);
        writer.Write(key.ExportPkcs8PrivateKeyPem());
    }
}
