using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using Docker.DotNet;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>Turns Docker.DotNet and transport exceptions into classified executor failures.</summary>
internal static class DockerFailures
{
    /// <summary>Returns whether the exception means the engine could not be reached at all.</summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException or TimeoutException
            || (exception is TaskCanceledException tce && tce.InnerException is TimeoutException)
            || (exception.InnerException is { } inner && IsConnectionFailure(inner));

    /// <summary>Builds the error for an engine that did not respond, with the likely fix.</summary>
    public static ExecutorException Unreachable(string endpoint, Exception exception)
    {
        var reason = Innermost(exception).Message;
        var hint = Hint(endpoint, exception);
        return new ExecutorException(
            "EngineUnreachable",
            ErrorKind.ResourceUnavailable,
            FailureKind.Transient,
            $"The Docker engine at {endpoint} is not reachable: {reason}. {hint}",
            endpoint,
            exception);
    }

    /// <summary>Returns whether the exception means the TLS handshake with the engine failed.</summary>
    public static bool IsTlsFailure(Exception exception) =>
        exception is AuthenticationException
            || (exception.InnerException is { } inner && IsTlsFailure(inner));

    /// <summary>
    /// Builds the error for a failed TLS handshake: this client rejected the engine's
    /// certificate for the reason in <paramref name="serverRejection"/>, the engine rejected
    /// the client certificate, or the handshake failed for another reason.
    /// </summary>
    public static ExecutorException TlsFailed(ExecutorHost host, string? serverRejection, Exception exception)
    {
        var reason = Innermost(exception).Message;
        if (serverRejection is not null)
        {
            return new ExecutorException("TlsServerCertificateRejected", ErrorKind.PermissionDenied,
                FailureKind.Transient,
                $"This client rejected the TLS connection to the engine at {host.Endpoint} because " +
                $"{serverRejection}.", host.Endpoint, exception);
        }

        var text = reason.ToLowerInvariant();
        var certificateAlert = text.Contains("bad certificate") || text.Contains("unknown ca")
            || text.Contains("certificate required") || text.Contains("certificate unknown");
        if (certificateAlert && host.TlsCertPath is null)
        {
            return new ExecutorException("TlsClientCertificateRejected", ErrorKind.PermissionDenied,
                FailureKind.Transient,
                $"The engine at {host.Endpoint} requires a client certificate ({reason}). Give the " +
                "certificate and its key with -TlsCertPath and -TlsKeyPath.", host.Endpoint, exception);
        }

        if (certificateAlert)
        {
            return new ExecutorException("TlsClientCertificateRejected", ErrorKind.PermissionDenied,
                FailureKind.Transient,
                $"The engine at {host.Endpoint} rejected the client certificate '{host.TlsCertPath}' " +
                $"({reason}). Use a client certificate signed by the CA that the engine trusts (its " +
                "--tlscacert), with the key that belongs to it.", host.Endpoint, exception);
        }

        return new ExecutorException("TlsHandshakeFailed", ErrorKind.ResourceUnavailable, FailureKind.Transient,
            $"The TLS handshake with the engine at {host.Endpoint} failed: {reason}. Check that the engine " +
            "listens with TLS at this address (dockerd --tlsverify) and that the certificates were made " +
            "for it.", host.Endpoint, exception);
    }

