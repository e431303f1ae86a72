using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>Loads a host's PEM files, with errors that name the file and the fix.</summary>
internal static class DockerTlsFiles
{
    /// <summary>Returns the CA certificates of <see cref="ExecutorHost.TlsCaPath"/>, or null when none is set.</summary>
    public static X509Certificate2Collection? LoadCertificateAuthorities(ExecutorHost host)
    {
        if (host.TlsCaPath is not { } path)
        {
            return null;
        }

        RequireFile(host, path, "-TlsCaPath");
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(host, path, "-TlsCaPath", ex.Message, ex);
        }

        if (certificates.Count == 0)
        {
            throw Unreadable(host, path, "-TlsCaPath", "it contains no PEM certificate", null);
        }

        return certificates;
    }

    /// <summary>Returns the client certificate with its key, or null when the host has none.</summary>
    public static X509Certificate2? LoadClientCertificate(ExecutorHost host)
    {
        if (host.TlsCertPath is not { } certPath || host.TlsKeyPath is not { } keyPath)
        {
            return null;
        }

        RequireFile(host, certPath, "-TlsCertPath");
        RequireFile(host, keyPath, "-TlsKeyPath");

        // .NET reports a key of another certificate as ArgumentException, not CryptographicException.
        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException
            or UnauthorizedAccessException)
        {
            throw new ContainerManagerException(
                "TlsFileInvalid",
                ErrorKind.InvalidArgument,
                $"The client certificate '{certPath}' and key '{keyPath}' of host '{host.Name}' could not " +
                $"be loaded: {ex.Message} Give a PEM certificate and the unencrypted PEM key that " +
                "belongs to it.",
                certPath,
                ex);
        }
    }

    private static void RequireFile(ExecutorHost host, string path, string parameter)
    {
        if (!File.Exists(path))
        {
            throw new ContainerManagerException(
                "TlsFileNotFound",
                ErrorKind.ObjectNotFound,
                $"The TLS file '{path}' of host '{host.Name}' does not exist. Check the path given with " +
                $"{parameter}.",
                path);
        }
    }

    private static ContainerManagerException Unreadable(
        ExecutorHost host,
        string path,
        string parameter,
        string reason,
        Exception? inner) =>
        new("TlsFileInvalid", ErrorKind.InvalidArgument,
            $"The TLS file '{path}' of host '{host.Name}' could not be read: {reason}. Give a PEM file " +
            $"with {parameter}.", path, inner);
}
