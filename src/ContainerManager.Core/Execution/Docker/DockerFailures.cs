using System.Net;
using System.Net.Sockets;
using ContainerManager.Core.Errors;
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

    /// <summary>Builds the error for an engine that did not answer, with the likely fix.</summary>
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

    /// <summary>Classifies a failed pull of <paramref name="image"/>.</summary>
    public static ExecutorException PullFailed(string image, string endpoint, string message, Exception? inner)
    {
        var text = message.ToLowerInvariant();
        if (text.Contains("manifest unknown") || text.Contains("not found") || text.Contains("does not exist")
            || text.Contains("name unknown"))
        {
            return new ExecutorException("ImageNotFound", ErrorKind.ObjectNotFound, FailureKind.Permanent,
                $"The image '{image}' was not found: {message}. Check the name and tag, and that the " +
                "registry holds it.", image, inner);
        }

        if (text.Contains("unauthorized") || text.Contains("denied") || text.Contains("no basic auth")
            || text.Contains("authentication required"))
        {
            return new ExecutorException("ImagePullAccessDenied", ErrorKind.PermissionDenied,
                FailureKind.Permanent,
                $"The registry refused to serve '{image}': {message}. Log in to the registry " +
                "(docker login) or store credentials for it.", image, inner);
        }

        return new ExecutorException("ImagePullFailed", ErrorKind.ResourceUnavailable, FailureKind.Transient,
            $"Pulling '{image}' on {endpoint} failed: {message}", image, inner);
    }

    /// <summary>Classifies an API error from create or start.</summary>
    public static ExecutorException LaunchFailed(string image, string endpoint, DockerApiException exception)
    {
        var permanent = exception.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound
            or HttpStatusCode.Conflict;
        return new ExecutorException(
            permanent ? "ContainerConfigInvalid" : "ContainerLaunchFailed",
            permanent ? ErrorKind.InvalidArgument : ErrorKind.ResourceUnavailable,
            permanent ? FailureKind.Permanent : FailureKind.Transient,
            $"The engine at {endpoint} could not start a container from '{image}': {ApiMessage(exception)}",
            image,
            exception);
    }

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
