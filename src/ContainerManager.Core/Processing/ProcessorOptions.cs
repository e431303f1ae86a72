namespace ContainerManager.Core.Processing;

/// <summary>Settings of one processor run.</summary>
public sealed class ProcessorOptions
{
    /// <summary>Jobs this store may have Launching or Running at once.</summary>
    public int MaxConcurrentJobs { get; init; } = 4;

    /// <summary>Whether a single run waits for the jobs it launched and records their results.</summary>
    public bool WaitForJobs { get; init; }

    /// <summary>
    /// How long a claim stays valid without renewal; after it lapses another processor may
    /// take the job over.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Bytes kept per output stream and attempt; half from the start, half from the end.</summary>
    public int LogCapBytes { get; init; } = 1024 * 1024;

    /// <summary>Time a container gets between SIGTERM and SIGKILL when it is stopped.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Name recorded as the host of each attempt.</summary>
    public string HostName { get; init; } = "local";

    /// <summary>First retry delay; each further retry doubles it, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between claim passes in continuous mode.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Time between scans for Running jobs that this processor does not watch itself (left
    /// by a single run, or by a processor that stopped), in continuous mode.
    /// </summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping continuous processor waits for its running jobs to finish.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Limit on each engine call made while finishing a job (logs, stop, remove), so a hung
    /// engine cannot keep a job from reaching its final status.
    /// </summary>
    public TimeSpan EngineCallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
