using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>Reads a container's output, bounded per stream, and stores it for the job's current attempt.</summary>
internal static class OutputRecorder
{
    public static async Task SaveAsync(
        IJobStore store,
        IContainerExecutor executor,
        ContainerJob job,
        int capBytesPerStream,
        CancellationToken cancellationToken)
    {
        var output = new CapturedOutput(capBytesPerStream);
        await executor.ReadLogsAsync(job.ContainerId!, output, cancellationToken).ConfigureAwait(false);
        await store.SaveLogsAsync(
            [
                ToJobLog(job, LogStream.Stdout, output.Stdout),
                ToJobLog(job, LogStream.Stderr, output.Stderr),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    private static JobLog ToJobLog(ContainerJob job, LogStream stream, LogBuffer buffer) =>
        new(job.Id, job.Attempt, stream, buffer.GetText(), buffer.TotalBytes, buffer.DroppedBytes);
}
