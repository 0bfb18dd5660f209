using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli;
using Tessera.Contracts;
using Tessera.Node.Hosting;
using Tessera.TestUtilities;

namespace Tessera.Client.Tests;

/// <summary>A node given a certificate serves HTTPS only; the SDK trusts it when told to, and nothing else is relaxed.</summary>
public sealed class TlsTests
{
    private static (string Cert, string Key, X509Certificate2 Certificate) SelfSigned(string directory, string name = "localhost",
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(directory, $"{name}-{Guid.NewGuid():N}.crt");
        var keyPath = Path.ChangeExtension(certPath, ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    [Fact]
    public async Task NodeWithCertificate_ServesHttpsOnly_SdkTrustsTheNamedCertificateOnly()
    {
        var directory = TestPaths.NewTempDirectory();
        var (cert, key, certificate) = SelfSigned(directory);
        var (_, _, stranger) = SelfSigned(directory);
        var port = LiveNetwork.FreePort();
        var https = new Uri($"https://127.0.0.1:{port}/");
        using var stop = new CancellationTokenSource();
        string[] args =
        [
            $"--urls={https}", $"--Tessera:Node:DataDirectory={Path.Combine(directory, "node")}", "--Tessera:Node:Name=tls-clinic",
            $"--Tessera:Node:OwnerEmail={LiveNetwork.OwnerEmail}", "--Tessera:Node:PasswordIterations=1000", "--Logging:LogLevel:Default=Warning",
            .. CliTls.ServerArguments(cert, key, DateTimeOffset.UtcNow),
        ];
        var host = NodeHost.RunAsync(args, LiveNetwork.OwnerPassword, stop.Token);
        try
        {
            using var trusting = TesseraHttp.Create(cert, TimeSpan.FromSeconds(10));
            await WaitForHealthAsync(trusting, new Uri(https, ApiRoutes.Health), host);

            using (var owner = await DomainClient.LoginAsync(https, LiveNetwork.OwnerEmail, LiveNetwork.OwnerPassword, trusting))
            {
                Assert.Equal(Role.Owner, (await owner.GetMeAsync()).Role);
            }

            // The system roots do not know the certificate, another self-signed one is no substitute, and plain HTTP gets nothing.
            using var system = TesseraHttp.Create(timeout: TimeSpan.FromSeconds(10));
            var refused = await Assert.ThrowsAsync<ServiceUnavailableException>(
                () => DomainClient.LoginAsync(https, LiveNetwork.OwnerEmail, LiveNetwork.OwnerPassword, system));
            Assert.DoesNotContain(LiveNetwork.OwnerPassword, refused.Message, StringComparison.Ordinal);
            using var wrong = TesseraHttp.Create(stranger, TimeSpan.FromSeconds(10));
            await Assert.ThrowsAsync<ServiceUnavailableException>(
                () => DomainClient.LoginAsync(https, LiveNetwork.OwnerEmail, LiveNetwork.OwnerPassword, wrong));
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{port}{ApiRoutes.Health}")));
        }
        finally
        {
            await stop.CancelAsync();
            await host.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void TrustedRoot_NeverExcusesANameMismatch()
    {
        var (_, _, certificate) = SelfSigned(TestPaths.NewTempDirectory(), "clinic.example");
        Assert.False(TesseraHttp.ValidatesAgainst(certificate, certificate, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.True(TesseraHttp.ValidatesAgainst(certificate, certificate, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(TesseraHttp.ValidatesAgainst(certificate, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ServerArguments_BadCertificates_NameTheProblem()
    {
        var directory = TestPaths.NewTempDirectory();
        var (cert, key, _) = SelfSigned(directory);
        var (_, otherKey, _) = SelfSigned(directory);
        var (expired, expiredKey, _) = SelfSigned(directory, notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var garbage = Path.Combine(directory, "garbage.pfx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4]);

        Assert.Contains("no file", Assert.Throws<ArgumentException>(() => CliTls.ServerArguments(Path.Combine(directory, "nope.crt"), null, DateTimeOffset.UtcNow)).Message);
        Assert.Contains("--cert-key", Assert.Throws<ArgumentException>(() => CliTls.ServerArguments(cert, null, DateTimeOffset.UtcNow)).Message);
        Assert.Contains("matching private key", Assert.Throws<ArgumentException>(() => CliTls.ServerArguments(cert, otherKey, DateTimeOffset.UtcNow)).Message);
        Assert.Contains("valid from", Assert.Throws<ArgumentException>(() => CliTls.ServerArguments(expired, expiredKey, DateTimeOffset.UtcNow)).Message);
        Assert.Contains("PKCS#12", Assert.Throws<ArgumentException>(() => CliTls.ServerArguments(garbage, null, DateTimeOffset.UtcNow)).Message);
        var args = CliTls.ServerArguments(cert, key, DateTimeOffset.UtcNow);
        Assert.Contains(args, a => a.StartsWith("--Kestrel:Certificates:Default:Path=", StringComparison.Ordinal));
    }

    private static async Task WaitForHealthAsync(HttpClient http, Uri health, Task host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (host.IsCompleted)
            {
                await host;
                throw new InvalidOperationException("The node stopped during start-up.");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The node did not answer /health over HTTPS within 60 s.");
    }
}
