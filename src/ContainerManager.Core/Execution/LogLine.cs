using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Execution;

/// <summary>One line of a container's output, as the engine streams it.</summary>
/// <param name="Stream">Stream the line was written to.</param>
/// <param name="Text">Line without its newline; invalid UTF-8 is replaced by U+FFFD.</param>
/// <param name="Timestamp">Time the engine received the line, when timestamps were requested.</param>
public sealed record LogLine(LogStream Stream, string Text, DateTimeOffset? Timestamp);
