namespace ContainerManager.Core.Hosts;

/// <summary>When a host pulls a job's image before it creates the container.</summary>
public enum PullPolicy
{
    /// <summary>Pull only when the engine does not have the image yet.</summary>
    IfNotPresent,

    /// <summary>Pull before every launch, so a moved tag is picked up.</summary>
    Always,

    /// <summary>Never pull: a missing image fails the job at once.</summary>
    Never,
}
