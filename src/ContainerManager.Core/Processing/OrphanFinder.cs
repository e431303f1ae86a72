using System.Globalization;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Finds the containers on an engine that carry this store's label but that no job needs:
/// their job is unknown to the store, has finished, or has moved on to a later attempt.
/// </summary>
public sealed class OrphanFinder
{
    private readonly IJobStore _store;

    /// <summary>Creates a finder for the containers of <paramref name="store"/>.</summary>
    public OrphanFinder(IJobStore store)
    {
        _store = store;
    }

    /// <summary>Returns the orphaned containers on the engine of <paramref name="executor"/>.</summary>
    public async Task<IReadOnlyList<OrphanedContainer>> FindAsync(
        IContainerExecutor executor,
        string hostName,
        CancellationToken cancellationToken)
    {
        var containers = await executor.ListByLabelAsync(JobProcessor.StoreLabel, _store.StoreId, cancellationToken)
            .ConfigureAwait(false);
        var orphans = new List<OrphanedContainer>();
        foreach (var container in containers)
        {
            var jobId = ReadLabel(container, JobProcessor.JobLabel, out var id) ? id : (long?)null;
            var attempt = ReadLabel(container, JobProcessor.AttemptLabel, out var number) ? (int)number : (int?)null;
            var job = jobId is { } known ? await _store.GetJobAsync(known, cancellationToken).ConfigureAwait(false) : null;
            var reason = Reason(job, jobId, attempt);
            if (reason is null)
            {
                continue;
            }

            orphans.Add(new OrphanedContainer
            {
                HostName = hostName,
                ContainerId = container.ContainerId,
                JobId = jobId,
                Attempt = attempt,
                Running = container.Running,
                Reason = reason,
            });
        }

        return orphans;
    }

    // Returns null for a container that its job may still use: the current attempt of a
    // job that is queued, launching or running.
    private static string? Reason(ContainerJob? job, long? jobId, int? attempt)
    {
        if (jobId is null)
        {
            return "the container has no valid job label";
        }

        if (job is null)
        {
            return $"job {jobId} is not in the store";
        }

        if (JobTransitions.IsTerminal(job.Status))
        {
            return $"job {jobId} is {job.Status}";
        }

        if (attempt is { } number && number < job.Attempt)
        {
            return $"attempt {number} of job {jobId} was replaced by attempt {job.Attempt}";
        }

        return null;
    }

    private static bool ReadLabel(ContainerStatus container, string key, out long value)
    {
        value = 0;
        return container.Labels.TryGetValue(key, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
