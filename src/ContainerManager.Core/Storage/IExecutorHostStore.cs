using ContainerManager.Core.Hosts;

namespace ContainerManager.Core.Storage;

/// <summary>Durable list of executor hosts, keyed by name without regard to case.</summary>
public interface IExecutorHostStore
{
    /// <summary>Where the store lives, for messages.</summary>
    string Location { get; }

    /// <summary>Validates <paramref name="host"/> and stores it.</summary>
    /// <exception cref="Errors.ContainerManagerException">
    /// A validation error from <see cref="ExecutorHost.Validate"/>, or HostAlreadyExists.
    /// </exception>
    Task<ExecutorHost> AddHostAsync(ExecutorHost host, CancellationToken cancellationToken);

    /// <summary>Returns the host with this name, or null.</summary>
    Task<ExecutorHost?> GetHostAsync(string name, CancellationToken cancellationToken);

    /// <summary>Returns every stored host, ordered by name.</summary>
    Task<IReadOnlyList<ExecutorHost>> ListHostsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Validates <paramref name="host"/> and replaces the settings of the stored host with
    /// the same name. The last health result is kept.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">A validation error, or HostNotFound.</exception>
    Task<ExecutorHost> UpdateHostAsync(ExecutorHost host, CancellationToken cancellationToken);

    /// <summary>
    /// Enables or disables the host without validating its other settings, so a host whose
    /// TLS file has gone can still be disabled. Returns the host, or null when none has this name.
    /// </summary>
    Task<ExecutorHost?> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken);

    /// <summary>Removes the host; returns false when no host has this name.</summary>
    Task<bool> RemoveHostAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores the result of a health check; returns false when no host has this name.</summary>
    Task<bool> SaveHealthAsync(string name, HostHealth health, CancellationToken cancellationToken);

    /// <summary>
    /// Returns how many jobs are Launching or Running per host name, from the host name
    /// recorded on each job. Jobs without a host name are not counted.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> CountActiveJobsAsync(CancellationToken cancellationToken);
}
