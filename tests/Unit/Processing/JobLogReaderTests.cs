using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Processing;

public class JobLogReaderTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(20)]
    public async Task ReadLines_EmptyStoredStream_ReturnsNoLine(int? tail)
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        await temp.Store.SaveLogsAsync(
            [
                new JobLog(job.Id, 1, LogStream.Stdout, "first\nsecond\n", 13, 0),
                new JobLog(job.Id, 1, LogStream.Stderr, "", 0, 0),
            ],
            default);
        // A job that is not Running is read from the store, so no executor is needed.
        var reader = new JobLogReader(temp.Store, (_, _) => throw new InvalidOperationException("no engine"));

        var lines = new List<JobLogLine>();
        await foreach (var line in reader.ReadLinesAsync(job, null, new LogReadOptions { Tail = tail }, null, default))
        {
            lines.Add(line);
        }

        Assert.DoesNotContain(lines, line => line.Stream == LogStream.Stderr);
        Assert.Equal(["first", "second"], lines.Select(line => line.Text));
    }

    [Fact]
    public async Task ReadLines_LastLineWithoutNewline_ReturnsIt()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        await temp.Store.SaveLogsAsync([new JobLog(job.Id, 1, LogStream.Stdout, "a\nb", 3, 0)], default);
        var reader = new JobLogReader(temp.Store, (_, _) => throw new InvalidOperationException("no engine"));

        var lines = new List<JobLogLine>();
        await foreach (var line in reader.ReadLinesAsync(job, null, new LogReadOptions { Tail = 1 }, null, default))
        {
            lines.Add(line);
        }

        Assert.Equal(["b"], lines.Select(line => line.Text));
    }
}
