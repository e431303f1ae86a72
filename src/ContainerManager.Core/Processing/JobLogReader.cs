using System.Runtime.CompilerServices;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Reads a job's output as lines: from the engine while the job runs, so new lines arrive as
/// the container writes them, and from the store once the output was harvested.
/// </summary>
public sealed class JobLogReader
{
    private readonly IJobStore _store;
    private readonly Func<ContainerJob, CancellationToken, Task<IContainerExecutor>> _executorFor;

    /// <summary>
    /// Creates a reader; <paramref name="executorFor"/> returns the executor of the host that
    /// runs a job, which for a queued job is known only once it starts.
    /// </summary>
    public JobLogReader(IJobStore store, Func<ContainerJob, CancellationToken, Task<IContainerExecutor>> executorFor)
    {
        _store = store;
        _executorFor = executorFor;
    }

    /// <summary>
    /// Returns the lines of <paramref name="attempt"/> (null for the latest). A Running job's
    /// lines come from its container, and with <see cref="LogReadOptions.Follow"/> until it
    /// exits. Other jobs' lines come from the stored log, where Timestamp is null and Tail
    /// counts lines per stream. When <see cref="WaitsForStart"/> is true, the job is first
    /// waited for until it runs or ends, and <paramref name="waiting"/> is called once before
    /// that wait.
    /// </summary>
    public async IAsyncEnumerable<JobLogLine> ReadLinesAsync(
        ContainerJob job,
        int? attempt,
        LogReadOptions options,
        Action<ContainerJob>? waiting,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (WaitsForStart(job, attempt, options))
        {
            waiting?.Invoke(job);
            if (await WaitUntilStartedAsync(job.Id, cancellationToken).ConfigureAwait(false) is not { } started)
            {
                // Removed while it was waited for: there is nothing to read.
                yield break;
            }

            job = started;
        }

        var live = job.Status == JobStatus.Running && job.ContainerId is not null
            && (attempt is null || attempt == job.Attempt);
        if (live)
        {
            var executor = await _executorFor(job, cancellationToken).ConfigureAwait(false);
            var lines = executor.ReadLogLinesAsync(job.ContainerId!, options, cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            var gone = false;
            await using (lines.ConfigureAwait(false))
            {
                while (true)
                {
                    var (moved, vanished) = await MoveNextAsync(lines).ConfigureAwait(false);
                    gone = vanished;
                    if (!moved)
                    {
                        break;
                    }

                    var line = lines.Current;
                    yield return new JobLogLine(job.Id, job.Attempt, line.Stream, line.Text, line.Timestamp);
                }
            }

            if (!gone)
            {
                yield break;
            }
        }

        foreach (var line in await ReadStoredAsync(job, attempt, options.Tail, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>
    /// Returns whether <see cref="ReadLinesAsync"/> waits for the job to start before it reads:
    /// with Follow and no attempt, for a job that is still queued.
    /// </summary>
    public static bool WaitsForStart(ContainerJob job, int? attempt, LogReadOptions options) =>
        options.Follow && attempt is null && IsQueued(job.Status);

    private static bool IsQueued(JobStatus status) =>
        status is JobStatus.Pending or JobStatus.Retrying or JobStatus.Launching;

    // Returns the job once it is no longer queued, or null if it was removed. Store writes
    // wake the wait at once, and the poll covers stores that cannot report changes.
    private async Task<ContainerJob?> WaitUntilStartedAsync(long id, CancellationToken cancellationToken)
    {
        var wake = new WakeSignal();
        using var watch = _store.WatchForChanges(wake.Set, out _);
        while (true)
        {
            var job = await _store.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
            if (job is null || !IsQueued(job.Status))
            {
                return job;
            }

            await wake.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    // The processor removes a container right after it stores its output, so a container
    // that vanished before it was read means the output is in the store by now.
    private static async Task<(bool Moved, bool Gone)> MoveNextAsync(IAsyncEnumerator<LogLine> lines)
    {
        try
        {
            return (await lines.MoveNextAsync().ConfigureAwait(false), false);
        }
        catch (ExecutorException ex) when (ex.ErrorId == "ContainerNotFound")
        {
            return (false, true);
        }
    }

    private async Task<List<JobLogLine>> ReadStoredAsync(
        ContainerJob job,
        int? attempt,
        int? tail,
        CancellationToken cancellationToken)
    {
        var logs = await _store.GetLogsAsync(job.Id, attempt, cancellationToken).ConfigureAwait(false);
        var result = new List<JobLogLine>();
        // An empty stream has no line, but splitting its text would give one empty line.
        foreach (var log in logs.Where(log => log.Text.Length > 0))
        {
            var lines = log.Text.Split('\n');
            var count = log.Text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
            var skip = tail is { } last ? Math.Max(0, count - last) : 0;
            for (var i = skip; i < count; i++)
            {
                result.Add(new JobLogLine(log.JobId, log.Attempt, log.Stream, lines[i], null));
            }
        }

        return result;
    }
}
