using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Hosts;

/// <summary>Result of one health check of an executor host, as stored on the host.</summary>
public sealed class HostHealth
{
    /// <summary>Name of the host that was checked.</summary>
    public string HostName { get; init; } = "";

    /// <summary>Endpoint that was checked.</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Time the check finished.</summary>
    public DateTimeOffset CheckedAt { get; init; }

    /// <summary>Whether the engine responded to both calls of the check.</summary>
    public bool Ok { get; init; }

    /// <summary>Error message when the check failed; null when it succeeded.</summary>
    public string? Message { get; init; }

    /// <summary>Engine version, for example 20.10.24.</summary>
    public string? EngineVersion { get; init; }

    /// <summary>Engine API version, for example 1.41.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Operating system of the engine's host, for example linux.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>CPU architecture of the engine's host, for example x86_64.</summary>
    public string? Architecture { get; init; }

    /// <summary>CPUs the engine can use.</summary>
    public int? Cpus { get; init; }

    /// <summary>Memory of the engine's host in bytes.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Containers running on the engine when it was checked, including other users' containers.</summary>
    public int? RunningContainers { get; init; }

    /// <summary>Time the check took, in milliseconds.</summary>
    public long ResponseTimeMs { get; init; }

    /// <summary>Builds the result of a successful check from what the engine reported.</summary>
    public static HostHealth FromEngine(string hostName, EngineInfo engine, DateTimeOffset checkedAt) =>
        new()
        {
            HostName = hostName,
            Endpoint = engine.Endpoint,
            CheckedAt = checkedAt,
            Ok = true,
            EngineVersion = engine.Version,
            ApiVersion = engine.ApiVersion,
            OperatingSystem = engine.OperatingSystem,
            Architecture = engine.Architecture,
            Cpus = engine.Cpus,
            MemoryBytes = engine.MemoryBytes,
            RunningContainers = engine.RunningContainers,
            ResponseTimeMs = (long)engine.ResponseTime.TotalMilliseconds,
        };

    /// <summary>Builds the result of a failed check.</summary>
    public static HostHealth Failed(
        string hostName,
        string endpoint,
        string message,
        DateTimeOffset checkedAt,
        TimeSpan responseTime) =>
        new()
        {
            HostName = hostName,
            Endpoint = endpoint,
            CheckedAt = checkedAt,
            Ok = false,
            Message = message,
            ResponseTimeMs = (long)responseTime.TotalMilliseconds,
        };
}
