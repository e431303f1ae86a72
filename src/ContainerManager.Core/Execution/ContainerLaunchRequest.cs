namespace ContainerManager.Core.Execution;

/// <summary>Everything an executor needs to create and start one attempt's container.</summary>
public sealed class ContainerLaunchRequest
{
    /// <summary>
    /// Container name, unique per job attempt and store, so that launching the same attempt
    /// twice finds the first container instead of creating a second.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>Image reference to run.</summary>
    public required string Image { get; init; }

    /// <summary>Argument vector; empty uses the image's default command.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Environment with every reference already resolved.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } =
        new Dictionary<string, string>();

    /// <summary>Labels to put on the container.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } =
        new Dictionary<string, string>();

    /// <summary>Memory limit in MiB; swap is limited to the same amount.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>CPU limit in cores.</summary>
    public double? Cpus { get; init; }

    /// <summary>Whether the container runs privileged; the host must allow it.</summary>
    public bool Privileged { get; init; }

    /// <summary>
    /// Bind mounts in the engine's source:target[:options] form, such as /srv/data:/data:ro;
    /// the host must allow them.
    /// </summary>
    public IReadOnlyList<string> BindMounts { get; init; } = [];

    /// <summary>Named volumes in the engine's name:target[:ro] form.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Absolute working directory inside the container; null uses the image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>User (name or uid, optionally :group) of the main process; null uses the image's.</summary>
    public string? User { get; init; }

    /// <summary>Network to join, or none; null uses the engine's default network.</summary>
    public string? Network { get; init; }
}
