using System.Diagnostics;
using System.Globalization;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Moves jobs through their life cycle on one engine: harvests finished containers, enforces
/// timeouts, claims due jobs up to capacity and launches them.
/// </summary>
public sealed class JobProcessor
{
    /// <summary>Label with the job id on every container the module creates.</summary>
    public const string JobLabel = "containermanager.job";

    /// <summary>Label with the attempt number.</summary>
    public const string AttemptLabel = "containermanager.attempt";

    /// <summary>Label with the store id, so that two stores on one engine keep apart.</summary>
    public const string StoreLabel = "containermanager.store";

    private readonly IJobStore _store;
    private readonly IContainerExecutor _executor;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a processor; <paramref name="logger"/> receives every step and every caught error.</summary>
    public JobProcessor(IJobStore store, IContainerExecutor executor, ProcessorOptions options, ILogger? logger = null)
    {
        _store = store;
        _executor = executor;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        ProcessorId = string.Create(CultureInfo.InvariantCulture,
            $"{System.Environment.MachineName}:{System.Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");
    }

    /// <summary>Id written on the claims this processor makes.</summary>
    public string ProcessorId { get; }

    /// <summary>
    /// Makes one pass: checks the engine, harvests finished jobs, claims and launches due
    /// jobs, and with <see cref="ProcessorOptions.WaitForJobs"/> waits for what it launched.
    /// </summary>
    /// <exception cref="ExecutorException">EngineUnreachable when the engine does not answer;
    /// nothing is claimed then, so queued jobs stay Pending.</exception>
    public async Task<ProcessorRunSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var summary = new ProcessorRunSummary { ProcessorId = ProcessorId, Endpoint = _executor.Endpoint };

        var engine = await _executor.PingAsync(cancellationToken).ConfigureAwait(false);
        ProcessorLog.EngineReady(_logger, ProcessorId, engine.Endpoint, engine.Version, engine.ApiVersion);

        await HarvestRunningAsync(summary, cancellationToken).ConfigureAwait(false);
        var launched = await LaunchDueJobsAsync(summary, cancellationToken).ConfigureAwait(false);
        if (_options.WaitForJobs)
        {
            await Task.WhenAll(launched.Select(job => WaitAndHarvestAsync(job, summary, cancellationToken)))
                .ConfigureAwait(false);
        }

