namespace ContainerManager.Core.Processing;

/// <summary>A processor as recorded in the store by its heartbeat.</summary>
public sealed class ProcessorInfo
{
    /// <summary>Processor id (machine:pid:random).</summary>
    public required string Id { get; init; }

    /// <summary>Machine the processor runs on.</summary>
    public required string Machine { get; init; }

    /// <summary>Operating-system process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>SingleRun or Continuous.</summary>
    public required string Mode { get; init; }

    /// <summary>Time the processor started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Time of its latest heartbeat (UTC).</summary>
    public DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>Time it stopped cleanly, or null if it runs or crashed.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>
    /// Reason why its latest check of the engines found none to use, so it claimed nothing.
    /// Null when at least one engine responded.
    /// </summary>
    public string? LastError { get; init; }

    /// <summary>Returns a copy with <see cref="LastError"/> set to <paramref name="error"/>.</summary>
    public ProcessorInfo WithLastError(string? error) => new()
    {
        Id = Id, Machine = Machine, ProcessId = ProcessId, Mode = Mode, StartedAt = StartedAt,
        HeartbeatAt = HeartbeatAt, StoppedAt = StoppedAt, LastError = error,
    };
}
