namespace ContainerManager.Core.Processing;

/// <summary>A container this store created whose job no longer needs it.</summary>
public sealed class OrphanedContainer
{
    /// <summary>Executor host whose engine has the container.</summary>
    public required string HostName { get; init; }

    /// <summary>Engine's id of the container.</summary>
    public required string ContainerId { get; init; }

    /// <summary>Job id from the container's label; null when the label is missing or not a number.</summary>
    public long? JobId { get; init; }

    /// <summary>Attempt number from the container's label; null when missing.</summary>
    public int? Attempt { get; init; }

    /// <summary>Whether the container was still running when it was found.</summary>
    public bool Running { get; init; }

    /// <summary>Why the container counts as orphaned, in words for people.</summary>
    public required string Reason { get; init; }
}
