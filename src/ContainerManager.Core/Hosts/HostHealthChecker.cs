using System.Diagnostics;
using System.Globalization;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Hosts;

/// <summary>
/// Checks that a host's engine responds, and reads what it reports about itself. A failure is
/// returned, not thrown, so that it can be stored on the host like a success.
/// </summary>
public sealed class HostHealthChecker
{
    private readonly IExecutorFactory _factory;

    /// <summary>Creates a checker that reaches hosts through <paramref name="factory"/>.</summary>
    public HostHealthChecker(IExecutorFactory factory)
    {
        _factory = factory;
    }

    /// <summary>
    /// Pings the engine of <paramref name="host"/> and reads its version, API version,
    /// operating system, architecture, CPUs, memory and running containers.
    /// </summary>
    /// <param name="host">Host to check, enabled or not.</param>
    /// <param name="timeout">Time the engine gets to respond to both calls.</param>
    /// <param name="cancellationToken">Cancels the check; this is thrown, not returned.</param>
    public async Task<HostCheckResult> CheckAsync(
        ExecutorHost host,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var executor = _factory.Create(host);
            var engine = await executor.PingAsync(limit.Token).ConfigureAwait(false);
            return new HostCheckResult(HostHealth.FromEngine(host.Name, engine, DateTimeOffset.UtcNow), null);
        }
        catch (ContainerManagerException ex)
        {
            return Failed(host, ex, watch.Elapsed);
        }
        catch (Exception ex) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = new ContainerManagerException(
                "EngineTimedOut",
                ErrorKind.OperationTimeout,
                string.Create(CultureInfo.InvariantCulture,
                    $"The engine at {host.Endpoint} did not answer within {timeout.TotalSeconds:0.#} s. ") +
                "Check that the daemon is running and not overloaded, and that the network path to it " +
                "is open.",
                host.Endpoint,
                ex);
            return Failed(host, error, watch.Elapsed);
        }
    }

    private static HostCheckResult Failed(ExecutorHost host, ContainerManagerException error, TimeSpan elapsed) =>
        new(HostHealth.Failed(host.Name, host.Endpoint, error.Message, DateTimeOffset.UtcNow, elapsed), error);
}
