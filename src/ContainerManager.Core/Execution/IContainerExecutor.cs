namespace ContainerManager.Core.Execution;

/// <summary>
/// Runs containers on one engine. Every call may throw <see cref="ExecutorException"/>,
/// classified as transient or permanent.
/// </summary>
public interface IContainerExecutor : IDisposable
{
    /// <summary>Endpoint of the engine, for messages.</summary>
    string Endpoint { get; }

    /// <summary>Checks that the engine responds and returns its version, OS and architecture.</summary>
    Task<EngineInfo> PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pulls the image if the engine lacks it, creates the container and starts it. Launching
    /// a name that already exists starts (or keeps) that container instead of making another.
    /// </summary>
    Task<ContainerStatus> LaunchAsync(ContainerLaunchRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Pulls the image as a launch would under the host's pull policy: a present image is
    /// pulled again only with policy Always, and a missing one fails with policy Never.
    /// </summary>
    /// <returns>Pulled, or AlreadyPresent when the engine had the image and did not pull.</returns>
    Task<ImagePullStatus> PullImageAsync(
        string image,
        IProgress<ImagePullProgress>? progress,
        CancellationToken cancellationToken);

    /// <summary>Returns the container's state, or null if the engine has no such container.</summary>
    Task<ContainerStatus?> InspectAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Waits until the container exits and returns its final state.</summary>
    Task<ContainerStatus> WaitAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Reads the container's output so far into <paramref name="output"/>.</summary>
    Task ReadLogsAsync(string containerId, CapturedOutput output, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the container's output as lines, stdout and stderr apart, in the order the
    /// engine sends them. With <see cref="LogReadOptions.Follow"/> it ends when the container exits.
    /// </summary>
    IAsyncEnumerable<LogLine> ReadLogLinesAsync(
        string containerId,
        LogReadOptions options,
        CancellationToken cancellationToken);

    /// <summary>Stops the container: SIGTERM, then SIGKILL after <paramref name="gracePeriod"/>.</summary>
    Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Removes the container, stopping it first if needed; a missing container is not an error.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Returns the containers that carry <paramref name="labelKey"/>=<paramref name="labelValue"/>.</summary>
    Task<IReadOnlyList<ContainerStatus>> ListByLabelAsync(
        string labelKey,
        string labelValue,
        CancellationToken cancellationToken);
}
