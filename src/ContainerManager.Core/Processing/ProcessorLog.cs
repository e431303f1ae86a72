using Microsoft.Extensions.Logging;

namespace ContainerManager.Core.Processing;

/// <summary>Log messages of the processor, with stable event ids.</summary>
internal static partial class ProcessorLog
{
    [LoggerMessage(1, LogLevel.Information, "Processor {ProcessorId} uses engine {Endpoint} (version {Version}, API {ApiVersion})")]
    public static partial void EngineReady(ILogger logger, string processorId, string endpoint, string? version, string? apiVersion);

    [LoggerMessage(2, LogLevel.Information, "Claimed job {JobId} attempt {Attempt} for image {Image}")]
    public static partial void Claimed(ILogger logger, long jobId, int attempt, string image);

    [LoggerMessage(3, LogLevel.Information, "Started job {JobId} in container {ContainerId} on host {HostName}")]
    public static partial void Started(ILogger logger, long jobId, string containerId, string hostName);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} exited with code {ExitCode} and is {Status}")]
    public static partial void Finished(ILogger logger, long jobId, int? exitCode, string status);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId} ran past its timeout of {TimeoutSeconds} s and was stopped")]
    public static partial void TimedOut(ILogger logger, long jobId, int timeoutSeconds);

    [LoggerMessage(6, LogLevel.Error, "Job {JobId} could not be launched: {Reason}")]
    public static partial void LaunchFailed(ILogger logger, long jobId, string reason, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Job {JobId} will be retried at {DueAt:o} (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    public static partial void RetryScheduled(ILogger logger, long jobId, DateTimeOffset dueAt, int attempt, int maxAttempts, string reason);

    [LoggerMessage(8, LogLevel.Error, "Harvesting job {JobId} failed: {Reason}")]
    public static partial void HarvestFailed(ILogger logger, long jobId, string reason, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Job {JobId} changed status elsewhere before this processor could record {Status}")]
    public static partial void LostRace(ILogger logger, long jobId, string status);


    [LoggerMessage(11, LogLevel.Warning, "Container {ContainerId} of job {JobId} could not be removed: {Reason}")]
    public static partial void RemoveFailed(ILogger logger, long jobId, string containerId, string reason);

    [LoggerMessage(12, LogLevel.Information, "Adopted job {JobId} ({Status}) after its processor's lease expired")]
    public static partial void Adopted(ILogger logger, long jobId, string status);

    [LoggerMessage(13, LogLevel.Information, "Processor {ProcessorId} is draining: waiting up to {Seconds} s for {Count} running jobs")]
    public static partial void Draining(ILogger logger, string processorId, double seconds, int count);

    [LoggerMessage(14, LogLevel.Warning, "Processor {ProcessorId} stopped with {Count} jobs still running; another processor adopts them")]
    public static partial void HandedOff(ILogger logger, string processorId, int count);

    [LoggerMessage(15, LogLevel.Error, "Processor cycle failed: {Reason}")]
    public static partial void CycleFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Executor host {HostName} did not answer and gets no new jobs: {Reason}")]
    public static partial void HostUnreachable(ILogger logger, string hostName, string reason);

    [LoggerMessage(17, LogLevel.Debug, "Job {JobId} waits for a host: {Reason}")]
    public static partial void NotPlaced(ILogger logger, long jobId, string reason);

    [LoggerMessage(18, LogLevel.Debug, "Processor {ProcessorId} cannot watch the store for new jobs and polls every {Seconds} s: {Reason}")]
    public static partial void PollingOnly(ILogger logger, string processorId, double seconds, string reason);
}
