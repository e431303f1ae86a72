using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Processing;

/// <summary>Retries, adoption after a crash, cancel, restart and drain on the real test engine.</summary>
public class JobLifecycleTests
{
    private static readonly ProcessorOptions Fast = new()
    {
        WaitForJobs = true,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        StopGracePeriod = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task RetryableExitCode_RetriesUntilAttemptsRunOut()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 42"], MaxAttempts = 2, RetryExitCodes = [42] },
            default);

        var first = await RunOnceAsync(temp.Store, Fast);
        var afterFirst = await temp.Store.GetJobAsync(job.Id, default);
        await Task.Delay(50);
        await RunOnceAsync(temp.Store, Fast);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var attempts = await temp.Store.GetAttemptsAsync(job.Id, default);

        Assert.Equal(1, first.Retried);
        Assert.Equal(JobStatus.Retrying, afterFirst!.Status);
        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(42, done.ExitCode);
        Assert.Equal([JobStatus.Retrying, JobStatus.Failed], attempts.Select(a => a.Status));
    }

    [Fact]
    public async Task RetriedAttempt_KeepsItsOutcome()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 75"], MaxAttempts = 2, RetryExitCodes = [75] },
            default);

        await RunOnceAsync(temp.Store, Fast);
        var retrying = await temp.Store.GetJobAsync(job.Id, default);
        await Task.Delay(50);
        await RunOnceAsync(temp.Store, Fast);
        var attempts = await temp.Store.GetAttemptsAsync(job.Id, default);

        Assert.Equal(JobStatus.Retrying, retrying!.Status);
        Assert.Equal(75, retrying.ExitCode);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal(75, attempt.ExitCode);
            Assert.False(attempt.OomKilled);
            Assert.NotNull(attempt.StartedAt);
            Assert.NotNull(attempt.CompletedAt);
            Assert.True(attempt.CompletedAt >= attempt.StartedAt);
            Assert.Contains("code 75", attempt.ErrorMessage);
        });
    }

    [Fact]
    public async Task RetriedLaunchFailure_KeepsEndAndError()
    {
        using var temp = new TempStore();
        // Nothing listens on port 1, so the pull fails to connect: a transient failure.
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "127.0.0.1:1/nothing/here:1", MaxAttempts = 3 }, default);
        var options = new ProcessorOptions { WaitForJobs = true, RetryBaseDelay = TimeSpan.FromMinutes(10) };

        await RunOnceAsync(temp.Store, options);
        var attempt = Assert.Single(await temp.Store.GetAttemptsAsync(job.Id, default));

        Assert.Equal(JobStatus.Retrying, attempt.Status);
        Assert.NotNull(attempt.CompletedAt);
        Assert.Null(attempt.ExitCode);
        Assert.Contains("127.0.0.1:1/nothing/here:1", attempt.ErrorMessage);
    }

    [Fact]
    public async Task CancelRetryingJob_KeepsTheEndedAttempt()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 75"], MaxAttempts = 2, RetryExitCodes = [75] },
            default);
        await RunOnceAsync(temp.Store, new ProcessorOptions { WaitForJobs = true, RetryBaseDelay = TimeSpan.FromMinutes(10) });

        var cancelled = await new JobControl(temp.Store, _ => executor).CancelAsync(job.Id, TimeSpan.Zero, default);
        var attempt = Assert.Single(await temp.Store.GetAttemptsAsync(job.Id, default));

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(JobStatus.Retrying, attempt.Status);
        Assert.Equal(75, attempt.ExitCode);
        Assert.Contains("code 75", attempt.ErrorMessage);
    }

    [Fact]
    public async Task CancelRestartedJob_KeepsTheEndedAttempt()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var control = new JobControl(temp.Store, _ => executor);
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 1"] }, default);
        await RunOnceAsync(temp.Store, Fast);
        var ended = Assert.Single(await temp.Store.GetAttemptsAsync(job.Id, default));

        await control.RestartAsync(job.Id, default);
        await control.CancelAsync(job.Id, TimeSpan.Zero, default);
        var attempt = Assert.Single(await temp.Store.GetAttemptsAsync(job.Id, default));

        Assert.Equal(JobStatus.Failed, attempt.Status);
        Assert.Equal(1, attempt.ExitCode);
        Assert.Equal(ended.CompletedAt, attempt.CompletedAt);
        Assert.Equal(ended.ErrorMessage, attempt.ErrorMessage);
    }

    [Fact]
    public async Task TransientPullFailure_RetriesWithBackOffAndExplainsWait()
    {
        using var temp = new TempStore();
        // Nothing listens on port 1, so the pull fails to connect: a transient failure.
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "127.0.0.1:1/nothing/here:1", MaxAttempts = 3 }, default);
        var options = new ProcessorOptions { WaitForJobs = true, RetryBaseDelay = TimeSpan.FromMinutes(10) };

        var summary = await RunOnceAsync(temp.Store, options);
        var retrying = (await temp.Store.GetJobAsync(job.Id, default))!;
        var explained = (await QueueDiagnosis.ExplainAsync(temp.Store, [retrying], default))[0];

        Assert.Equal(1, summary.Retried);
        Assert.Equal(JobStatus.Retrying, retrying.Status);
        Assert.True(retrying.DueAt > DateTimeOffset.UtcNow.AddMinutes(9));
        Assert.Contains("127.0.0.1:1/nothing/here:1", retrying.ErrorMessage);
        Assert.Contains("back-off", explained.WaitReason);
        Assert.Contains("attempt 2 of 3", explained.WaitReason);
    }

    [Fact]
    public async Task LaunchingJobOfDeadProcessor_IsRelaunchedAsSameAttempt()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "echo adopted"] }, default);
        // A processor claimed the job and died before creating the container; its lease
        // has already lapsed.
        await temp.Store.ClaimDueJobsAsync("dead-processor", 1, null, TimeSpan.FromMilliseconds(-1), default);

        var summary = await RunOnceAsync(temp.Store, Fast);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);
        var events = await temp.Store.GetEventsAsync(job.Id, default);

        Assert.Equal(1, summary.Completed);
        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal(1, done.Attempt);
        Assert.Equal("adopted\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
        Assert.Contains(events, e => e.Kind == "Adopted");
    }

    [Fact]
    public async Task RunningJobOfDeadProcessor_IsHarvestedByNextProcessor()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "sleep 1; exit 5"] }, default);
        await RunOnceAsync(temp.Store, new ProcessorOptions { LeaseDuration = TimeSpan.FromMilliseconds(200) });
        var running = await temp.Store.GetJobAsync(job.Id, default);

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await RunOnceAsync(temp.Store, Fast);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Running, running!.Status);
        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(5, done.ExitCode);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task CancelRunningJob_EndsCancelledAndKeepsOutput()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "echo before-cancel; sleep 600"] }, default);
        await RunOnceAsync(temp.Store, new ProcessorOptions());
        await Task.Delay(300);

        var cancelled = await new JobControl(temp.Store, _ => executor).CancelAsync(job.Id, TimeSpan.FromSeconds(1), default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal("before-cancel\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
        Assert.Null(await executor.InspectAsync(cancelled.ContainerId!, default));
    }

    [Fact]
    public async Task Cancel_EngineClockAhead_EndsNoEarlierThanStart()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);
        await temp.Store.ClaimDueJobsAsync("clock-test", 1, null, TimeSpan.FromMinutes(5), default);

        // The engine's clock dated the start a minute ahead of this machine's clock.
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(1);
        await temp.Store.TryTransitionAsync(job.Id, JobStatus.Launching, JobStatus.Running,
            new JobChanges { StartedAt = startedAt }, default);
        var cancelled = await new JobControl(temp.Store, _ => executor).CancelAsync(job.Id, TimeSpan.Zero, default);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.CompletedAt >= cancelled.StartedAt, $"completed {cancelled.CompletedAt:o}");
        Assert.Equal(TimeSpan.Zero, cancelled.Duration);
    }

    [Fact]
    public async Task CancelCompletedJob_ThrowsInvalidJobStatusAndChangesNothing()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);
        await RunOnceAsync(temp.Store, Fast);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(
            () => new JobControl(temp.Store, _ => executor).CancelAsync(job.Id, TimeSpan.Zero, default));

        Assert.Equal("InvalidJobStatus", error.ErrorId);
        Assert.Contains($"Job {job.Id}", error.Message);
        Assert.Contains("Completed", error.Message);
        Assert.Equal(JobStatus.Completed, (await temp.Store.GetJobAsync(job.Id, default))!.Status);
    }

    [Fact]
    public async Task RestartFailedJob_RunsNewAttemptWithFullAttempts()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 1"] }, default);
        await RunOnceAsync(temp.Store, Fast);

        var restarted = await new JobControl(temp.Store, _ => executor).RestartAsync(job.Id, default);
        await RunOnceAsync(temp.Store, Fast);
        var attempts = await temp.Store.GetAttemptsAsync(job.Id, default);

        Assert.Equal(JobStatus.Pending, restarted.Status);
        Assert.Null(restarted.ExitCode);
        Assert.True(restarted.HasAttemptsLeft);
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal(JobStatus.Failed, a.Status));
    }

    [Fact]
    public async Task ContinuousProcessor_DrainsRunningJobBeforeStopping()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var options = new ProcessorOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            DrainTimeout = TimeSpan.FromSeconds(30),
        };
        var processor = new JobProcessor(temp.Store, executor, options);
        using var stop = new CancellationTokenSource();
        var run = processor.RunContinuousAsync(stop.Token);
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "sleep 2; echo drained"] }, default);
        await WaitForStatusAsync(temp.Store, job.Id, JobStatus.Running);

        await stop.CancelAsync();
        var summary = await run;
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal(1, summary.Completed);
        Assert.Null(done.LeaseOwner);
    }

    [Fact]
    public async Task ContinuousProcessor_PastDrainTimeout_HandsJobOver()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var options = new ProcessorOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            DrainTimeout = TimeSpan.FromMilliseconds(200),
        };
        var processor = new JobProcessor(temp.Store, executor, options);
        using var stop = new CancellationTokenSource();
        var run = processor.RunContinuousAsync(stop.Token);
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "sleep 2; echo second"] }, default);
        await WaitForStatusAsync(temp.Store, job.Id, JobStatus.Running);

        await stop.CancelAsync();
        await run;
        var handedOver = await temp.Store.GetJobAsync(job.Id, default);
        await RunOnceAsync(temp.Store, Fast);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Running, handedOver!.Status);
        Assert.True(handedOver.LeaseExpiresAt <= DateTimeOffset.UtcNow);
        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task ContinuousProcessor_JobQueuedElsewhere_StartsBeforePoll()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        // Far longer than the test may take, so only the store watch can start the job.
        var options = new ProcessorOptions { PollInterval = TimeSpan.FromMinutes(10) };
        var processor = new JobProcessor(temp.Store, executor, options);
        using var stop = new CancellationTokenSource();
        var run = processor.RunContinuousAsync(stop.Token);
        await WaitForProcessorAsync(temp.Store);
        // Lets the first pass, which follows the heartbeat, end before the job exists.
        await Task.Delay(500);
        // Another store object on the same file plays New-ContainerJob in another shell.
        var other = SqliteJobStore.Open(temp.Path);

        var job = await other.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);
        await WaitForStatusAsync(temp.Store, job.Id, JobStatus.Completed);
        await stop.CancelAsync();
        var summary = await run;

        Assert.Equal(1, summary.Completed);
    }

    [Fact]
    public async Task ContinuousProcessor_FreedSlot_StartsNextJob()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var jobs = new List<ContainerJob>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await temp.Store.CreateJobAsync(
                new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "sleep 0.2"] }, default));
        }

        var options = new ProcessorOptions { PollInterval = TimeSpan.FromMinutes(10), MaxConcurrentJobs = 1 };
        var processor = new JobProcessor(temp.Store, executor, options);
        using var stop = new CancellationTokenSource();
        var run = processor.RunContinuousAsync(stop.Token);

        foreach (var job in jobs)
        {
            await WaitForStatusAsync(temp.Store, job.Id, JobStatus.Completed);
        }

        await stop.CancelAsync();
        var summary = await run;

        Assert.Equal(3, summary.Completed);
    }

    private static async Task WaitForProcessorAsync(IJobStore store)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.ListProcessorsAsync(default)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the processor did not start within 30 s");
            await Task.Delay(50);
        }
    }

    private static async Task WaitForStatusAsync(IJobStore store, long id, JobStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.GetJobAsync(id, default))!.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not reach {status} within 30 s");
            await Task.Delay(50);
        }
    }

    private static async Task<ProcessorRunSummary> RunOnceAsync(IJobStore store, ProcessorOptions options)
    {
        using var executor = TestEngine.CreateExecutor();
        return await new JobProcessor(store, executor, options).RunOnceAsync(default);
    }
}