        summary.Duration = watch.Elapsed;
        return summary;
    }

    private async Task HarvestRunningAsync(ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        var running = await _store.ListJobsAsync(
            new JobQuery { Statuses = [JobStatus.Running] }, cancellationToken).ConfigureAwait(false);
        foreach (var job in running.Where(j => j.HostName == _options.HostName && j.ContainerId is not null))
        {
            try
            {
                var status = await _executor.InspectAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
                if (status is null)
                {
                    await RetryOrFailAsync(job, JobStatus.Running,
                        $"The container {job.ContainerId} disappeared from {_executor.Endpoint} before it was harvested.",
                        summary, cancellationToken).ConfigureAwait(false);
                }
                else if (!status.Running)
                {
                    await HarvestAsync(job, status, summary, cancellationToken).ConfigureAwait(false);
                }
                else if (IsPastTimeout(job, status))
                {
                    await TimeOutAsync(job, summary, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ExecutorException ex)
            {
                summary.RecordError();
                ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
            }
        }
    }

    private async Task<IReadOnlyList<ContainerJob>> LaunchDueJobsAsync(
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        var active = await _store.ListJobsAsync(
            new JobQuery { Statuses = [JobStatus.Launching, JobStatus.Running] }, cancellationToken)
            .ConfigureAwait(false);
        var capacity = _options.MaxConcurrentJobs - active.Count;
        if (capacity <= 0)
        {
            ProcessorLog.NoCapacity(_logger, active.Count, _options.MaxConcurrentJobs);
            return [];
        }

        var claimed = await _store.ClaimDueJobsAsync(ProcessorId, capacity, _options.LeaseDuration, cancellationToken)
            .ConfigureAwait(false);
        var launched = new List<ContainerJob>();
        foreach (var job in claimed)
        {
            ProcessorLog.Claimed(_logger, job.Id, job.Attempt, job.Image);
            var running = await LaunchAsync(job, summary, cancellationToken).ConfigureAwait(false);
            if (running is not null)
            {
                launched.Add(running);
            }
        }

        return launched;
    }

    private async Task<ContainerJob?> LaunchAsync(
        ContainerJob job,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        ContainerStatus container;
        IReadOnlyDictionary<string, string>? environment = null;
        try
        {
            environment = EnvironmentReferenceResolver.Resolve(
                job.EnvironmentValues, System.Environment.GetEnvironmentVariable);
            container = await _executor.LaunchAsync(BuildRequest(job, environment), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Errors.ContainerManagerException ex) when (ex is not ExecutorException { FailureKind: FailureKind.Transient })
        {
            var reason = RedactSecrets(ex.Message, job, environment);
            summary.RecordError();
            ProcessorLog.LaunchFailed(_logger, job.Id, reason, ex);
            await FailAsync(job, JobStatus.Launching, reason, null, summary, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ExecutorException ex)
        {
            var reason = RedactSecrets(ex.Message, job, environment);
            summary.RecordError();
            ProcessorLog.LaunchFailed(_logger, job.Id, reason, ex);
            await RetryOrFailAsync(job, JobStatus.Launching, reason, summary, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        var changes = new JobChanges
        {
            ContainerId = container.ContainerId,
            HostName = _options.HostName,
            StartedAt = container.StartedAt ?? DateTimeOffset.UtcNow,
        };
        if (!await _store.TryTransitionAsync(job.Id, JobStatus.Launching, JobStatus.Running, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            // Cancelled while launching: the container must not outlive its job.
            ProcessorLog.LostRace(_logger, job.Id, nameof(JobStatus.Running));
            await _executor.RemoveAsync(container.ContainerId, cancellationToken).ConfigureAwait(false);
            return null;
        }

        summary.Record(JobStatus.Running, job.Id);
        ProcessorLog.Started(_logger, job.Id, container.ContainerId, _options.HostName);
        await _store.AddEventAsync(job.Id, "Started",
            $"attempt {job.Attempt} started in container {container.ContainerId} on host {_options.HostName}",
            cancellationToken).ConfigureAwait(false);
        return await _store.GetJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hides the job's secret values in a failure message, which may quote the engine's reply
    /// and is logged and stored on the job. Values resolved from the processor's environment
    /// count too, because they were never stored and masked.
    /// </summary>
    private static string RedactSecrets(
        string message,
        ContainerJob job,
        IReadOnlyDictionary<string, string>? resolvedEnvironment)
    {
        var secretKeys = job.SecretKeys;
        var secretValues = SecretMask.GetSecretValues(job.EnvironmentValues, secretKeys)
            .Concat(resolvedEnvironment is null ? [] : SecretMask.GetSecretValues(resolvedEnvironment, secretKeys));
        return SecretMask.Redact(message, secretValues);
    }

    private ContainerLaunchRequest BuildRequest(ContainerJob job, IReadOnlyDictionary<string, string> environment) =>
        new()
        {
            Name = ContainerName(_store.StoreId, job.Id, job.Attempt),
            Image = job.Image,
            Command = job.CommandValues,
            Environment = environment,
            MemoryMiB = job.MemoryMiB,
            Cpus = job.Cpus,
            Labels = new Dictionary<string, string>
            {
                [JobLabel] = job.Id.ToString(CultureInfo.InvariantCulture),
                [AttemptLabel] = job.Attempt.ToString(CultureInfo.InvariantCulture),
                [StoreLabel] = _store.StoreId,
            },
        };

    /// <summary>Returns the container name for one attempt of one job in one store.</summary>
    public static string ContainerName(string storeId, long jobId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"cm-{storeId}-{jobId}-{attempt}");

    private async Task WaitAndHarvestAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (job.TimeoutSeconds is { } seconds)
        {
            var started = job.StartedAt ?? DateTimeOffset.UtcNow;
            var remaining = started.AddSeconds(seconds) - DateTimeOffset.UtcNow;
            timeout.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        try
        {
            var status = await _executor.WaitAsync(job.ContainerId!, timeout.Token).ConfigureAwait(false);
            await HarvestAsync(job, status, summary, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await TimeOutAsync(job, summary, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutorException ex)
        {
            summary.RecordError();
            ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
        }
    }

    private async Task HarvestAsync(
        ContainerJob job,
        ContainerStatus status,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        await SaveLogsAsync(job, cancellationToken).ConfigureAwait(false);
        var exitCode = status.ExitCode ?? -1;
        var next = exitCode == 0 ? JobStatus.Completed : JobStatus.Failed;
        string? reason = null;
        if (status.OomKilled)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"The container was killed because it used more than its memory limit of {job.MemoryMiB} MiB " +
                $"(exit code {exitCode}). Raise -MemoryMiB or make the job use less memory.");
        }
        else if (next == JobStatus.Failed)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"The container exited with code {exitCode}. See Get-ContainerJobLog -Id {job.Id}.");
        }

        var changes = new JobChanges
        {
            ExitCode = exitCode,
            OomKilled = status.OomKilled,
            CompletedAt = status.FinishedAt ?? DateTimeOffset.UtcNow,
            StartedAt = status.StartedAt,
            ErrorMessage = reason,
            ClearLease = true,
        };
        if (!await _store.TryTransitionAsync(job.Id, JobStatus.Running, next, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            ProcessorLog.LostRace(_logger, job.Id, next.ToString());
            return;
        }

        summary.Record(next, job.Id);
        ProcessorLog.Finished(_logger, job.Id, exitCode, next.ToString());
        await _store.AddEventAsync(job.Id, next.ToString(),
            reason ?? $"attempt {job.Attempt} exited with code 0", cancellationToken).ConfigureAwait(false);
        await _executor.RemoveAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
    }

    private async Task TimeOutAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        // Output is read before the stop so that what the job printed so far is kept even
        // if the stop or the removal fails.
        await SaveLogsAsync(job, cancellationToken).ConfigureAwait(false);
        await _executor.StopAsync(job.ContainerId!, _options.StopGracePeriod, cancellationToken).ConfigureAwait(false);
        await SaveLogsAsync(job, cancellationToken).ConfigureAwait(false);
        var status = await _executor.InspectAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
        var changes = new JobChanges
        {
            ExitCode = status?.ExitCode,
            CompletedAt = DateTimeOffset.UtcNow,
            ErrorMessage = $"The job ran longer than its timeout of {job.TimeoutSeconds} s and was stopped. " +
                "Raise -TimeoutSeconds if it needs more time.",
            ClearLease = true,
        };
        if (!await _store.TryTransitionAsync(job.Id, JobStatus.Running, JobStatus.TimedOut, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            ProcessorLog.LostRace(_logger, job.Id, nameof(JobStatus.TimedOut));
            return;
        }

        summary.Record(JobStatus.TimedOut, job.Id);
        ProcessorLog.TimedOut(_logger, job.Id, job.TimeoutSeconds ?? 0);
        await _store.AddEventAsync(job.Id, nameof(JobStatus.TimedOut), changes.ErrorMessage, cancellationToken)
            .ConfigureAwait(false);
        await _executor.RemoveAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveLogsAsync(ContainerJob job, CancellationToken cancellationToken)
    {
        var output = new CapturedOutput(_options.LogCapBytes);
        await _executor.ReadLogsAsync(job.ContainerId!, output, cancellationToken).ConfigureAwait(false);
        await _store.SaveLogsAsync(
            [
                ToJobLog(job, LogStream.Stdout, output.Stdout),
                ToJobLog(job, LogStream.Stderr, output.Stderr),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    private static JobLog ToJobLog(ContainerJob job, LogStream stream, LogBuffer buffer) =>
        new(job.Id, job.Attempt, stream, buffer.GetText(), buffer.TotalBytes, buffer.DroppedBytes);

    private async Task RetryOrFailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        if (job.Attempt >= job.MaxAttempts)
        {
            await FailAsync(job, from, $"{reason} No attempts are left ({job.Attempt} of {job.MaxAttempts}).",
                null, summary, cancellationToken).ConfigureAwait(false);
            return;
        }

        var dueAt = DateTimeOffset.UtcNow + RetryDelay(job.Attempt);
        var changes = new JobChanges { DueAt = dueAt, ErrorMessage = reason, ClearLease = true };
        if (!await _store.TryTransitionAsync(job.Id, from, JobStatus.Retrying, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            ProcessorLog.LostRace(_logger, job.Id, nameof(JobStatus.Retrying));
            return;
        }

        summary.Record(JobStatus.Retrying, job.Id);
        ProcessorLog.RetryScheduled(_logger, job.Id, dueAt, job.Attempt, job.MaxAttempts, reason);
        await _store.AddEventAsync(job.Id, nameof(JobStatus.Retrying), $"retry at {dueAt:o}: {reason}",
            cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        int? exitCode,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        var changes = new JobChanges
        {
            ErrorMessage = reason,
            ExitCode = exitCode,
            CompletedAt = DateTimeOffset.UtcNow,
            ClearLease = true,
        };
        if (!await _store.TryTransitionAsync(job.Id, from, JobStatus.Failed, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            ProcessorLog.LostRace(_logger, job.Id, nameof(JobStatus.Failed));
            return;
        }

        summary.Record(JobStatus.Failed, job.Id);
        await _store.AddEventAsync(job.Id, nameof(JobStatus.Failed), reason, cancellationToken).ConfigureAwait(false);
    }

    // Exponential back-off with up to 20% jitter, so jobs that failed together do not all
    // come back in the same second.
    private TimeSpan RetryDelay(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 10);
        var delay = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var jitter = 1 + (Random.Shared.NextDouble() * 0.2);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    private static bool IsPastTimeout(ContainerJob job, ContainerStatus status) =>
        job.TimeoutSeconds is { } seconds
        && (status.StartedAt ?? job.StartedAt) is { } started
        && DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(seconds);
}
