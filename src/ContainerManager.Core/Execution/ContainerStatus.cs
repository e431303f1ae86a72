namespace ContainerManager.Core.Execution;

/// <summary>State of a container as the engine reports it.</summary>
public sealed class ContainerStatus
{
    /// <summary>Engine's container id.</summary>
    public required string ContainerId { get; init; }

    /// <summary>Whether the main process is still running (or restarting or paused).</summary>
    public bool Running { get; init; }

    /// <summary>Whether the container was created but never started.</summary>
    public bool NeverStarted { get; init; }

    /// <summary>Exit code once the container has exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the kernel killed the container for exceeding its memory limit.</summary>
    public bool OomKilled { get; init; }

    /// <summary>Time the main process started, if it did.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Time the main process exited, if it did.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Engine's error text for a container that failed to start.</summary>
    public string? Error { get; init; }

    /// <summary>Labels of the container.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } =
        new Dictionary<string, string>();
}
