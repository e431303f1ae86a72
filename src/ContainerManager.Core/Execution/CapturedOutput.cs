namespace ContainerManager.Core.Execution;

/// <summary>Captured stdout and stderr of one container, each bounded separately.</summary>
public sealed class CapturedOutput
{
    /// <summary>Creates empty buffers with <paramref name="capBytesPerStream"/> bytes each.</summary>
    public CapturedOutput(int capBytesPerStream)
    {
        Stdout = new LogBuffer(capBytesPerStream);
        Stderr = new LogBuffer(capBytesPerStream);
    }

    /// <summary>Standard output.</summary>
    public LogBuffer Stdout { get; }

    /// <summary>Standard error.</summary>
    public LogBuffer Stderr { get; }
}
