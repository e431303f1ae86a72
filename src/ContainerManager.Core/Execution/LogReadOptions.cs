namespace ContainerManager.Core.Execution;

/// <summary>What to read of a container's output as lines.</summary>
public sealed class LogReadOptions
{
    /// <summary>Whether to keep reading new output until the container exits.</summary>
    public bool Follow { get; init; }

    /// <summary>Number of last lines per stream to start with; null reads all output.</summary>
    public int? Tail { get; init; }

    /// <summary>Whether to ask the engine for the time it received each line.</summary>
    public bool Timestamps { get; init; }
}
