namespace ContainerManager.Core.Execution;

/// <summary>What an engine reports about itself in a health check.</summary>
public sealed class EngineInfo
{
    /// <summary>Endpoint that was checked.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Engine version, for example 20.10.24.</summary>
    public string? Version { get; init; }

    /// <summary>Engine API version, for example 1.41.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Operating system of the engine's host.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary>CPU architecture of the engine's host.</summary>
    public string? Architecture { get; init; }

    /// <summary>CPUs the engine can use, if it reported them.</summary>
    public int? Cpus { get; init; }

    /// <summary>Memory of the engine's host in bytes, if it reported it.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Containers running on the engine, if it reported them.</summary>
    public int? RunningContainers { get; init; }

    /// <summary>Time the check took.</summary>
    public TimeSpan ResponseTime { get; init; }
}
