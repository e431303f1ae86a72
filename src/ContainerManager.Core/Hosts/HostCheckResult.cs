using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Hosts;

/// <summary>Outcome of <see cref="HostHealthChecker.CheckAsync"/>.</summary>
public sealed class HostCheckResult
{
    /// <summary>Creates a result; <paramref name="error"/> is null when the check passed.</summary>
    public HostCheckResult(HostHealth health, ContainerManagerException? error)
    {
        Health = health;
        Error = error;
    }

    /// <summary>Health to store on the host.</summary>
    public HostHealth Health { get; }

    /// <summary>Why the check failed, with the endpoint and the likely fix; null when it passed.</summary>
    public ContainerManagerException? Error { get; }
}
