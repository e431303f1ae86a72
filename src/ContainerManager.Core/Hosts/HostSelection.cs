namespace ContainerManager.Core.Hosts;

/// <summary>Outcome of <see cref="HostSelector.Select"/>: the chosen host, or why none fits.</summary>
public sealed class HostSelection
{
    private HostSelection(ExecutorHost? host, string? reason)
    {
        Host = host;
        Reason = reason;
    }

    /// <summary>Chosen host, or null when none fits.</summary>
    public ExecutorHost? Host { get; }

    /// <summary>Why no host fits, for the job's history and error message; null when one was chosen.</summary>
    public string? Reason { get; }

    /// <summary>Returns a selection of <paramref name="host"/>.</summary>
    public static HostSelection Chosen(ExecutorHost host) => new(host, null);

    /// <summary>Returns a selection without a host.</summary>
    public static HostSelection NoneFits(string reason) => new(null, reason);
}
