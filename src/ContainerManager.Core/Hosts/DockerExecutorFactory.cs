using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using Microsoft.Extensions.Logging;

namespace ContainerManager.Core.Hosts;

/// <summary>Creates a <see cref="DockerExecutor"/> per host, sharing one credential provider.</summary>
public sealed class DockerExecutorFactory : IExecutorFactory
{
    private readonly IRegistryCredentialProvider _credentials;
    private readonly ILogger? _logger;

    /// <summary>
    /// Creates a factory. <paramref name="credentials"/> defaults to the docker CLI's config
    /// file; pass a <see cref="RegistryCredentialChain"/> of the stored credentials and the
    /// config file to use both.
    /// </summary>
    public DockerExecutorFactory(IRegistryCredentialProvider? credentials = null, ILogger? logger = null)
    {
        _credentials = credentials ?? new DockerConfigCredentialProvider();
        _logger = logger;
    }

    /// <inheritdoc />
    public IContainerExecutor Create(ExecutorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Type != ExecutorHostType.Docker)
        {
            throw new ContainerManagerException(
                "HostTypeNotSupported",
                ErrorKind.InvalidOperation,
                $"Host '{host.Name}' has type {host.Type}, which this factory cannot run. Only Docker hosts " +
                "are supported.",
                host);
        }

        return new DockerExecutor(host, _credentials, _logger);
    }
}
