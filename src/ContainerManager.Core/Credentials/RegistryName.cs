using System.Text.RegularExpressions;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Credentials;

/// <summary>
/// Normalizes registry names as people and Docker config files write them, so that a
/// credential stored for https://index.docker.io/v1/ is found for docker.io/library/busybox.
/// </summary>
public static partial class RegistryName
{
    /// <summary>Name under which Docker Hub's credentials are kept.</summary>
    public const string DockerHub = "docker.io";

    private static readonly string[] DockerHubAliases =
        ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>
    /// Returns the registry host and optional port in lower case, without scheme or path,
    /// with Docker Hub's aliases mapped to docker.io.
    /// </summary>
    /// <exception cref="ContainerManagerException">InvalidRegistry when the text is no host[:port].</exception>
    public static string Normalize(string? registry)
    {
        if (TryNormalize(registry, out var normalized))
        {
            return normalized!;
        }

        throw new ContainerManagerException(
            "InvalidRegistry",
            ErrorKind.InvalidArgument,
            $"The registry '{registry}' is invalid. Give its host and optional port as in the image " +
            "reference, such as registry.example:5000 or docker.io.",
            registry);
    }

    /// <summary>Returns whether <paramref name="registry"/> can be normalized, and the result.</summary>
    public static bool TryNormalize(string? registry, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(registry))
        {
            return false;
        }

        var text = registry.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        // Docker config files key Docker Hub as https://index.docker.io/v1/, so a path
        // after the host is dropped.
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        text = text.ToLowerInvariant();
        if (!HostPattern().IsMatch(text))
        {
            return false;
        }

        normalized = DockerHubAliases.Contains(text) ? DockerHub : text;
        return true;
    }

    [GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
