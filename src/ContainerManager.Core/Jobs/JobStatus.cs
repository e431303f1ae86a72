namespace ContainerManager.Core.Jobs;

/// <summary>
/// Stage of a job's life cycle. <see cref="JobTransitions"/> lists the allowed changes;
/// Completed, Failed, TimedOut and Cancelled are terminal.
/// </summary>
public enum JobStatus
{
    /// <summary>Queued and waiting to be claimed by a processor.</summary>
    Pending,

    /// <summary>Claimed by a processor, which is pulling the image and creating the container.</summary>
    Launching,

    /// <summary>The container has started.</summary>
    Running,

    /// <summary>An infrastructure failure ended the last attempt; the job waits for its back-off.</summary>
    Retrying,

    /// <summary>The container exited with code 0.</summary>
    Completed,

    /// <summary>The container exited with a non-zero code, or the job could not be run.</summary>
    Failed,

    /// <summary>The job ran longer than its timeout and its container was stopped.</summary>
    TimedOut,

    /// <summary>A user cancelled the job.</summary>
    Cancelled,
}
