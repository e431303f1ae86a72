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

    /// <summary>New working directory inside the container.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>New user of the container's process.</summary>
    public string? User { get; init; }

    /// <summary>New network.</summary>
    public string? Network { get; init; }

    /// <summary>New extra labels, replacing the old ones.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>New named volumes, replacing the old ones.</summary>
    public IReadOnlyList<string>? Volumes { get; init; }

    /// <summary>New bind mounts, replacing the old ones.</summary>
    public IReadOnlyList<string>? BindMounts { get; init; }

    /// <summary>New privileged setting.</summary>
    public bool? Privileged { get; init; }

    /// <summary>Returns whether the update changes nothing.</summary>
    public bool IsEmpty =>
        Name is null && Image is null && Command is null && MemoryMiB is null && Cpus is null
        && TimeoutSeconds is null && Priority is null && DueAt is null && MaxAttempts is null
        && RetryExitCodes is null && WorkingDirectory is null && User is null && Network is null
        && Labels is null && Volumes is null && BindMounts is null && Privileged is null;
}
