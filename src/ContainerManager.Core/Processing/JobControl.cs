using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Changes that users make to jobs: cancel, restart, change while queued, remove. Each
/// checks the job's status against the life cycle and fails with InvalidJobStatus, naming
/// the job, its status and what is allowed, instead of changing anything.
/// </summary>
public sealed class JobControl(IJobStore store, Func<ContainerJob, IContainerExecutor> executorFor)
{
    private static readonly JobStatus[] Cancellable =
        [JobStatus.Pending, JobStatus.Retrying, JobStatus.Launching, JobStatus.Running];

    /// <summary>
    /// Cancels a job. A queued job simply ends Cancelled. A running one is marked Cancelled
    /// first, so no processor records another result for it, then its container gets
    /// SIGTERM, SIGKILL after <paramref name="gracePeriod"/>, and its output is kept.
    /// </summary>
    public async Task<ContainerJob> CancelAsync(long id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var job = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        if (!Cancellable.Contains(job.Status))
        {
            throw InvalidStatus(job, "cancelled", Cancellable);
        }

        var changes = new JobChanges
        {
            CompletedAt = JobFinisher.EndTime(job.StartedAt, null),
            ErrorMessage = $"Cancelled by {System.Environment.UserName} on {System.Environment.MachineName}.",
            ClearLease = true,
        };
        if (!await store.TryTransitionAsync(job.Id, job.Status, JobStatus.Cancelled, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            // The status changed between the read and the write; report the fresh state.
            return await CancelAsync(id, gracePeriod, cancellationToken).ConfigureAwait(false);
        }

        await store.AddEventAsync(job.Id, nameof(JobStatus.Cancelled),
            $"cancelled by {System.Environment.UserName} on {System.Environment.MachineName} while {job.Status}",
            cancellationToken).ConfigureAwait(false);
        if (job.Status == JobStatus.Running && job.ContainerId is not null)
        {
            await StopContainerAsync(job, gracePeriod, cancellationToken).ConfigureAwait(false);
        }

        return (await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Queues a finished job again as a new attempt, with its full MaxAttempts; history is kept.</summary>
    public async Task<ContainerJob> RestartAsync(long id, CancellationToken cancellationToken)
    {
        var job = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        if (!JobTransitions.IsTerminal(job.Status))
        {
            throw InvalidStatus(job, "restarted",
                [JobStatus.Completed, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Cancelled]);
        }

        var changes = new JobChanges
        {
            DueAt = DateTimeOffset.UtcNow,
            AttemptBase = job.Attempt,
            ClearOutcome = true,
            ClearError = true,
            ClearLease = true,
        };
        if (!await store.TryTransitionAsync(job.Id, job.Status, JobStatus.Pending, changes, cancellationToken)
            .ConfigureAwait(false))
        {
            return await RestartAsync(id, cancellationToken).ConfigureAwait(false);
        }

        await store.AddEventAsync(job.Id, "Restarted",
            $"restarted by {System.Environment.UserName} on {System.Environment.MachineName} after {job.Status}",
            cancellationToken).ConfigureAwait(false);
        return (await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Changes a Pending or Retrying job's settings.</summary>
    public async Task<ContainerJob> UpdateAsync(long id, JobUpdate update, CancellationToken cancellationToken)
    {
        var job = await store.UpdateQueuedJobAsync(id, update, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(id);
        if (job.Status is not (JobStatus.Pending or JobStatus.Retrying))
        {
            throw InvalidStatus(job, "changed", [JobStatus.Pending, JobStatus.Retrying]);
        }

        return job;
    }

    /// <summary>
    /// Deletes a finished job with its logs and history. With <paramref name="force"/>, an
    /// active job is cancelled first.
    /// </summary>
    public async Task RemoveAsync(long id, bool force, CancellationToken cancellationToken)
    {
        var job = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        if (!JobTransitions.IsTerminal(job.Status))
        {
            if (!force)
            {
                throw InvalidStatus(job, "removed without -Force",
                    [JobStatus.Completed, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Cancelled]);
            }

            job = await CancelAsync(id, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        if (!await store.DeleteJobAsync(job.Id, job.Status, cancellationToken).ConfigureAwait(false))
        {
            await RemoveAsync(id, force, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns the finished jobs (Completed, Failed, TimedOut or Cancelled) that reached their
    /// status before <paramref name="cutoff"/>, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<ContainerJob>> ListFinishedBeforeAsync(
        DateTimeOffset cutoff,
        CancellationToken cancellationToken)
    {
        var query = new JobQuery
        {
            Statuses = [JobStatus.Completed, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Cancelled],
        };
        var finished = await store.ListJobsAsync(query, cancellationToken).ConfigureAwait(false);

        // A finished job without a CompletedAt time is dated by its creation time instead.
        return finished
            .Where(job => (job.CompletedAt ?? job.CreatedAt) < cutoff)
            .OrderBy(job => job.CompletedAt ?? job.CreatedAt)
            .ToList();
    }

    private async Task StopContainerAsync(ContainerJob job, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var executor = executorFor(job);
        await executor.StopAsync(job.ContainerId!, gracePeriod, cancellationToken).ConfigureAwait(false);
        await OutputRecorder.SaveAsync(store, executor, job, new ProcessorOptions().LogCapBytes, cancellationToken)
            .ConfigureAwait(false);
        var status = await executor.InspectAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
        if (status?.ExitCode is { } exitCode)
        {
            // Recorded without a status change: the job stays Cancelled.
            await store.TryTransitionAsync(job.Id, JobStatus.Cancelled, JobStatus.Cancelled,
                new JobChanges { ExitCode = exitCode }, cancellationToken).ConfigureAwait(false);
        }

        await executor.RemoveAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ContainerJob> RequireAsync(long id, CancellationToken cancellationToken) =>
        await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    /// <summary>Builds the JobNotFound error for <paramref name="id"/>.</summary>
    public static ContainerManagerException NotFound(long id) =>
        new("JobNotFound", ErrorKind.ObjectNotFound,
            $"No job with id {id} exists in this store. List the jobs with Get-ContainerJob, and check " +
            "-Database or $env:CONTAINER_MANAGER_DB if the store is the wrong one.", id);

    private static ContainerManagerException InvalidStatus(ContainerJob job, string action, IEnumerable<JobStatus> allowed) =>
        new("InvalidJobStatus", ErrorKind.InvalidOperation,
            $"Job {job.Id} ({job.Name}) is {job.Status} and cannot be {action}. " +
            $"Only jobs that are {string.Join(", ", allowed)} can be.",
            job);
}
