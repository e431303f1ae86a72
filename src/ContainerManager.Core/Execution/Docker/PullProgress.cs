using Docker.DotNet.Models;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>
/// Keeps the first error of an image pull's progress stream. The engine reports some pull
/// failures only there, after a successful HTTP status. Unlike Progress&lt;T&gt;, which posts
/// each report to the thread pool, this records the report before the pull call returns,
/// so no error is read too early.
/// </summary>
internal sealed class PullProgress : IProgress<JSONMessage>
{
    private readonly object _gate = new();
    private readonly IProgress<ImagePullProgress>? _forward;
    private readonly Dictionary<string, (long Current, long Total)> _layers = [];
    private string? _error;

    /// <summary>Creates a recorder that also passes a summary of each report to <paramref name="forward"/>.</summary>
    public PullProgress(IProgress<ImagePullProgress>? forward = null)
    {
        _forward = forward;
    }

    /// <summary>First error message in the stream, or null.</summary>
    public string? Error
    {
        get
        {
            lock (_gate)
            {
                return _error;
            }
        }
    }

    public void Report(JSONMessage value)
    {
        var message = value.Error?.Message;
        if (!string.IsNullOrEmpty(message))
        {
            lock (_gate)
            {
                _error ??= message;
            }

            return;
        }

        if (_forward is null)
        {
            return;
        }

        ImagePullProgress summary;
        lock (_gate)
        {
            // Only download reports carry sizes. A finished layer counts as fully downloaded.
            if (!string.IsNullOrEmpty(value.ID) && value.Progress is { Total: > 0 } progress
                && value.Status == "Downloading")
            {
                _layers[value.ID] = (progress.Current ?? 0, progress.Total ?? 0);
            }
            else if (!string.IsNullOrEmpty(value.ID) && value.Status is "Download complete" or "Pull complete"
                && _layers.TryGetValue(value.ID, out var layer))
            {
                _layers[value.ID] = (layer.Total, layer.Total);
            }

            summary = new ImagePullProgress(
                value.Status ?? "",
                _layers.Values.Sum(l => l.Current),
                _layers.Values.Sum(l => l.Total));
        }

        _forward.Report(summary);
    }
}
