using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
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

        var claimed = await temp.Store.ClaimDueJobsAsync("p1", 10, TimeSpan.FromMinutes(1), default);

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
            () => temp.Store.ClaimDueJobsAsync($"p{i}", 10, TimeSpan.FromMinutes(1), default))));
        var ids = claims.SelectMany(c => c).Select(j => j.Id).ToList();

        Assert.Equal(50, ids.Count);
        Assert.Equal(50, ids.Distinct().Count());
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

        var error = Assert.Throws<ContainerManagerException>(
            () => SqliteJobStore.Open(Path.Combine(blocker, "jobs.db")));

        Assert.Equal("StoreUnavailable", error.ErrorId);
        Assert.Contains(blocker, error.Message);
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
}
