using ContainerManager.Core.Templates;

namespace ContainerManager.Core.Jobs;

/// <summary>
/// A container job as stored: what to run, its limits, and what happened on its latest
/// attempt. Instances are snapshots; read the store again to see later changes.
/// </summary>
public sealed class ContainerJob
{
    /// <summary>Number assigned by the store, unique within one store.</summary>
    public long Id { get; init; }

    /// <summary>Name given by the user; not unique.</summary>
    public string Name { get; init; } = "";

    /// <summary>Image reference, for example <c>registry:5000/team/tool:1.2</c>.</summary>
    public string Image { get; init; } = "";

    private readonly IReadOnlyList<string> _command = [];

    /// <summary>
    /// Argument vector passed to the container; empty uses the image's default command. Secret
    /// values of <see cref="Environment"/> that appear in an argument are replaced by a mask,
    /// and the container gets the real arguments.
    /// </summary>
    public IReadOnlyList<string> Command
    {
        get => RedactSecrets(_command);
        init => _command = value;
    }

    /// <summary>Unmasked argument vector, for the executor only.</summary>
    internal IReadOnlyList<string> CommandValues => _command;

    /// <summary>
    /// Environment variables for the container, with the values of secret keys replaced by
    /// a mask. The real values are only in <see cref="EnvironmentValues"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } =
        new Dictionary<string, string>();

    /// <summary>Unmasked environment, for the executor only.</summary>
    internal IReadOnlyDictionary<string, string> EnvironmentValues { get; init; } =
        new Dictionary<string, string>();

    /// <summary>Names of the variables whose values are secret, declared or detected.</summary>
    /// <remarks>
    /// The store masks the value of every secret key in <see cref="Environment"/>, so the masked
    /// copy tells which keys are secret without a second list.
    /// </remarks>
    internal IReadOnlyList<string> SecretKeys =>
        Environment.Where(pair => pair.Value == SecretMask.Mask).Select(pair => pair.Key).ToList();

    /// <summary>Names of the environment templates the environment was merged from, in order.</summary>
    public IReadOnlyList<string> EnvironmentTemplates { get; init; } = [];

    /// <summary>Memory limit in MiB (swap is limited to the same amount); null means no limit.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>CPU limit in cores, for example 0.5; null means no limit.</summary>
    public double? Cpus { get; init; }

    /// <summary>Seconds the container may run before it is stopped; null means no limit.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Current stage of the job's life cycle.</summary>
    public JobStatus Status { get; init; }

    /// <summary>Higher runs first among due jobs.</summary>
    public int Priority { get; init; }

    /// <summary>Earliest time a processor may start the job (UTC).</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>Number of the latest attempt; 0 before the first launch.</summary>
    public int Attempt { get; init; }

    /// <summary>Number of attempts allowed for infrastructure failures.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>Attempts made before the latest restart; they do not count against MaxAttempts.</summary>
    public int AttemptBase { get; init; }

    /// <summary>Container exit codes that count as retryable failures instead of final ones.</summary>
    public IReadOnlyList<int> RetryExitCodes { get; init; } = [];

    /// <summary>Working directory inside the container; null uses the image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>User the container's process runs as; null uses the image's.</summary>
    public string? User { get; init; }

    /// <summary>Engine network the container joins (none for no network); null uses the engine's default.</summary>
    public string? Network { get; init; }

    /// <summary>Labels given by the user, put on the container beside the module's own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Named volumes mounted in the container, as name:/path[:ro].</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Host paths mounted in the container, as /host/path:/container/path[:ro].</summary>
    public IReadOnlyList<string> BindMounts { get; init; } = [];

    /// <summary>Whether the container runs privileged.</summary>
    public bool Privileged { get; init; }

    /// <summary>
    /// Why a Pending or Retrying job is not running yet, when the cmdlet that returned it
    /// worked that out; null otherwise.
    /// </summary>
    public string? WaitReason { get; private set; }

    /// <summary>
    /// Exit code of the latest attempt's main process, also while the job waits to be
    /// retried; null until it exits.
    /// </summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the engine reported that the kernel killed the container for memory.</summary>
    public bool OomKilled { get; init; }

    /// <summary>Time the job was queued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Time the latest attempt's container started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>
    /// Time the latest attempt ended, also while the job waits to be retried, or the time a
    /// queued job was cancelled (UTC).
    /// </summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Engine's id of the latest attempt's container.</summary>
    public string? ContainerId { get; init; }

    /// <summary>Executor host the job must run on, or null to let the processor choose.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Labels the chosen host must carry; empty means any host.</summary>
    public IReadOnlyDictionary<string, string> HostLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Attempt during which the job's engine stopped responding, if any.</summary>
    public int? InterruptedAttempt { get; init; }

    /// <summary>Returns whether the engine went away while the current attempt ran.</summary>
    public bool EngineInterrupted => InterruptedAttempt == Attempt;

    /// <summary>Executor host that ran the latest attempt.</summary>
    public string? HostName { get; init; }

    /// <summary>Why the job failed, timed out or is waiting, in words for people.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>User who queued the job.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Machine the job was queued from.</summary>
    public string? CreatedOn { get; init; }

    /// <summary>Processor that holds the job's claim while it is Launching or Running.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Time the claim lapses unless its processor renews it (UTC).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>
    /// Run time of the latest attempt, or the time so far while it runs. It is zero, not
    /// negative, when the engine's clock that dated the start is ahead of the local clock.
    /// </summary>
    public TimeSpan? Duration
    {
        get
        {
            if (StartedAt is not { } started)
            {
                return null;
            }

            var elapsed = (CompletedAt ?? DateTimeOffset.UtcNow) - started;
            return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
        }
    }

    /// <summary>Returns whether the job has reached a terminal status.</summary>
    public bool IsTerminal => JobTransitions.IsTerminal(Status);

    /// <summary>Returns whether another attempt is allowed after the current one fails.</summary>
    public bool HasAttemptsLeft => Attempt - AttemptBase < MaxAttempts;

    /// <summary>Returns a copy of this job with <see cref="WaitReason"/> set.</summary>
    public ContainerJob WithWaitReason(string? reason)
    {
        var copy = (ContainerJob)MemberwiseClone();
        copy.WaitReason = reason;
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => $"job {Id} ({Name}, {Status})";

    private IReadOnlyList<string> RedactSecrets(IReadOnlyList<string> arguments)
    {
        var secretValues = SecretMask.GetSecretValues(EnvironmentValues, SecretKeys);
        if (secretValues.Count == 0)
        {
            return arguments;
        }

        return arguments.Select(argument => SecretMask.Redact(argument, secretValues)).ToList();
    }
}
