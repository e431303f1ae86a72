using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>
/// The hosts a processor runs jobs on, with one executor per host. With no host stored,
/// the local engine is the only, implicit, host.
/// </summary>
public sealed class ExecutorPool : IDisposable
{
    private readonly IExecutorHostStore? _hostStore;
    private readonly IExecutorFactory? _factory;
    private readonly int _localMaxConcurrentJobs;
    private readonly Dictionary<string, (ExecutorHost Host, IContainerExecutor Executor)> _executors =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private IReadOnlyList<ExecutorHost> _hosts = [];

    /// <summary>Creates a pool over the hosts stored in <paramref name="hostStore"/>.</summary>
    public ExecutorPool(IExecutorHostStore hostStore, IExecutorFactory factory, int localMaxConcurrentJobs)
    {
        _hostStore = hostStore;
        _factory = factory;
        _localMaxConcurrentJobs = localMaxConcurrentJobs;
    }

    /// <summary>Creates a pool of one host backed by <paramref name="executor"/>.</summary>
    public ExecutorPool(IContainerExecutor executor, string hostName, int maxConcurrentJobs)
    {
        var host = new ExecutorHost { Name = hostName, Endpoint = executor.Endpoint, MaxConcurrentJobs = maxConcurrentJobs };
        _hosts = [host];
        _executors[hostName] = (host, executor);
        _localMaxConcurrentJobs = maxConcurrentJobs;
    }

    /// <summary>Hosts as of the latest <see cref="RefreshAsync"/>.</summary>
    public IReadOnlyList<ExecutorHost> Hosts
    {
        get
        {
            lock (_gate)
            {
                return _hosts;
            }
        }
    }

    /// <summary>Whether the only host is the implicit local engine, because none is stored.</summary>
    public bool IsImplicitOnly => Hosts.Count == 1 && (Hosts[0].IsImplicit || _hostStore is null);

    /// <summary>Reloads the stored hosts, so that added, changed and disabled hosts take effect.</summary>
    public async Task<IReadOnlyList<ExecutorHost>> RefreshAsync(CancellationToken cancellationToken)
    {
        if (_hostStore is null)
        {
            return Hosts;
        }

        var stored = await _hostStore.ListHostsAsync(cancellationToken).ConfigureAwait(false);
        var hosts = stored.Count > 0 ? stored : [ExecutorHost.Local(_localMaxConcurrentJobs)];
        lock (_gate)
        {
            _hosts = hosts;
            foreach (var host in hosts)
            {
                // A changed endpoint or TLS setting needs a new client.
                if (_executors.TryGetValue(host.Name, out var cached) && !SameConnection(cached.Host, host))
                {
                    cached.Executor.Dispose();
                    _executors.Remove(host.Name);
                }
            }
        }

        return hosts;
    }

    /// <summary>Returns the executor of the host named <paramref name="hostName"/>.</summary>
    /// <exception cref="ContainerManagerException">HostNotFound when no such host is known.</exception>
    public IContainerExecutor For(string? hostName)
    {
        lock (_gate)
        {
            var host = hostName is null
                ? _hosts.FirstOrDefault(h => h.IsImplicit) ?? _hosts.FirstOrDefault()
                : _hosts.FirstOrDefault(h => string.Equals(h.Name, hostName, StringComparison.OrdinalIgnoreCase));
            if (host is null)
            {
                throw new ContainerManagerException("HostNotFound", ErrorKind.ObjectNotFound,
                    $"The executor host '{hostName}' is not stored any more, so its jobs cannot be reached. " +
                    "Add the host again with New-ExecutorHost, or stop its jobs with Stop-ContainerJob.",
                    hostName);
            }

            if (!_executors.TryGetValue(host.Name, out var entry))
            {
                entry = (host, _factory!.Create(host));
                _executors[host.Name] = entry;
            }

            return entry.Executor;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_factory is null)
            {
                // The caller that passed in the single executor disposes it.
                return;
            }

            foreach (var (_, executor) in _executors.Values)
            {
                executor.Dispose();
            }

            _executors.Clear();
        }
    }

    private static bool SameConnection(ExecutorHost a, ExecutorHost b) =>
        a.Endpoint == b.Endpoint && a.TlsCaPath == b.TlsCaPath && a.TlsCertPath == b.TlsCertPath
        && a.TlsKeyPath == b.TlsKeyPath && a.TlsVerify == b.TlsVerify && a.PullPolicy == b.PullPolicy;
}
