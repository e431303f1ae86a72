using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Hosts;

/// <summary>Outcome of pulling one image onto one executor host ahead of time.</summary>
public sealed class ImagePullResult
{
    /// <summary>Host the image was pulled onto.</summary>
    public required string HostName { get; init; }

    /// <summary>Image reference as given.</summary>
    public required string Image { get; init; }

    /// <summary>Whether the engine pulled the image, had it already, or failed.</summary>
    public ImagePullStatus Status { get; init; }

    /// <summary>Time the check and pull took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why the pull failed, with the registry or endpoint concerned; null when it did not.</summary>
    public string? Error { get; init; }
}
