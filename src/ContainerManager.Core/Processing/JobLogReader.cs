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
    private readonly Func<ContainerJob, IContainerExecutor> _executorFor;

    /// <summary>Creates a reader; <paramref name="executorFor"/> returns the executor of a job's host.</summary>
    public JobLogReader(IJobStore store, Func<ContainerJob, IContainerExecutor> executorFor)
    {
        _store = store;
        _executorFor = executorFor;
    }

    /// <summary>
    /// Returns the lines of <paramref name="attempt"/> (null for the latest). A Running job's
    /// lines come from its container, and with <see cref="LogReadOptions.Follow"/> until it
    /// exits. Other jobs' lines come from the stored log, where Timestamp is null and Tail
    /// counts lines per stream.
    /// </summary>
    public async IAsyncEnumerable<JobLogLine> ReadLinesAsync(
        ContainerJob job,
        int? attempt,
        LogReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = job.Status == JobStatus.Running && job.ContainerId is not null
            && (attempt is null || attempt == job.Attempt);
        if (live)
        {
            var lines = _executorFor(job).ReadLogLinesAsync(job.ContainerId!, options, cancellationToken)
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
        foreach (var log in logs)
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
