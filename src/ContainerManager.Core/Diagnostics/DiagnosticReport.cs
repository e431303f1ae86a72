using ContainerManager.Core.Hosts;
using ContainerManager.Core.Processing;

namespace ContainerManager.Core.Diagnostics;

/// <summary>
/// What an admin attaches to a problem report: versions, the store, the processors and the
/// hosts with a fresh health check. It holds no environment value, template text or
/// credential, so it is safe to paste.
/// </summary>
public sealed class DiagnosticReport
{
    /// <summary>Time the report was made (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Version of the ContainerManager module.</summary>
    public string ModuleVersion { get; init; } = "";

    /// <summary>Version of PowerShell that loaded the module, filled in by the cmdlet.</summary>
    public string? PowerShellVersion { get; set; }

    /// <summary>.NET runtime description.</summary>
    public string Runtime { get; init; } = "";

    /// <summary>Operating system description.</summary>
    public string OperatingSystem { get; init; } = "";

    /// <summary>$DOCKER_HOST in the environment of the process that made the report, or null.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Job store file.</summary>
    public string StorePath { get; init; } = "";

    /// <summary>Random id of the store, as on container labels.</summary>
    public string StoreId { get; init; } = "";

    /// <summary>Schema version of the store.</summary>
    public int SchemaVersion { get; init; }

    /// <summary>Size of the store file in bytes.</summary>
    public long StoreSizeBytes { get; init; }

    /// <summary>Number of jobs per status.</summary>
    public IReadOnlyDictionary<string, int> JobCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Number of stored environment templates.</summary>
    public int TemplateCount { get; init; }

    /// <summary>Processors seen most recently.</summary>
    public IReadOnlyList<ProcessorInfo> Processors { get; init; } = [];

    /// <summary>Hosts (or the implicit local engine) with the result of a check made for this report.</summary>
    public IReadOnlyList<HostHealth> Hosts { get; init; } = [];
}
