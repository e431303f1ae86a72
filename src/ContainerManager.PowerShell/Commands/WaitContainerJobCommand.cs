using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Waits until jobs reach a final status and returns each one as it does. Jobs that are
/// still unfinished when the timeout passes get a WaitTimedOut error.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ContainerJob")]
[OutputType(typeof(ContainerJob))]
public sealed class WaitContainerJobCommand : JobCmdlet
{
    private const int ProgressActivityId = 4711;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly List<long> _ids = [];

    /// <summary>Seconds to wait before giving up; by default the wait has no limit.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? TimeoutSeconds { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => _ids.AddRange(Id);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var waiting = new List<long>();
        foreach (var id in _ids.Distinct())
        {
            if (RunAsync(token => Store.GetJobAsync(id, token)) is null)
            {
                WriteCoreError(JobControl.NotFound(id));
                continue;
            }

            waiting.Add(id);
        }

        try
        {
            RunAsync(token => WaitAsync(waiting, token));
        }
        finally
        {
            var done = new ProgressRecord(ProgressActivityId, "Waiting for container jobs", "Done")
            {
                RecordType = ProgressRecordType.Completed,
            };
            WriteProgress(done);
        }

        foreach (var id in waiting)
        {
            var job = RunAsync(async token => await Store.GetJobAsync(id, token) is { } found
                ? (await QueueDiagnosis.ExplainAsync(Store, [found], token))[0]
                : null);
            var state = job?.WaitReason is { } reason ? $"It is {job.Status}: {reason}" : $"It is {job?.Status}.";
            WriteCoreError(new ContainerManagerException("WaitTimedOut", ErrorKind.OperationTimeout,
                $"Job {id} did not finish within {TimeoutSeconds} s. {state} Wait again, or stop it with " +
                "Stop-ContainerJob.", id));
        }

        base.EndProcessing();
    }

    // A queued job moves only when a processor runs, and without a continuous one the wait
    // may never end, so one warning per queued job gives the reason before the first poll.
    private async Task WarnIfNothingRunsAsync(List<long> waiting, CancellationToken cancellationToken)
    {
        var processors = await Store.ListProcessorsAsync(cancellationToken).ConfigureAwait(false);
        if (QueueDiagnosis.IsContinuousProcessorRunning(processors, DateTimeOffset.UtcNow))
        {
            return;
        }

        foreach (var id in waiting)
        {
            if (await Store.GetJobAsync(id, cancellationToken).ConfigureAwait(false)
                is { Status: JobStatus.Pending or JobStatus.Retrying } job)
            {
                var explained = (await QueueDiagnosis.ExplainAsync(Store, [job], cancellationToken).ConfigureAwait(false))[0];
                Enqueue(c => c.WriteWarning(
                    $"No continuous processor runs on this store, so job {id} moves only when " +
                    $"Invoke-JobProcessor runs. {explained.WaitReason}"));
            }
        }
    }

    // Removes each job from waiting as it finishes; on return, what is left timed out.
    private async Task WaitAsync(List<long> waiting, CancellationToken cancellationToken)
    {
        var total = waiting.Count;
        var deadline = TimeoutSeconds is { } seconds ? DateTimeOffset.UtcNow.AddSeconds(seconds) : DateTimeOffset.MaxValue;
        await WarnIfNothingRunsAsync(waiting, cancellationToken).ConfigureAwait(false);
        while (waiting.Count > 0)
        {
            foreach (var id in waiting.ToArray())
            {
                var job = await Store.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
                if (job is null || job.IsTerminal)
                {
                    waiting.Remove(id);
                    if (job is not null)
                    {
                        Enqueue(c => c.WriteObject(job));
                    }
                }
            }

            var finished = total - waiting.Count;
            var progress = new ProgressRecord(ProgressActivityId, "Waiting for container jobs",
                $"{finished} of {total} finished; waiting for job {(waiting.Count > 0 ? waiting[0] : 0)}")
            {
                PercentComplete = total == 0 ? 100 : finished * 100 / total,
            };
            Enqueue(c => c.WriteProgress(progress));
            if (waiting.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
