namespace ContainerManager.Core.Storage;

/// <summary>
/// Columns to write together with a status change. Null properties leave their column as it
/// is; the Clear flags set a column back to null.
/// </summary>
public sealed class JobChanges
{
    /// <summary>Number of the attempt the change belongs to.</summary>
    public int? Attempt { get; init; }

    /// <summary>Container id of the current attempt.</summary>
    public string? ContainerId { get; init; }

    /// <summary>Executor host of the current attempt.</summary>
    public string? HostName { get; init; }

    /// <summary>Time the container started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Time the attempt ended, or the time a queued job was cancelled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Exit code of the container.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the container was killed for memory.</summary>
    public bool? OomKilled { get; init; }

    /// <summary>Reason for a failure or a wait, for people.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Next time the job may be claimed.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>
    /// Attempts made before the current run; a restart sets it to the attempt count so the
    /// restarted job gets its full MaxAttempts again.
    /// </summary>
    public int? AttemptBase { get; init; }

    /// <summary>Sets the claim's owner and expiry to null, so any processor may take the job.</summary>
    public bool ClearLease { get; init; }

    /// <summary>Sets the error message to null.</summary>
    public bool ClearError { get; init; }

    /// <summary>Sets exit code, OOM flag, container, start and completion times to null.</summary>
    public bool ClearOutcome { get; init; }

    /// <summary>No column besides the status changes.</summary>
    public static JobChanges None { get; } = new();
}
