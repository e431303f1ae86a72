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
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && uri.Scheme is "unix" or "tcp" or "npipe" or "http" or "https")
        {
            return uri;
        }

        throw new Errors.ContainerManagerException(
            "InvalidEndpoint",
            Errors.ErrorKind.InvalidArgument,
            $"The engine endpoint '{endpoint}' is invalid. Give unix:///path/to/docker.sock, " +
            "tcp://host:port or npipe://./pipe/name.",
            endpoint);
    }
}
