namespace ContainerManager.Core.Jobs;

/// <summary>One try at running a job: where it ran and how it ended.</summary>
public sealed class JobAttempt
{
    /// <summary>Job the attempt belongs to.</summary>
    public long JobId { get; init; }

    /// <summary>Attempt number, from 1.</summary>
    public int Attempt { get; init; }

    /// <summary>Status the job had when this attempt ended, or has while it runs.</summary>
    public JobStatus Status { get; init; }

    /// <summary>Executor host the attempt ran on.</summary>
    public string? HostName { get; init; }

    /// <summary>Engine's container id.</summary>
    public string? ContainerId { get; init; }

    /// <summary>Processor that launched or finished the attempt.</summary>
    public string? ProcessorId { get; init; }

    /// <summary>Time the container started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Time the attempt ended (UTC).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Container exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the container was killed for memory.</summary>
    public bool OomKilled { get; init; }

    /// <summary>Why the attempt failed, if it did.</summary>
    public string? ErrorMessage { get; init; }
}
