using System.Globalization;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using Microsoft.Extensions.Logging;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Records how an attempt ended: harvests exited containers, times out and cancels running
/// ones, and requeues or fails jobs after a launch error. Every status change is
/// conditional, so when two processors finish the same job only one records it.
/// </summary>
internal sealed class JobFinisher(
    IJobStore store,
    Func<ContainerJob, IContainerExecutor> executorFor,
    ProcessorOptions options,
    ILogger logger)
{
    /// <summary>Reads the output and exit state of an exited container and ends the attempt.</summary>
    public async Task HarvestAsync(
        ContainerJob job,
        ContainerStatus status,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        // TODO: peak memory and CPU time per attempt are not recorded. The engine's stats call
        // returns zeros once a container has exited (seen on Docker 20.10), so they would have to
        // be sampled by the watcher in JobProcessor while the container runs.
        await SaveLogsAsync(job, cancellationToken).ConfigureAwait(false);
        var exitCode = status.ExitCode ?? -1;
        if (job.EngineInterrupted && !status.OomKilled && exitCode is 137 or 143)
        {
            // Killed by the engine's own shutdown, not by the job: an infrastructure failure.
            await RetryOrFailAsync(job, JobStatus.Running,
                $"The engine stopped while attempt {job.Attempt} ran, and its shutdown killed the container " +
                $"(exit code {exitCode}).", status, summary, cancellationToken).ConfigureAwait(false);
            await RemoveQuietlyAsync(job).ConfigureAwait(false);
            return;
        }

        if (exitCode != 0 && job.RetryExitCodes.Contains(exitCode) && job.HasAttemptsLeft)
        {
            await RetryAsync(job, JobStatus.Running,
                $"The container exited with code {exitCode}, which the job retries.", status, summary,
                cancellationToken).ConfigureAwait(false);
            await RemoveQuietlyAsync(job).ConfigureAwait(false);
            return;
        }

        var next = exitCode == 0 ? JobStatus.Completed : JobStatus.Failed;
        var reason = FailureReason(job, status, exitCode);
        var changes = AttemptEnd(job, status, reason);
        if (!await TransitionAsync(job, JobStatus.Running, next, changes, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        summary.Record(next, job.Id);
        ProcessorLog.Finished(logger, job.Id, exitCode, next.ToString());
        await store.AddEventAsync(job.Id, next.ToString(),
            reason ?? $"attempt {job.Attempt} exited with code 0", cancellationToken).ConfigureAwait(false);
        await RemoveQuietlyAsync(job).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops a container that ran past its timeout. Output is read before the stop so that
    /// what the job printed so far is kept even if the stop or the removal fails.
    /// </summary>
    public async Task TimeOutAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        await TrySaveLogsAsync(job).ConfigureAwait(false);
        ContainerStatus? stopped = null;
        try
        {
            using var limit = EngineCallLimit(cancellationToken);
            var executor = executorFor(job);
            await executor.StopAsync(job.ContainerId!, options.StopGracePeriod, limit.Token).ConfigureAwait(false);
            await SaveLogsAsync(job, limit.Token).ConfigureAwait(false);
            stopped = await executor.InspectAsync(job.ContainerId!, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ContainerManagerException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The job still ends TimedOut; the container is left for cleanup.
            summary.RecordError();
            ProcessorLog.HarvestFailed(logger, job.Id, ex.Message, ex);
        }

        var reason = $"The job ran longer than its timeout of {job.TimeoutSeconds} s and was stopped. " +
            "Raise -TimeoutSeconds if it needs more time.";
        var changes = new JobChanges
        {
            ExitCode = stopped?.ExitCode,
            CompletedAt = EndTime(stopped?.StartedAt ?? job.StartedAt, stopped?.FinishedAt),
            ErrorMessage = reason,
            ClearLease = true,
        };
        if (!await TransitionAsync(job, JobStatus.Running, JobStatus.TimedOut, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            return;
        }

        summary.Record(JobStatus.TimedOut, job.Id);
        ProcessorLog.TimedOut(logger, job.Id, job.TimeoutSeconds ?? 0);
        await store.AddEventAsync(job.Id, nameof(JobStatus.TimedOut), reason, cancellationToken).ConfigureAwait(false);
        await RemoveQuietlyAsync(job).ConfigureAwait(false);
    }

    /// <summary>Requeues the job with back-off if attempts are left, else fails it.</summary>
    public Task RetryOrFailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken) =>
        RetryOrFailAsync(job, from, reason, null, summary, cancellationToken);

    /// <summary>Ends the job Failed with <paramref name="reason"/>.</summary>
    public Task FailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken) =>
        FailAsync(job, from, reason, null, summary, cancellationToken);

    // When the container exited, its exit state in exited is recorded with the attempt.
    private async Task RetryOrFailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ContainerStatus? exited,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        if (!job.HasAttemptsLeft)
        {
            var attempts = job.Attempt - job.AttemptBase;
            await FailAsync(job, from, $"{reason} No attempts are left ({attempts} of {job.MaxAttempts}).",
                exited, summary, cancellationToken).ConfigureAwait(false);
            return;
        }

        await RetryAsync(job, from, reason, exited, summary, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ContainerStatus? exited,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        var changes = AttemptEnd(job, exited, reason);
        if (!await TransitionAsync(job, from, JobStatus.Failed, changes, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        summary.Record(JobStatus.Failed, job.Id);
        await store.AddEventAsync(job.Id, nameof(JobStatus.Failed), reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task RetryAsync(
        ContainerJob job,
        JobStatus from,
        string reason,
        ContainerStatus? exited,
        ProcessorRunSummary summary,
        CancellationToken cancellationToken)
    {
        var dueAt = DateTimeOffset.UtcNow + RetryPolicy.Delay(options.RetryBaseDelay, job.Attempt - job.AttemptBase,
            Random.Shared);
        var changes = AttemptEnd(job, exited, reason, dueAt);
        if (!await TransitionAsync(job, from, JobStatus.Retrying, changes, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        summary.Record(JobStatus.Retrying, job.Id);
        ProcessorLog.RetryScheduled(logger, job.Id, dueAt, job.Attempt - job.AttemptBase, job.MaxAttempts, reason);
        await store.AddEventAsync(job.Id, nameof(JobStatus.Retrying),
            string.Create(CultureInfo.InvariantCulture, $"retry after {dueAt:o}: {reason}"), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<bool> TransitionAsync(
        ContainerJob job,
        JobStatus from,
        JobStatus to,
        JobChanges changes,
        CancellationToken cancellationToken)
    {
        if (await store.TryTransitionAsync(job.Id, from, to, changes, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        ProcessorLog.LostRace(logger, job.Id, to.ToString());
        return false;
    }

    // Columns that record how an attempt ended, whatever status follows, so that the attempt's
    // history keeps them after the next claim clears them from the job. Without an exited
    // container (a failed launch, a vanished container) only the end time is known.
    private static JobChanges AttemptEnd(
        ContainerJob job,
        ContainerStatus? exited,
        string? reason,
        DateTimeOffset? dueAt = null) =>
        new()
        {
            ExitCode = exited is null ? null : exited.ExitCode ?? -1,
            OomKilled = exited?.OomKilled,
            StartedAt = exited?.StartedAt,
            CompletedAt = EndTime(exited?.StartedAt ?? job.StartedAt, exited?.FinishedAt),
            ErrorMessage = reason,
            DueAt = dueAt,
            ClearLease = true,
        };

    /// <summary>
    /// Returns when an attempt ended: the engine's finish time when it is known and not
    /// earlier than the start, else the local time, and never a time before the start.
    /// </summary>
    /// <remarks>
    /// Docker 20.10 was seen to report FinishedAt about 1 ms before StartedAt for processes
    /// that exit at once. Such an attempt ends at its start, not at the possibly much later
    /// local time of the harvest. Without a finish time the local clock is used, which may be
    /// behind the engine's clock that dated the start.
    /// </remarks>
    internal static DateTimeOffset EndTime(DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
    {
        if (finishedAt is { } finished)
        {
            return startedAt is { } start && finished < start ? start : finished;
        }

        var now = DateTimeOffset.UtcNow;
        return startedAt is { } started && started > now ? started : now;
    }

    private static string? FailureReason(ContainerJob job, ContainerStatus status, int exitCode)
    {
        if (status.OomKilled)
        {
            return $"The container was killed because it used more than its memory limit of {job.MemoryMiB} MiB " +
                $"(exit code {exitCode}). Raise -MemoryMiB or make the job use less memory.";
        }

        if (exitCode == 0)
        {
            return null;
        }

        return status.Error is { } engineError
            ? $"The container failed with exit code {exitCode}: {engineError}"
            : $"The container exited with code {exitCode}. See Get-ContainerJobLog -Id {job.Id}.";
    }

    private async Task SaveLogsAsync(ContainerJob job, CancellationToken cancellationToken)
    {
        using var limit = EngineCallLimit(cancellationToken);
        await OutputRecorder.SaveAsync(store, executorFor(job), job, options.LogCapBytes, limit.Token).ConfigureAwait(false);
    }

    private async Task TrySaveLogsAsync(ContainerJob job)
    {
        try
        {
            await SaveLogsAsync(job, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ContainerManagerException or OperationCanceledException)
        {
            ProcessorLog.HarvestFailed(logger, job.Id, ex.Message, ex);
        }
    }

    private async Task RemoveQuietlyAsync(ContainerJob job)
    {
        try
        {
            using var limit = EngineCallLimit(CancellationToken.None);
            await executorFor(job).RemoveAsync(job.ContainerId!, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ContainerManagerException or OperationCanceledException)
        {
            // The result is recorded; a container left behind is only clutter.
            ProcessorLog.RemoveFailed(logger, job.Id, job.ContainerId!, ex.Message);
        }
    }

    private CancellationTokenSource EngineCallLimit(CancellationToken cancellationToken)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.EngineCallTimeout);
        return limit;
    }
}
