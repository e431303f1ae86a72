using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Durable job store. Implementations must make every status change conditional on the
/// status the caller read, so two processors racing for one job cannot both win.
/// </summary>
public interface IJobStore
{
    /// <summary>Random id of this store, put on container labels to tell stores apart.</summary>
    string StoreId { get; }

    /// <summary>Where the store lives, for messages (a file path for SQLite).</summary>
    string Location { get; }

    /// <summary>Validates <paramref name="spec"/> and queues a new Pending job.</summary>
    Task<ContainerJob> CreateJobAsync(JobSpec spec, CancellationToken cancellationToken);

    /// <summary>Returns the job with this id, or null.</summary>
    Task<ContainerJob?> GetJobAsync(long id, CancellationToken cancellationToken);

    /// <summary>Returns the jobs that match <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<ContainerJob>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Moves up to <paramref name="maxJobs"/> due Pending or Retrying jobs to Launching in
    /// one write transaction, by priority, then due time, then id. Each claimed job gets
    /// the next attempt number and a lease held by <paramref name="owner"/>. With
    /// <paramref name="activeLimit"/>, fewer are claimed so that no more than that many jobs
    /// of the store are Launching or Running afterwards.
    /// </summary>
    Task<IReadOnlyList<ContainerJob>> ClaimDueJobsAsync(
        string owner,
        int maxJobs,
        int? activeLimit,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken);

    /// <summary>Returns up to <paramref name="maxJobs"/> due Pending and Retrying jobs in claim order, without claiming them.</summary>
    Task<IReadOnlyList<ContainerJob>> PeekDueJobsAsync(int maxJobs, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the placed jobs in one write transaction, in the given order, skipping a job
    /// whose host already has <see cref="JobPlacement.HostLimit"/> jobs Launching or Running,
    /// and stopping when the store has <paramref name="activeLimit"/>. Each claimed job gets
    /// the next attempt number, its host and a lease held by <paramref name="owner"/>.
    /// </summary>
    Task<IReadOnlyList<ContainerJob>> ClaimPlacedJobsAsync(
        string owner,
        IReadOnlyList<JobPlacement> placements,
        int activeLimit,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken);

    /// <summary>
    /// Changes a job's status from <paramref name="expected"/> to <paramref name="next"/>
    /// and writes <paramref name="changes"/> in the same statement. Returns false, and
    /// writes nothing, when the job no longer has the expected status.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">
    /// The transition is not in <see cref="JobTransitions"/>.
    /// </exception>
    Task<bool> TryTransitionAsync(
        long id,
        JobStatus expected,
        JobStatus next,
        JobChanges changes,
        CancellationToken cancellationToken);

    /// <summary>Stores the captured output of one attempt, replacing what was stored for it.</summary>
    Task SaveLogsAsync(IReadOnlyList<JobLog> logs, CancellationToken cancellationToken);

    /// <summary>Returns the stored output of a job: of one attempt, or of the latest if null.</summary>
    Task<IReadOnlyList<JobLog>> GetLogsAsync(long jobId, int? attempt, CancellationToken cancellationToken);

    /// <summary>Appends an entry to a job's history.</summary>
    Task AddEventAsync(long jobId, string kind, string message, CancellationToken cancellationToken);

    /// <summary>Returns a job's history, oldest first.</summary>
    Task<IReadOnlyList<JobEvent>> GetEventsAsync(long jobId, CancellationToken cancellationToken);

    /// <summary>Returns the number of Launching and Running jobs per host name.</summary>
    Task<IReadOnlyDictionary<string, int>> CountActiveJobsByHostAsync(CancellationToken cancellationToken);

    /// <summary>Returns the number of jobs with any of these statuses.</summary>
    Task<int> CountJobsAsync(IReadOnlyCollection<JobStatus> statuses, CancellationToken cancellationToken);

    /// <summary>Returns the attempts of a job, oldest first.</summary>
    Task<IReadOnlyList<JobAttempt>> GetAttemptsAsync(long jobId, CancellationToken cancellationToken);

    /// <summary>Extends the leases of the Launching and Running jobs <paramref name="owner"/> holds; returns their count.</summary>
    Task<int> RenewLeasesAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="owner"/> the Launching and Running jobs whose lease has lapsed,
    /// because the processor that held them stopped renewing (it crashed or was killed).
    /// </summary>
    Task<IReadOnlyList<ContainerJob>> TakeOverExpiredLeasesAsync(
        string owner,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken);

    /// <summary>
    /// Changes a Pending or Retrying job. Returns the job as stored afterwards, unchanged if
    /// it was in another status, or null if it does not exist.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">The merged settings are invalid.</exception>
    Task<ContainerJob?> UpdateQueuedJobAsync(long id, JobUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the engine went away while attempt <paramref name="attempt"/> of a Running
    /// job ran, so that a kill by the engine's shutdown is later treated as an infrastructure
    /// failure rather than the job's own exit. Returns false if already recorded.
    /// </summary>
    Task<bool> MarkInterruptedAsync(long id, int attempt, string reason, CancellationToken cancellationToken);

    /// <summary>Deletes a job with its logs and history if it still has status <paramref name="expected"/>.</summary>
    Task<bool> DeleteJobAsync(long id, JobStatus expected, CancellationToken cancellationToken);

    /// <summary>Records that a processor is alive, or that it stopped cleanly.</summary>
    Task RecordHeartbeatAsync(ProcessorInfo processor, bool stopped, CancellationToken cancellationToken);

    /// <summary>Returns the processors seen most recently, newest heartbeat first.</summary>
    Task<IReadOnlyList<ProcessorInfo>> ListProcessorsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="changed"/>, on any thread, soon after any process writes to the
    /// store, until the returned object is disposed. Calls may come in bursts and for writes
    /// that changed nothing a caller cares about. Returns null, with the reason in
    /// <paramref name="unavailableReason"/>, when this store cannot notify; callers then
    /// rely on polling alone.
    /// </summary>
    IDisposable? WatchForChanges(Action changed, out string? unavailableReason);
}
