using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Tests.Storage;

public class SqliteJobStoreTests
{
    [Fact]
    public async Task CreateJob_StoresEveryField()
    {
        using var temp = new TempStore();
        var spec = new JobSpec
        {
            Name = "nightly",
            Image = "registry.example:5000/team/tool:1.2",
            Command = ["sh", "-c", "echo 'a b'"],
            Environment = new Dictionary<string, string> { ["MODE"] = "fast" },
            MemoryMiB = 64,
            Cpus = 0.5,
            TimeoutSeconds = 30,
            Priority = 7,
            MaxAttempts = 3,
        };

        var created = await temp.Store.CreateJobAsync(spec, default);
        var job = await temp.Store.GetJobAsync(created.Id, default);

        Assert.NotNull(job);
        Assert.Equal("nightly", job.Name);
        Assert.Equal(spec.Image, job.Image);
        Assert.Equal(["sh", "-c", "echo 'a b'"], job.Command);
        Assert.Equal("fast", job.Environment["MODE"]);
        Assert.Equal(64, job.MemoryMiB);
        Assert.Equal(0.5, job.Cpus);
        Assert.Equal(30, job.TimeoutSeconds);
        Assert.Equal(7, job.Priority);
        Assert.Equal(3, job.MaxAttempts);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(Environment.UserName, job.CreatedBy);
    }

