namespace ContainerManager.Core.Storage;

/// <summary>One line of a job's output, read live from the engine or split from the stored log.</summary>
/// <param name="JobId">Job that wrote the line.</param>
/// <param name="Attempt">Attempt that wrote the line.</param>
/// <param name="Stream">Stream the line was written to.</param>
/// <param name="Text">Line without its newline; invalid UTF-8 is replaced by U+FFFD.</param>
/// <param name="Timestamp">
/// Time the engine received the line; null when timestamps were not requested or the line
/// comes from the store, which keeps no times.
/// </param>
public sealed record JobLogLine(long JobId, int Attempt, LogStream Stream, string Text, DateTimeOffset? Timestamp);
