namespace ContainerManager.Core.Storage;

/// <summary>
/// Fields to change on a queued job; null leaves a field as it is. The merged result is
/// validated like a new job before anything is written.
/// </summary>
public sealed class JobUpdate
{
    /// <summary>New name.</summary>
    public string? Name { get; init; }

    /// <summary>New image reference.</summary>
    public string? Image { get; init; }

    /// <summary>New argument vector.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>New memory limit in MiB.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>New CPU limit in cores.</summary>
    public double? Cpus { get; init; }

    /// <summary>New timeout in seconds.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>New priority.</summary>
    public int? Priority { get; init; }

    /// <summary>New earliest start time.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>New number of attempts allowed.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>New exit codes that count as retryable.</summary>
    public IReadOnlyList<int>? RetryExitCodes { get; init; }

    /// <summary>Returns whether the update changes nothing.</summary>
    public bool IsEmpty =>
        Name is null && Image is null && Command is null && MemoryMiB is null && Cpus is null
        && TimeoutSeconds is null && Priority is null && DueAt is null && MaxAttempts is null
        && RetryExitCodes is null;
}