    [Fact]
    public async Task CreateJob_WithoutName_UsesImageName()
    {
        using var temp = new TempStore();

        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "localhost:5000/team/tool:1" }, default);

        Assert.Equal("tool", job.Name);
    }

    [Fact]
    public async Task CreateJob_InvalidSpec_ThrowsAndStoresNothing()
    {
        using var temp = new TempStore();

        var error = await Assert.ThrowsAsync<ContainerManagerException>(
            () => temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", MemoryMiB = 0 }, default));

        Assert.Equal("InvalidMemoryLimit", error.ErrorId);
        Assert.Empty(await temp.Store.ListJobsAsync(new JobQuery(), default));
    }

    [Fact]
    public async Task ListJobs_FiltersByStatusAndWildcardName()
    {
        using var temp = new TempStore();
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Name = "backup-db" }, default);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Name = "backup_files" }, default);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Name = "report" }, default);

        var backups = await temp.Store.ListJobsAsync(new JobQuery { NamePattern = "BACKUP*" }, default);
        var underscore = await temp.Store.ListJobsAsync(new JobQuery { NamePattern = "backup_*" }, default);
        var single = await temp.Store.ListJobsAsync(new JobQuery { NamePattern = "repor?" }, default);
        var failed = await temp.Store.ListJobsAsync(new JobQuery { Statuses = [JobStatus.Failed] }, default);

        Assert.Equal(["backup_files", "backup-db"], backups.Select(j => j.Name));
        Assert.Equal(["backup_files"], underscore.Select(j => j.Name));
        Assert.Equal(["report"], single.Select(j => j.Name));
        Assert.Empty(failed);
    }

    [Fact]
    public async Task ClaimDueJobs_OrdersByPriorityThenDueTimeThenId()
    {
        using var temp = new TempStore();
        var now = DateTimeOffset.UtcNow;
        var low = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Priority = 0 }, default);
        var high = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Priority = 5 }, default);
        var older = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", Priority = 0, DueAt = now.AddMinutes(-5) }, default);
        var future = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", Priority = 9, DueAt = now.AddHours(1) }, default);

        var claimed = await temp.Store.ClaimDueJobsAsync("p1", 10, null, TimeSpan.FromMinutes(1), default);

        Assert.Equal([high.Id, older.Id, low.Id], claimed.Select(j => j.Id));
        Assert.All(claimed, j => Assert.Equal(JobStatus.Launching, j.Status));
        Assert.All(claimed, j => Assert.Equal(1, j.Attempt));
        Assert.All(claimed, j => Assert.Equal("p1", j.LeaseOwner));
        Assert.Equal(JobStatus.Pending, (await temp.Store.GetJobAsync(future.Id, default))!.Status);
    }

    [Fact]
    public async Task ClaimedJobIsNotClaimedTwice()
    {
        using var temp = new TempStore();
        for (var i = 0; i < 50; i++)
        {
            await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        }

        // Eight claimers on separate connections race for the same rows.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => temp.Store.ClaimDueJobsAsync($"p{i}", 10, null, TimeSpan.FromMinutes(1), default))));
        var ids = claims.SelectMany(c => c).Select(j => j.Id).ToList();

        Assert.Equal(50, ids.Count);
        Assert.Equal(50, ids.Distinct().Count());
    }

    [Fact]
    public async Task ClaimDueJobs_WithActiveLimit_NeverExceedsLimitUnderRace()
    {
        using var temp = new TempStore();
        for (var i = 0; i < 40; i++)
        {
            await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(
            () => temp.Store.ClaimDueJobsAsync($"p{i}", 5, 7, TimeSpan.FromMinutes(1), default))));
        var active = await temp.Store.CountJobsAsync([JobStatus.Launching, JobStatus.Running], default);

        Assert.Equal(7, claims.Sum(c => c.Count));
        Assert.Equal(7, active);
    }

    [Fact]
    public async Task TakeOverExpiredLeases_ReturnsOnlyLapsedJobsOnce()
    {
        using var temp = new TempStore();
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        var lapsed = (await temp.Store.ClaimDueJobsAsync("dead", 1, null, TimeSpan.FromMilliseconds(-1), default)).Single();
        var live = (await temp.Store.ClaimDueJobsAsync("alive", 1, null, TimeSpan.FromMinutes(5), default)).Single();

        var first = await temp.Store.TakeOverExpiredLeasesAsync("new", TimeSpan.FromMinutes(5), default);
        var second = await temp.Store.TakeOverExpiredLeasesAsync("other", TimeSpan.FromMinutes(5), default);
        var events = await temp.Store.GetEventsAsync(lapsed.Id, default);

        Assert.Equal([lapsed.Id], first.Select(j => j.Id));
        Assert.Equal("new", first[0].LeaseOwner);
        Assert.Equal(1, first[0].Attempt);
        Assert.Empty(second);
        Assert.Equal("alive", (await temp.Store.GetJobAsync(live.Id, default))!.LeaseOwner);
        Assert.Contains(events, e => e.Kind == "Adopted" && e.Message.Contains("dead"));
    }

    [Fact]
    public async Task UpdateQueuedJob_ChangesPendingJobButNotRunningOne()
    {
        using var temp = new TempStore();
        var pending = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Priority = 1 }, default);
        var claimed = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", Priority = 5 }, default);
        await temp.Store.ClaimDueJobsAsync("p", 1, null, TimeSpan.FromMinutes(1), default);

        var changed = await temp.Store.UpdateQueuedJobAsync(pending.Id, new JobUpdate { Image = "alpine:3" }, default);
        var untouched = await temp.Store.UpdateQueuedJobAsync(claimed.Id, new JobUpdate { Image = "alpine:3" }, default);

        Assert.Equal("alpine:3", changed!.Image);
        Assert.Equal(1, changed.Priority);
        Assert.Equal("busybox", untouched!.Image);
    }

    [Fact]
    public async Task UpdateQueuedJob_InvalidValue_ThrowsAndChangesNothing()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(
            () => temp.Store.UpdateQueuedJobAsync(job.Id, new JobUpdate { Image = "Bad Image" }, default));

        Assert.Equal("InvalidImage", error.ErrorId);
        Assert.Equal("busybox", (await temp.Store.GetJobAsync(job.Id, default))!.Image);
    }

    [Fact]
    public async Task Transitions_RecordOneAttemptRowPerAttempt()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        await temp.Store.ClaimDueJobsAsync("p", 1, null, TimeSpan.FromMinutes(1), default);
        await temp.Store.TryTransitionAsync(job.Id, JobStatus.Launching, JobStatus.Running,
            new JobChanges { ContainerId = "c1", HostName = "h1" }, default);
        await temp.Store.TryTransitionAsync(job.Id, JobStatus.Running, JobStatus.Failed,
            new JobChanges { ExitCode = 2, ClearLease = true }, default);
        await temp.Store.TryTransitionAsync(job.Id, JobStatus.Failed, JobStatus.Pending,
            new JobChanges { AttemptBase = 1, ClearOutcome = true }, default);
        await temp.Store.ClaimDueJobsAsync("q", 1, null, TimeSpan.FromMinutes(1), default);

        var attempts = await temp.Store.GetAttemptsAsync(job.Id, default);

        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal(JobStatus.Failed, attempts[0].Status);
        Assert.Equal(2, attempts[0].ExitCode);
        Assert.Equal("c1", attempts[0].ContainerId);
        Assert.Equal("p", attempts[0].ProcessorId);
        Assert.Equal(JobStatus.Launching, attempts[1].Status);
        Assert.Equal("q", attempts[1].ProcessorId);
    }

    [Fact]
    public async Task Open_StoreWithNewerSchema_ThrowsStoreSchemaTooNew()
    {
        using var temp = new TempStore();
        using (var connection = new SqliteConnection($"Data Source={temp.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var error = Assert.Throws<ContainerManagerException>(() => SqliteJobStore.Open(temp.Path));

        Assert.Equal("StoreSchemaTooNew", error.ErrorId);
        Assert.Contains("999", error.Message);
    }

    [Fact]
    public async Task Open_Version4Store_AddsLastError()
    {
        using var temp = new TempStore();
        await temp.Store.RecordHeartbeatAsync(
            new ProcessorInfo { Id = "old", Machine = "m", Mode = "SingleRun" }, stopped: true, default);
        using (var connection = new SqliteConnection($"Data Source={temp.Path}"))
        {
            // Turns the store back into what version 4 of the schema wrote.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE processors DROP COLUMN last_error; DELETE FROM schema_version WHERE version = 5";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var reopened = SqliteJobStore.Open(temp.Path);
        await reopened.RecordHeartbeatAsync(
            new ProcessorInfo { Id = "new", Machine = "m", Mode = "SingleRun", LastError = "no engine" }, stopped: true, default);
        var processors = await reopened.ListProcessorsAsync(default);

        Assert.Equal(["new", "old"], processors.Select(p => p.Id));
        Assert.Equal("no engine", processors[0].LastError);
        Assert.Null(processors[1].LastError);
    }

    [Fact]
    public void Open_NewStore_IsReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempStore();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Path));
    }

    [Fact]
    public void Open_PathInUnwritableLocation_ThrowsStoreUnavailable()
    {
        using var temp = new TempStore();
        var blocker = Path.Combine(temp.Folder, "file");
        File.WriteAllText(blocker, "not a folder");

        var error = Assert.Throws<StoreException>(
            () => SqliteJobStore.Open(Path.Combine(blocker, "jobs.db")));

        Assert.Equal("StoreUnavailable", error.ErrorId);
        Assert.Contains(blocker, error.Message);
    }

    [Fact]
    public void Open_FileThatIsNoStore_ThrowsStoreUnavailable()
    {
        using var temp = new TempStore();
        var path = Path.Combine(temp.Folder, "notes.db");
        File.WriteAllText(path, new string('x', 4096));

        var error = Assert.Throws<StoreException>(() => SqliteJobStore.Open(path));

        Assert.Equal("StoreUnavailable", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task ToStoreException_LockedPastBusyTimeout_ReturnsStoreBusy()
    {
        using var temp = new TempStore();
        var store = SqliteJobStore.Open(temp.Path, busyTimeoutSeconds: 1);
        await using var writer = new SqliteConnection($"Data Source={temp.Path};Pooling=False");
        await writer.OpenAsync();
        // BEGIN IMMEDIATE takes the write lock until the transaction ends.
        await using var transaction = await writer.BeginTransactionAsync();

        var failure = await Assert.ThrowsAsync<SqliteException>(
            () => store.CreateJobAsync(new JobSpec { Image = "busybox" }, default));
        var error = store.ToStoreException(failure);
        await transaction.RollbackAsync();

        Assert.NotNull(error);
        Assert.Equal("StoreBusy", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Equal(temp.Path, error.TargetObject);
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("1 s", error.Message);
        Assert.Empty(await store.ListJobsAsync(new JobQuery(), default));
    }

    [Fact]
    public async Task ToStoreException_WriteToReadOnlyDatabase_ReturnsStoreReadOnly()
    {
        using var temp = new TempStore();
        await using var readOnly = new SqliteConnection($"Data Source={temp.Path};Mode=ReadOnly;Pooling=False");
        await readOnly.OpenAsync();
        using var insert = readOnly.CreateCommand();
        insert.CommandText = "INSERT INTO store_info (key, value) VALUES ('probe', 'x')";

        var failure = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());
        var error = temp.Store.ToStoreException(failure);

        Assert.NotNull(error);
        Assert.Equal("StoreReadOnly", error.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Equal(temp.Path, error.TargetObject);
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("writable", error.Message);
    }

    [Fact]
    public void ToStoreException_OtherException_ReturnsNull()
    {
        using var temp = new TempStore();

        Assert.Null(temp.Store.ToStoreException(new InvalidOperationException("not a store failure")));
    }

    [Fact]
    public async Task SaveLogs_ThenGetLogs_ReturnsLatestAttemptByDefault()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        await temp.Store.SaveLogsAsync(
            [new JobLog(job.Id, 1, LogStream.Stdout, "first", 5, 0)], default);
        await temp.Store.SaveLogsAsync(
            [
                new JobLog(job.Id, 2, LogStream.Stdout, "second out", 10, 0),
                new JobLog(job.Id, 2, LogStream.Stderr, "second err", 10, 0),
            ],
            default);

        var latest = await temp.Store.GetLogsAsync(job.Id, null, default);
        var first = await temp.Store.GetLogsAsync(job.Id, 1, default);

        Assert.Equal(["second out", "second err"], latest.Select(l => l.Text));
        Assert.Equal(["first"], first.Select(l => l.Text));
    }

    [Fact]
    public async Task CreateJob_RecordsCreatedEvent()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);

        var events = await temp.Store.GetEventsAsync(job.Id, default);

        var created = Assert.Single(events);
        Assert.Equal("Created", created.Kind);
        Assert.Contains(Environment.UserName, created.Message);
    }

    [Fact]
    public async Task ContainerOptions_RoundTripThroughCreateAndUpdate()
    {
        using var temp = new TempStore();
        var created = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = "busybox",
                WorkingDirectory = "/work",
                User = "1000",
                Network = "none",
                Labels = new Dictionary<string, string> { ["team"] = "data" },
                Volumes = ["cache:/cache"],
                BindMounts = ["/srv:/srv:ro"],
                Privileged = true,
            },
            default);

        var updated = await temp.Store.UpdateQueuedJobAsync(
            created.Id, new JobUpdate { User = "2000:2000", Volumes = [], Privileged = false }, default);

        Assert.Equal("/work", created.WorkingDirectory);
        Assert.Equal("1000", created.User);
        Assert.Equal("none", created.Network);
        Assert.Equal("data", created.Labels["team"]);
        Assert.Equal(["cache:/cache"], created.Volumes);
        Assert.Equal(["/srv:/srv:ro"], created.BindMounts);
        Assert.True(created.Privileged);
        Assert.Equal("2000:2000", updated!.User);
        Assert.Equal("/work", updated.WorkingDirectory);
        Assert.Empty(updated.Volumes);
        Assert.Equal(["/srv:/srv:ro"], updated.BindMounts);
        Assert.False(updated.Privileged);
    }

    [Fact]
    public async Task UpdateQueuedJob_InvalidVolume_ChangesNothing()
    {
        using var temp = new TempStore();
        var created = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", Volumes = ["cache:/cache"] }, default);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            temp.Store.UpdateQueuedJobAsync(created.Id, new JobUpdate { Volumes = ["cache"] }, default));
        var stored = await temp.Store.GetJobAsync(created.Id, default);

        Assert.Equal("InvalidVolume", error.ErrorId);
        Assert.Equal(["cache:/cache"], stored!.Volumes);
    }

    [Fact]
    public async Task UpdateQueuedJob_KeepsSecretInCommandUnmasked()
    {
        using var temp = new TempStore();
        var created = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = "busybox",
                Command = ["echo", "s3cret-value"],
                Environment = new Dictionary<string, string> { ["API_TOKEN"] = "s3cret-value" },
            },
            default);

        await temp.Store.UpdateQueuedJobAsync(created.Id, new JobUpdate { Priority = 5 }, default);
        var stored = await temp.Store.GetJobAsync(created.Id, default);

        Assert.Equal(["echo", "s3cret-value"], stored!.CommandValues);
        Assert.DoesNotContain("s3cret-value", stored.Command);
    }
}
