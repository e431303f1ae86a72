using ContainerManager.Core.Jobs;

namespace ContainerManager.Core.Storage;

/// <summary>Filter for listing jobs; unset fields match every job.</summary>
public sealed class JobQuery
{
    /// <summary>Jobs with any of these statuses; empty matches all.</summary>
    public IReadOnlyCollection<JobStatus> Statuses { get; init; } = [];

    /// <summary>Name pattern with PowerShell wildcards (* and ?), matched without regard to case.</summary>
    public string? NamePattern { get; init; }

    /// <summary>Maximum number of jobs returned, newest first; null returns all.</summary>
    public int? Limit { get; init; }
}
