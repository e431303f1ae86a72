namespace ContainerManager.Core.Storage;

/// <summary>An entry in a job's history: who did what to it, and when.</summary>
public sealed record JobEvent(
    long JobId,
    DateTimeOffset Time,
    string Kind,
    string Message,
    string? Actor);
