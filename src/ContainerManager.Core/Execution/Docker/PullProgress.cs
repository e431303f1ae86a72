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
    private string? _error;

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
        if (string.IsNullOrEmpty(message))
        {
            return;
        }

        lock (_gate)
        {
            _error ??= message;
        }
    }
}
