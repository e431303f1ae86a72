using System.Diagnostics;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Hosts;

/// <summary>
/// Pulls images onto executor hosts before jobs need them, with each host's pull policy and
/// the credentials of the executor factory.
/// </summary>
public sealed class ImagePuller
{
    private readonly IExecutorFactory _factory;

    /// <summary>Creates a puller whose executors come from <paramref name="factory"/>.</summary>
    public ImagePuller(IExecutorFactory factory)
    {
        _factory = factory;
    }

    /// <summary>
    /// Pulls <paramref name="image"/> onto <paramref name="host"/>. A failure is returned in the
    /// result, with the exception, so that a caller pulling onto many hosts goes on.
    /// </summary>
    public async Task<(ImagePullResult Result, ContainerManagerException? Error)> PullAsync(
        ExecutorHost host,
        string image,
        IProgress<ImagePullProgress>? progress,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var executor = _factory.Create(host);
            var status = await executor.PullImageAsync(image, progress, cancellationToken).ConfigureAwait(false);
            return (new ImagePullResult { HostName = host.Name, Image = image, Status = status, Duration = watch.Elapsed },
                null);
        }
        catch (ContainerManagerException ex)
        {
            var result = new ImagePullResult
            {
                HostName = host.Name,
                Image = image,
                Status = ImagePullStatus.Failed,
                Duration = watch.Elapsed,
                Error = ex.Message,
            };
            return (result, ex);
        }
    }
}
