using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Hosts;

/// <summary>Creates the executor that runs jobs on one host.</summary>
public interface IExecutorFactory
{
    /// <summary>
    /// Creates an executor for <paramref name="host"/>; the caller disposes it. Creating
    /// contacts no engine, so an unreachable host fails only on the first call.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">
    /// HostTypeNotSupported, InvalidEndpoint, TlsFileNotFound or TlsFileInvalid.
    /// </exception>
    IContainerExecutor Create(ExecutorHost host);
}
