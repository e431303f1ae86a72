using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContainerManager.Tests.Processing;

/// <summary>How JobFinisher dates the end of attempts whose containers ran on the real test engine.</summary>
public class JobFinisherTests
{
    [Fact]
    public async Task Harvest_FinishBeforeStart_EndsAtStart()
    {
        // Docker 20.10 on the test engine reports FinishedAt about 1 ms before StartedAt for
        // many containers that run only 'true'.
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var (job, exited) = await RunToExitAsync(temp.Store, executor);
        var reported = Reported(exited, finishedAt: exited.StartedAt!.Value.AddMilliseconds(-1));

        await new JobFinisher(temp.Store, _ => executor, new ProcessorOptions(), NullLogger.Instance)
            .HarvestAsync(job, reported, Summary(), default);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal(done.StartedAt, done.CompletedAt);
        Assert.Equal(TimeSpan.Zero, done.Duration);
    }

    [Fact]
    public async Task Harvest_EngineClockAhead_EndsNoEarlierThanStart()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var (job, exited) = await RunToExitAsync(temp.Store, executor);
        var reported = new ContainerStatus
        {
            ContainerId = exited.ContainerId,
            ExitCode = 0,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(1),
        };

        await new JobFinisher(temp.Store, _ => executor, new ProcessorOptions(), NullLogger.Instance)
            .HarvestAsync(job, reported, Summary(), default);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.True(done.CompletedAt >= done.StartedAt, $"completed {done.CompletedAt:o} before start {done.StartedAt:o}");
        Assert.True(done.Duration >= TimeSpan.Zero, $"duration {done.Duration}");
    }

    [Fact]
    public async Task Harvest_EngineFinishTime_IsTheEnd()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var (job, exited) = await RunToExitAsync(temp.Store, executor);
        var finishedAt = exited.StartedAt!.Value.AddSeconds(2);

        await new JobFinisher(temp.Store, _ => executor, new ProcessorOptions(), NullLogger.Instance)
            .HarvestAsync(job, Reported(exited, finishedAt), Summary(), default);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(Milliseconds(exited.StartedAt.Value), done!.StartedAt);
        Assert.Equal(Milliseconds(finishedAt), done.CompletedAt);
    }

    // Claims a job, runs its container to the end and records it Running, as the processor
    // does before it harvests.
    private static async Task<(ContainerJob Job, ContainerStatus Exited)> RunToExitAsync(
        IJobStore store,
        IContainerExecutor executor)
    {
        var created = await store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);
        var claimed = Assert.Single(await store.ClaimDueJobsAsync("finisher-test", 1, null, TimeSpan.FromMinutes(5), default));
        var request = new ContainerLaunchRequest
        {
            Name = JobProcessor.ContainerName(store.StoreId, created.Id, claimed.Attempt),
            Image = TestEngine.Image,
            Command = ["true"],
        };
        var launched = await executor.LaunchAsync(request, default);
        var exited = await executor.WaitAsync(launched.ContainerId, default);
        var changes = new JobChanges { ContainerId = exited.ContainerId, StartedAt = exited.StartedAt };
        Assert.True(await store.TryTransitionAsync(created.Id, JobStatus.Launching, JobStatus.Running, changes, default));
        return ((await store.GetJobAsync(created.Id, default))!, exited);
    }

    private static ContainerStatus Reported(ContainerStatus exited, DateTimeOffset finishedAt) => new()
    {
        ContainerId = exited.ContainerId,
        ExitCode = exited.ExitCode,
        StartedAt = exited.StartedAt,
        FinishedAt = finishedAt,
    };

    private static ProcessorRunSummary Summary() => new() { ProcessorId = "finisher-test", Endpoint = "" };

    // The store keeps times to the millisecond.
    private static DateTimeOffset Milliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
