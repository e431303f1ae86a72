namespace ContainerManager.Core.Execution.Docker;

/// <summary>Finds the local engine's endpoint the way the docker CLI does without a context.</summary>
public static class DockerEndpoint
{
    /// <summary>Returns $DOCKER_HOST if set, else the platform's default socket or named pipe.</summary>
    public static Uri ResolveLocal()
    {
        var fromEnvironment = System.Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Parse(fromEnvironment);
        }

        return OperatingSystem.IsWindows()
            ? new Uri("npipe://./pipe/docker_engine")
            : new Uri("unix:///var/run/docker.sock");
    }

    /// <summary>
    /// Parses an endpoint such as unix:///run/docker.sock, tcp://host:2376 or
    /// npipe://./pipe/docker_engine.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">The text is not one of those forms.</exception>
    public static Uri Parse(string endpoint)
    {
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && IsUsable(uri))
        {
            return uri;
        }

        var platform = uri?.Scheme == "npipe" && !OperatingSystem.IsWindows()
            ? " Named pipes exist only on Windows."
            : "";
        throw new Errors.ContainerManagerException(
            "InvalidEndpoint",
            Errors.ErrorKind.InvalidArgument,
            $"The engine endpoint '{endpoint}' is invalid.{platform} Give unix:///path/to/docker.sock, " +
            "tcp://host:port or npipe://./pipe/name.",
            endpoint);
    }

    // A unix endpoint needs a socket path, a tcp one a host, and a named pipe works only on
    // Windows. Other endpoints would fail later inside the Docker client with a less clear error.
    private static bool IsUsable(Uri uri) => uri.Scheme switch
    {
        "unix" => uri.AbsolutePath.Length > 1,
        "tcp" or "http" or "https" => uri.Host.Length > 0,
        "npipe" => OperatingSystem.IsWindows(),
        _ => false,
    };
}