    /// <summary>Returns whether the engine responded that it expects TLS on this address.</summary>
    public static bool IsTlsRequired(DockerApiException exception) =>
        exception.StatusCode == HttpStatusCode.BadRequest
            && ApiMessage(exception).Contains("HTTPS server", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the error for a plain HTTP request to an engine that listens with TLS.</summary>
    public static ExecutorException TlsRequired(string endpoint, DockerApiException exception) =>
        new("EngineRequiresTls", ErrorKind.InvalidOperation, FailureKind.Transient,
            $"The engine at {endpoint} expects TLS, but the host has no TLS settings ({ApiMessage(exception)}). " +
            "Give the CA, client certificate and key with -TlsCaPath, -TlsCertPath and -TlsKeyPath.",
            endpoint, exception);

    /// <summary>
    /// Classifies a failed pull of <paramref name="image"/> from <paramref name="registry"/>.
    /// Unknown repositories and tags, rejected credentials and other requests that the
    /// engine rejects (4xx) are permanent, anything else transient.
    /// </summary>
    public static ExecutorException PullFailed(
        ImageReference image,
        string registry,
        string where,
        string message,
        RegistryCredential? credential,
        Exception? inner)
    {
        var text = message.ToLowerInvariant();
        var accessDenied = text.Contains("unauthorized") || text.Contains("denied")
            || text.Contains("no basic auth") || text.Contains("authentication required");
        var notFound = text.Contains("manifest unknown") || text.Contains("not found")
            || text.Contains("does not exist") || text.Contains("name unknown");

        // Docker Hub returns "pull access denied ... repository does not exist or may require
        // 'docker login'" for both cases, so a denial that mentions login counts as a denial.
        if (notFound && !(accessDenied && text.Contains("docker login")))
        {
            return new ExecutorException("ImageNotFound", ErrorKind.ObjectNotFound, FailureKind.Permanent,
                $"The image '{image.Original}' was not found in the registry {registry}: {message}. Check the " +
                "repository name and the tag or digest.", image.Original, inner);
        }

        if (accessDenied && credential is { IsUsable: false })
        {
            return new ExecutorException("CredentialHelperNotSupported", ErrorKind.PermissionDenied,
                FailureKind.Permanent,
                $"The registry {registry} denied access to '{image.Original}': {message}. {credential.Source} " +
                $"keeps the credentials for {registry} in the credential helper '{credential.CredentialHelper}', " +
                "which ContainerManager does not run, so the pull was anonymous. Store the credentials with " +
                $"Set-CmRegistryCredential -Registry {registry} -Credential (Get-Credential).",
                image.Original, inner);
        }

        if (accessDenied && credential is null)
        {
            return new ExecutorException("ImagePullAccessDenied", ErrorKind.PermissionDenied, FailureKind.Permanent,
                $"The registry {registry} denied access to '{image.Original}', and no credentials are " +
                $"configured for it: {message}. Store them with Set-CmRegistryCredential -Registry {registry} " +
                $"-Credential (Get-Credential), or run docker login {registry}.", image.Original, inner);
        }

        if (accessDenied)
        {
            return new ExecutorException("ImagePullAccessDenied", ErrorKind.PermissionDenied, FailureKind.Permanent,
                $"The registry {registry} rejected the credentials of user '{credential!.UserName}' from " +
                $"{credential.Source} for '{image.Original}': {message}. Check the user name and password, " +
                "then store them again with Set-CmRegistryCredential or docker login.", image.Original, inner);
        }

        var rejected = inner is DockerApiException api && IsRejected(api);
        return new ExecutorException("ImagePullFailed", ErrorKind.ResourceUnavailable,
            rejected ? FailureKind.Permanent : FailureKind.Transient,
            $"Pulling '{image.Original}' on {where} failed: {message}", image.Original, inner);
    }

    /// <summary>
    /// Returns whether the engine rejected the request itself (HTTP 4xx), so that sending it
    /// again cannot succeed. A 5xx status is a failure of the engine that may be temporary, and
    /// so are 408 Request Timeout and 429 Too Many Requests, which ask the client to try later.
    /// </summary>
    public static bool IsRejected(DockerApiException exception) =>
        (int)exception.StatusCode is >= 400 and < 500
            && exception.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    /// <summary>
    /// Classifies an API error that no more specific case covers: permanent when the engine
    /// rejected the request (4xx), transient otherwise.
    /// </summary>
    public static ExecutorException RequestFailed(string endpoint, DockerApiException exception) =>
        new("EngineRequestFailed", ErrorKind.ResourceUnavailable,
            IsRejected(exception) ? FailureKind.Permanent : FailureKind.Transient,
            $"The engine at {endpoint} rejected a request: {ApiMessage(exception)}", null, exception);

    /// <summary>
    /// Builds the permanent error for an image reference that this module parses but the
    /// engine rejects, such as a digest of the wrong length.
    /// </summary>
    public static ExecutorException ImageRejected(string image, string where, DockerApiException exception) =>
        new("InvalidImage", ErrorKind.InvalidArgument, FailureKind.Permanent,
            $"The image reference '{image}' is invalid on {where}: {ApiMessage(exception)}. Give a " +
            "reference such as 'busybox:1.36', or a digest of full length.", image, exception);

    /// <summary>
    /// Classifies an API error from create or start. The engine returns 500 when the runtime
    /// cannot start the process, and for a missing program or user that is the job's own
    /// setting, which no retry fixes.
    /// </summary>
    public static ExecutorException LaunchFailed(string image, string endpoint, DockerApiException exception)
    {
        var message = ApiMessage(exception);
        var permanent = IsRejected(exception)
            || RuntimeConfigErrors.Any(text => message.Contains(text, StringComparison.OrdinalIgnoreCase));
        return new ExecutorException(
            permanent ? "ContainerConfigInvalid" : "ContainerLaunchFailed",
            permanent ? ErrorKind.InvalidArgument : ErrorKind.ResourceUnavailable,
            permanent ? FailureKind.Permanent : FailureKind.Transient,
            $"The engine at {endpoint} could not start a container from '{image}': {message}",
            image,
            exception);
    }

    // Texts of runtime errors caused by the container's settings, as runc words them.
    private static readonly string[] RuntimeConfigErrors =
    [
        "executable file not found",
        "no such file or directory",
        "unable to find user",
        "unable to find group",
        "permission denied",
    ];

    /// <summary>Returns the engine's own message from an API error body.</summary>
    public static string ApiMessage(DockerApiException exception)
    {
        var body = exception.ResponseBody;
        if (string.IsNullOrWhiteSpace(body))
        {
            return exception.Message;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body.Trim();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the engine sent plain text.
        }

        return body.Trim();
    }

    private static string Hint(string endpoint, Exception exception)
    {
        var socket = Innermost(exception) as SocketException;
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = new Uri(endpoint).LocalPath;
            if (!File.Exists(path))
            {
                return $"The socket {path} does not exist: start the Docker daemon, or set DOCKER_HOST " +
                    "to the engine's socket.";
            }

            if (socket?.SocketErrorCode == SocketError.AccessDenied || exception.ToString().Contains("Permission denied"))
            {
                return $"Permission to {path} was denied: add your user to the group that owns the socket " +
                    "(usually 'docker'), then log in again.";
            }

            return "The socket exists but nothing answers on it: check that the daemon is running.";
        }

        return socket?.SocketErrorCode == SocketError.ConnectionRefused
            ? "Nothing listens at that address: check the host, the port and that the daemon is running."
            : "Check the address, the network path and, for TLS endpoints, the certificates.";
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
