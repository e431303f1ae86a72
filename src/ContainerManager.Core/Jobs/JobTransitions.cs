namespace ContainerManager.Core.Jobs;

/// <summary>
/// Table of allowed status changes. Every status update in the store checks it before
/// it writes, and writes only if the job still has the status it was read with.
/// </summary>
public static class JobTransitions
{
    private static readonly Dictionary<JobStatus, JobStatus[]> Allowed = new()
    {
        [JobStatus.Pending] = [JobStatus.Launching, JobStatus.Cancelled],
        [JobStatus.Retrying] = [JobStatus.Launching, JobStatus.Cancelled],
        [JobStatus.Launching] =
            [JobStatus.Running, JobStatus.Retrying, JobStatus.Failed, JobStatus.Cancelled],
        [JobStatus.Running] =
        [
            JobStatus.Completed, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Retrying,
            JobStatus.Cancelled,
        ],
        [JobStatus.Completed] = [JobStatus.Pending],
        [JobStatus.Failed] = [JobStatus.Pending],
        [JobStatus.TimedOut] = [JobStatus.Pending],
        [JobStatus.Cancelled] = [JobStatus.Pending],
    };

    /// <summary>Returns whether a job may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(JobStatus from, JobStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Returns the statuses a job in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<JobStatus> AllowedFrom(JobStatus from) =>
        Allowed.TryGetValue(from, out var targets) ? targets : [];

    /// <summary>Returns whether no processor will change a job in this status again.</summary>
    public static bool IsTerminal(JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.TimedOut
            or JobStatus.Cancelled;
}
