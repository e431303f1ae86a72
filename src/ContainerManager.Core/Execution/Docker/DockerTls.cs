using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ContainerManager.Core.Hosts;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>
/// TLS settings of one host: the client certificate it presents and the check of the
/// engine's certificate. The check records why it rejected a certificate, because the
/// handshake error that reaches the caller states only that the callback returned false.
/// </summary>
internal sealed class DockerTls
{
    private readonly ExecutorHost _host;
    private readonly X509Certificate2Collection? _authorities;
    private readonly string _serverName;
    private volatile string? _lastRejection;

    public DockerTls(ExecutorHost host, Uri endpoint)
    {
        _host = host;
        _serverName = endpoint.Host;
        _authorities = DockerTlsFiles.LoadCertificateAuthorities(host);
        var credentials = new CertificateCredentials(DockerTlsFiles.LoadClientCertificate(host))
        {
            ServerCertificateValidationCallback = ValidateServerCertificate,
        };
        AuthProvider = credentials;
    }

    /// <summary>Provider that puts the client certificate and the check on the client's handler.</summary>
    public IAuthProvider AuthProvider { get; }

    /// <summary>Why the last engine certificate was rejected, or null if the last one passed.</summary>
    public string? LastRejection => _lastRejection;

    private bool ValidateServerCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors)
    {
        if (!_host.TlsVerify)
        {
            return Accept();
        }

        if (certificate is null)
        {
            return Reject("the engine sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return Reject($"the engine's certificate (subject '{certificate.Subject}') is not valid for " +
                $"'{_serverName}'. Use the name or address in the certificate's subject alternative names " +
                "in the endpoint, or reissue the certificate");
        }

        if (_authorities is null)
        {
            return errors == SslPolicyErrors.None
                ? Accept()
                : Reject($"the engine's certificate (issuer '{certificate.Issuer}') is not trusted by this " +
                    $"machine ({errors}). Give the CA that signed it with -TlsCaPath");
        }

        // Only the host's own CAs count, as with dockerd's --tlscacert: a certificate that
        // the machine trusts but the given CA did not sign is rejected.
        using var custom = new X509Chain();
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var server = new X509Certificate2(certificate);
        if (custom.Build(server))
        {
            return Accept();
        }

        var status = string.Join(", ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
        return Reject($"the engine's certificate (subject '{server.Subject}', issuer '{server.Issuer}') " +
            $"does not chain to a CA in '{_host.TlsCaPath}' ({status}). Give the CA that signed the " +
            "engine's certificate with -TlsCaPath, and check that the endpoint is the intended engine");
    }

    private bool Accept()
    {
        _lastRejection = null;
        return true;
    }

    private bool Reject(string reason)
    {
        _lastRejection = reason;
        return false;
    }
}
