using ContainerManager.Core.Credentials;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Processing;

/// <summary>Runs jobs through the processor on the real test engine.</summary>
public class JobProcessorTests
{
    private static readonly ProcessorOptions WaitingOptions = new() { WaitForJobs = true };

    [Fact]
    public async Task NonZeroExit_FailsWithExitCodeAndSeparateStreams()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"] },
            default);

        var summary = await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(1, summary.Launched);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(3, done.ExitCode);
        Assert.False(done.OomKilled);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal("to-out\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
        Assert.Equal("to-err\n", logs.Single(l => l.Stream == LogStream.Stderr).Text);
    }

    [Fact]
    public async Task ZeroExit_CompletesAndRemovesContainer()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["true"], Cpus = 0.5 }, default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        using var executor = TestEngine.CreateExecutor();

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal(0, done.ExitCode);
        Assert.Null(await executor.InspectAsync(done.ContainerId!, default));
    }

    [Fact]
    public async Task FastJobs_HaveNoNegativeDuration()
    {
        using var temp = new TempStore();
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default)).Id);
        }

        await RunOnceAsync(temp.Store, new ProcessorOptions { WaitForJobs = true, MaxConcurrentJobs = 12 });

        foreach (var id in ids)
        {
            var done = (await temp.Store.GetJobAsync(id, default))!;
            Assert.Equal(JobStatus.Completed, done.Status);
            Assert.True(done.CompletedAt >= done.StartedAt, $"job {id} completed {done.CompletedAt:o}, started {done.StartedAt:o}");
        }
    }

    [Fact]
    public async Task MemoryLimitExceeded_Ends137WithOomFlag()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"],
                MemoryMiB = 16,
            },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(137, done.ExitCode);
        Assert.True(done.OomKilled);
        Assert.Contains("16 MiB", done.ErrorMessage);
    }

    [Fact]
    public async Task SelfKilledWithMemoryLimit_IsNotOom()
    {
        // Exit 137 under a memory limit without an OOM kill: the engine's event log, which
        // the executor reads for such exits, must not turn it into one.
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "exit 137"], MemoryMiB = 32 },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(137, done.ExitCode);
        Assert.False(done.OomKilled);
    }

    [Fact]
    public async Task ImageThatExistsNowhere_FailsNamingTheImage()
    {
        using var temp = new TempStore();
        var image = $"{TestEngine.Registry}/does-not-exist/anywhere:1";
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = image, MaxAttempts = 3 }, default);

        var summary = await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Contains(image, done.ErrorMessage);
        Assert.Equal(0, summary.Retried);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task EngineRejectsImage_FailsOnlyThatJob()
    {
        using var temp = new TempStore();

        // A sha256 digest of 32 hex digits parses here, but the engine rejects its lookup
        // with 400 Bad Request, a status that no specific case of the executor expects.
        var image = $"{TestEngine.Registry}/cmtest/rejected@sha256:{new string('0', 32)}";
        var rejected = await temp.Store.CreateJobAsync(new JobSpec { Image = image, MaxAttempts = 3 }, default);
        var other = await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);

        var summary = await RunOnceAsync(temp.Store, WaitingOptions);
        var failed = await temp.Store.GetJobAsync(rejected.Id, default);
        var completed = await temp.Store.GetJobAsync(other.Id, default);

        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Equal(1, failed.Attempt);
        Assert.Contains(image, failed.ErrorMessage);
        Assert.Null(failed.LeaseOwner);
        Assert.Equal(JobStatus.Completed, completed!.Status);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Completed);
    }

    [Fact]
    public async Task UnexpectedLaunchError_FailsOnlyThatJob()
    {
        using var temp = new TempStore();

        // The image is missing, so the launch requests a credential from the provider, which
        // throws an exception that is no ContainerManagerException.
        var missing = $"{TestEngine.Registry}/cmtest/missing-{Guid.NewGuid():N}:1";
        var broken = await temp.Store.CreateJobAsync(new JobSpec { Image = missing }, default);
        var other = await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image, Command = ["true"] }, default);
        var logger = new RecordingLogger();

        using (var executor = new DockerExecutor(
            ExecutorHost.ForEndpoint(TestEngine.Endpoint), new BrokenCredentialProvider(), null))
        {
            await new JobProcessor(temp.Store, executor, WaitingOptions, logger).RunOnceAsync(default);
        }

        var failed = await temp.Store.GetJobAsync(broken.Id, default);
        var completed = await temp.Store.GetJobAsync(other.Id, default);
        var events = await temp.Store.GetEventsAsync(broken.Id, default);

        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Contains(BrokenCredentialProvider.Reason, failed.ErrorMessage);
        Assert.Contains(events, e => e.Kind == nameof(JobStatus.Failed));
        var logged = Assert.Single(logger.Messages, m => m.Contains("could not be launched"));
        Assert.Contains(BrokenCredentialProvider.Reason, logged);
        Assert.Equal(JobStatus.Completed, completed!.Status);
    }

    [Fact]
    public async Task StartFailure_LeavesNoContainerOfTheStore()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["/no/such/binary"] }, default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        using var executor = TestEngine.CreateExecutor();
        var left = await executor.ListByLabelAsync(JobProcessor.StoreLabel, temp.Store.StoreId, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Contains("/no/such/binary", done.ErrorMessage);
        Assert.Empty(left);
    }

    [Fact]
    public async Task EngineUnreachable_ThrowsNamingEndpointAndLeavesJobPending()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = TestEngine.Image }, default);
        var socket = Path.Combine(temp.Folder, "no-engine.sock");
        using var executor = new DockerExecutor(new Uri($"unix://{socket}"));
        var processor = new JobProcessor(temp.Store, executor, WaitingOptions);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => processor.RunOnceAsync(default));
        var stored = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal("EngineUnreachable", error.ErrorId);
        Assert.Equal(FailureKind.Transient, error.FailureKind);
        Assert.Contains(socket, error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Equal(JobStatus.Pending, stored!.Status);
        Assert.Equal(0, stored.Attempt);
    }

    [Fact]
    public async Task Timeout_EndsTimedOutWithOutputSoFar()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", "echo started; sleep 600"],
                TimeoutSeconds = 5,
            },
            default);
        var options = new ProcessorOptions { WaitForJobs = true, StopGracePeriod = TimeSpan.FromSeconds(1) };

        var summary = await RunOnceAsync(temp.Store, options);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(1, summary.TimedOut);
        Assert.Equal(JobStatus.TimedOut, done!.Status);
        Assert.Contains("timeout of 5 s", done.ErrorMessage);
        Assert.Equal("started\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task LaunchSameAttemptTwice_ReusesOneContainer()
    {
        using var temp = new TempStore();
        using var executor = TestEngine.CreateExecutor();
        var request = new ContainerLaunchRequest
        {
            Name = JobProcessor.ContainerName(temp.Store.StoreId, 1, 1),
            Image = TestEngine.Image,
            Command = ["sleep", "30"],
            Labels = new Dictionary<string, string> { [JobProcessor.StoreLabel] = temp.Store.StoreId },
        };

        try
        {
            var first = await executor.LaunchAsync(request, default);
            var second = await executor.LaunchAsync(request, default);
            var listed = await executor.ListByLabelAsync(JobProcessor.StoreLabel, temp.Store.StoreId, default);

            Assert.Equal(first.ContainerId, second.ContainerId);
            Assert.Single(listed);
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    [Fact]
    public async Task SingleRunWithoutWait_LeavesJobRunningForNextRunToHarvest()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", "sleep 1; echo late"] }, default);

        await RunOnceAsync(temp.Store, new ProcessorOptions());
        var running = await temp.Store.GetJobAsync(job.Id, default);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var summary = await RunOnceAsync(temp.Store, new ProcessorOptions());
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(JobStatus.Running, running!.Status);
        Assert.Equal(1, summary.Completed);
        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal("late\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task ProcessorReference_IsResolvedAtLaunchAndNotStored()
    {
        using var temp = new TempStore();
        var variable = $"CM_UNIT_REF_{Guid.NewGuid():N}";
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", "echo \"$FROM_PROCESSOR\""],
                Environment = new Dictionary<string, string> { ["FROM_PROCESSOR"] = $"v=${{env:{variable}}}" },
            },
            default);

        Environment.SetEnvironmentVariable(variable, "resolved-value");
        try
        {
            await RunOnceAsync(temp.Store, WaitingOptions);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal("v=resolved-value\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
        Assert.Equal($"v=${{env:{variable}}}", done.Environment["FROM_PROCESSOR"]);
    }

    [Fact]
    public async Task SecretInCommand_ContainerGetsRealArgument()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", "test \"$DB_PASSWORD\" = hunter22 && echo received"],
                Environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter22" },
            },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal("received\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
        Assert.DoesNotContain("hunter22", done.Command[2]);
    }

    [Fact]
    public async Task ProcessorReferenceMissing_FailsNamingTheVariable()
    {
        using var temp = new TempStore();
        var variable = $"CM_UNIT_MISSING_{Guid.NewGuid():N}";
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["true"],
                Environment = new Dictionary<string, string> { ["DB_URL"] = $"${{env:{variable}}}" },
                MaxAttempts = 3,
            },
            default);

        var summary = await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(1, summary.Failed);
        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(1, done.Attempt);
        Assert.Null(done.ContainerId);
        Assert.Contains(variable, done.ErrorMessage);
        Assert.Contains("'DB_URL'", done.ErrorMessage);
    }

    [Fact]
    public async Task LaunchFailure_MessageHidesSecretValues()
    {
        using var temp = new TempStore();

        // The engine's reply names the image, so an image equal to a secret value shows
        // whether the processor scrubs replies before it logs and stores them.
        var image = $"{TestEngine.Registry}/no-such-secret/x{Guid.NewGuid():N}:1";
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = image,
                Environment = new Dictionary<string, string> { ["REGION"] = image },
                SecretKeys = ["REGION"],
            },
            default);
        var logger = new RecordingLogger();

        using (var executor = TestEngine.CreateExecutor())
        {
            await new JobProcessor(temp.Store, executor, WaitingOptions, logger).RunOnceAsync(default);
        }

        var done = await temp.Store.GetJobAsync(job.Id, default);
        var events = await temp.Store.GetEventsAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Contains(SecretMask.Mask, done.ErrorMessage);
        Assert.DoesNotContain(image, done.ErrorMessage);
        Assert.DoesNotContain(events, e => e.Message.Contains(image, StringComparison.Ordinal));
        var launchFailure = Assert.Single(logger.Messages, m => m.Contains("could not be launched"));
        Assert.Contains(SecretMask.Mask, launchFailure);
        Assert.DoesNotContain(image, launchFailure);
    }

    [Fact]
    public async Task WorkingDirectoryAndUser_AreSeenByTheProcess()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", "pwd; id -u; id -g"],
                WorkingDirectory = "/tmp",
                User = "1234:4321",
            },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal("/tmp\n1234\n4321\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task LabelsAndNetwork_AreSetOnTheContainer()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sleep", "30"],
                Network = "none",
                Labels = new Dictionary<string, string> { ["com.example.team"] = "data" },
            },
            default);

        await RunOnceAsync(temp.Store, new ProcessorOptions());
        var running = await temp.Store.GetJobAsync(job.Id, default);
        using var client = new Docker.DotNet.DockerClientBuilder().WithEndpoint(TestEngine.Endpoint).Build();
        var inspected = await client.Containers.InspectContainerAsync(running!.ContainerId!, default);
        await client.Containers.RemoveContainerAsync(
            running.ContainerId!, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true }, default);

        var labels = inspected.Config!.Labels!;
        Assert.Equal("data", labels["com.example.team"]);
        Assert.Equal(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), labels[JobProcessor.JobLabel]);
        Assert.Equal("none", inspected.HostConfig!.NetworkMode);
    }

    [Fact]
    public async Task NamedVolume_IsSharedBetweenJobs()
    {
        using var temp = new TempStore();
        var volume = $"cm-test-{Guid.NewGuid():N}";
        var writer = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", "echo shared > /data/note"],
                Volumes = [$"{volume}:/data"],
            },
            default);
        await RunOnceAsync(temp.Store, WaitingOptions);
        var reader = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["cat", "/in/note"], Volumes = [$"{volume}:/in:ro"] },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var logs = await temp.Store.GetLogsAsync(reader.Id, null, default);
        using var client = new Docker.DotNet.DockerClientBuilder().WithEndpoint(TestEngine.Endpoint).Build();
        await client.Volumes.RemoveAsync(volume, force: true);

        Assert.Equal(JobStatus.Completed, (await temp.Store.GetJobAsync(writer.Id, default))!.Status);
        Assert.Equal(JobStatus.Completed, (await temp.Store.GetJobAsync(reader.Id, default))!.Status);
        Assert.Equal("shared\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task BindMount_OnHostThatForbidsIt_FailsNamingTheSetting()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["true"], BindMounts = [$"{temp.Folder}:/data:ro"] },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Null(done.ContainerId);
        Assert.Contains("New-ExecutorHost -Name local", done.ErrorMessage);
        Assert.Contains("-AllowBindMounts", done.ErrorMessage);
    }

    [Fact]
    public async Task BindMount_SourceMissing_FailsNamingThePath()
    {
        using var temp = new TempStore();
        var missing = Path.Combine(temp.Folder, "no-such-folder");
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["true"], BindMounts = [$"{missing}:/data"] },
            default);
        var host = ExecutorHost.ForEndpoint(TestEngine.Endpoint);
        host.AllowBindMounts = true;
        using var executor = new DockerExecutor(host);

        await new JobProcessor(temp.Store, executor, WaitingOptions).RunOnceAsync(default);
        var done = await temp.Store.GetJobAsync(job.Id, default);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal(1, done.Attempt);
        Assert.Contains($"'{missing}'", done.ErrorMessage);
        Assert.Contains("does not exist", done.ErrorMessage);
        Assert.Contains("New-ContainerJob", done.ErrorMessage);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task BindMount_OnHostThatAllowsIt_IsMounted()
    {
        using var temp = new TempStore();
        File.WriteAllText(Path.Combine(temp.Folder, "in.txt"), "from the host");
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["cat", "/in/in.txt"], BindMounts = [$"{temp.Folder}:/in:ro"] },
            default);
        var host = ExecutorHost.ForEndpoint(TestEngine.Endpoint);
        host.AllowBindMounts = true;
        using var executor = new DockerExecutor(host);

        await new JobProcessor(temp.Store, executor, WaitingOptions).RunOnceAsync(default);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        Assert.Equal("from the host", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task SplitAndInvalidUtf8_IsStoredDecoded()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = TestEngine.Image,
                Command = ["sh", "-c", @"printf '\377\376 ok \342\202\n'; printf '\342'; sleep 0.2; printf '\202\254\n'"],
            },
            default);

        await RunOnceAsync(temp.Store, WaitingOptions);
        var logs = await temp.Store.GetLogsAsync(job.Id, null, default);

        // The json-file log driver replaces every byte of invalid UTF-8 with U+FFFD before it
        // stores a line, so the truncated sequence \342\202 arrives as two of them.
        Assert.Equal("\uFFFD\uFFFD ok \uFFFD\uFFFD\n€\n", logs.Single(l => l.Stream == LogStream.Stdout).Text);
    }

    [Fact]
    public async Task OutputOverCap_IsStoredCappedWithDroppedCount()
    {
        using var temp = new TempStore();
        const int cap = 1024 * 1024;
        const long written = 200_000_000;
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = TestEngine.Image, Command = ["sh", "-c", $"head -c {written} /dev/zero | tr '\\0' x"] },
            default);

        await RunOnceAsync(temp.Store, new ProcessorOptions { WaitForJobs = true, LogCapBytes = cap });
        var stdout = (await temp.Store.GetLogsAsync(job.Id, null, default)).Single(l => l.Stream == LogStream.Stdout);

        Assert.Equal(written, stdout.TotalBytes);
        Assert.InRange(stdout.DroppedBytes, written - cap, written - cap + 8);
        Assert.Contains("[containermanager: ", stdout.Text);
        Assert.StartsWith("xxxx", stdout.Text);
        Assert.EndsWith("xxxx", stdout.Text);
    }

    private static async Task<ProcessorRunSummary> RunOnceAsync(IJobStore store, ProcessorOptions options)
    {
        using var executor = TestEngine.CreateExecutor();
        var processor = new JobProcessor(store, executor, options);
        return await processor.RunOnceAsync(default);
    }

    // Fails the way a bug in a credential source would, with an exception that no executor classifies.
    private sealed class BrokenCredentialProvider : IRegistryCredentialProvider
    {
        public const string Reason = "the credential source is broken";

        public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Reason);
    }
}
