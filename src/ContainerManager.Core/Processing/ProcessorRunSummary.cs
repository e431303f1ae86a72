using ContainerManager.Core.Jobs;

namespace ContainerManager.Core.Processing;

/// <summary>What one processor run did, for schedulers and scripts to check.</summary>
public sealed class ProcessorRunSummary
{
    private readonly object _gate = new();

    /// <summary>Id of the processor that made the run.</summary>
    public required string ProcessorId { get; init; }

    /// <summary>Endpoints of the enabled hosts, comma-separated.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Jobs whose containers were started.</summary>
    public int Launched { get; private set; }

    /// <summary>Jobs that exited with code 0.</summary>
    public int Completed { get; private set; }

    /// <summary>Jobs that ended Failed.</summary>
    public int Failed { get; private set; }

    /// <summary>Jobs stopped for running past their timeout.</summary>
    public int TimedOut { get; private set; }

    /// <summary>Jobs put back in the queue after an infrastructure failure.</summary>
    public int Retried { get; private set; }

    /// <summary>Errors that were caught and logged during the run.</summary>
    public int Errors { get; private set; }

    /// <summary>Ids of the jobs this run launched, finished or requeued.</summary>
    public IReadOnlyList<long> JobIds => _jobIds;

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Duration { get; set; }

    private readonly List<long> _jobIds = [];

    /// <summary>Sum of the counters, which changes whenever the run records anything.</summary>
    internal int Activity
    {
        get
        {
            lock (_gate)
            {
                return Launched + Completed + Failed + TimedOut + Retried + Errors;
            }
        }
    }

    // Jobs are harvested concurrently when a run waits, so the counters are updated
    // under a lock.
    internal void Record(JobStatus outcome, long jobId)
    {
        lock (_gate)
        {
            switch (outcome)
            {
                case JobStatus.Running: Launched++; break;
                case JobStatus.Completed: Completed++; break;
                case JobStatus.Failed: Failed++; break;
                case JobStatus.TimedOut: TimedOut++; break;
                case JobStatus.Retrying: Retried++; break;
            }

            if (!_jobIds.Contains(jobId))
            {
                _jobIds.Add(jobId);
            }
        }
    }

    internal void RecordError()
    {
        lock (_gate)
        {
            Errors++;
        }
    }
}
