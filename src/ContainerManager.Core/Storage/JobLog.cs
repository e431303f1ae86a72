namespace ContainerManager.Core.Storage;

/// <summary>Output stream of a container's main process.</summary>
public enum LogStream
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}

/// <summary>
/// Captured output of one stream of one attempt. When the output was larger than the cap,
/// <see cref="Text"/> keeps its head and tail with a marker line between them.
/// </summary>
public sealed record JobLog(
    long JobId,
    int Attempt,
    LogStream Stream,
    string Text,
    long TotalBytes,
    long DroppedBytes)
{
    /// <summary>Returns whether part of the output was dropped to respect the cap.</summary>
    public bool Truncated => DroppedBytes > 0;
}
