using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Tests.Storage;

public class SqliteExecutorHostStoreTests
{
    [Fact]
    public async Task Add_ThenGet_RoundTripsEverySetting()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        var host = TestHosts.TlsHost("build-01");
        host.TlsVerify = false;
        host.Enabled = false;
        host.MaxConcurrentJobs = 9;
        host.Weight = 0;
        host.Labels = new Dictionary<string, string> { ["gpu"] = "true", ["zone"] = "eu-1" };
        host.PullPolicy = PullPolicy.Never;
        host.DefaultMemoryMiB = 256;
        host.DefaultCpus = 1.5;
        host.AllowPrivileged = true;
        host.AllowBindMounts = true;

        var added = await hosts.AddHostAsync(host, default);
        var read = await hosts.GetHostAsync("BUILD-01", default);

        Assert.NotNull(read);
        Assert.Equal("build-01", read.Name);
        Assert.Equal(ExecutorHostType.Docker, read.Type);
        Assert.Equal(TestHosts.TlsEndpoint, read.Endpoint);
        Assert.Equal(TestHosts.TlsCa, read.TlsCaPath);
        Assert.Equal(TestHosts.TlsCert, read.TlsCertPath);
        Assert.Equal(TestHosts.TlsKey, read.TlsKeyPath);
        Assert.False(read.TlsVerify);
        Assert.False(read.Enabled);
        Assert.Equal(9, read.MaxConcurrentJobs);
        Assert.Equal(0, read.Weight);
        Assert.Equal("eu-1", read.Labels["ZONE"]);
        Assert.Equal("true", read.Labels["gpu"]);
        Assert.Equal(PullPolicy.Never, read.PullPolicy);
        Assert.Equal(256, read.DefaultMemoryMiB);
        Assert.Equal(1.5, read.DefaultCpus);
        Assert.True(read.AllowPrivileged);
        Assert.True(read.AllowBindMounts);
        Assert.Null(read.LastHealth);
        Assert.False(read.IsImplicit);
        Assert.Equal(added.CreatedAt, read.CreatedAt);
        Assert.InRange(read.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Add_DefaultSettings_AreStored()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);

        await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/docker.sock" }, default);
        var read = await hosts.GetHostAsync("a", default);

        Assert.True(read!.Enabled);
        Assert.True(read.TlsVerify);
        Assert.False(read.TlsEnabled);
        Assert.Equal(ExecutorHost.DefaultMaxConcurrentJobs, read.MaxConcurrentJobs);
        Assert.Equal(1, read.Weight);
        Assert.Empty(read.Labels);
        Assert.Equal(PullPolicy.IfNotPresent, read.PullPolicy);
        Assert.Null(read.DefaultMemoryMiB);
        Assert.Null(read.DefaultCpus);
        Assert.False(read.AllowPrivileged);
        Assert.False(read.AllowBindMounts);
    }

    [Fact]
    public async Task Add_NameInOtherCase_ThrowsHostAlreadyExists()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        await hosts.AddHostAsync(new ExecutorHost { Name = "Build", Endpoint = "unix:///run/a.sock" }, default);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            hosts.AddHostAsync(new ExecutorHost { Name = "build", Endpoint = "unix:///run/b.sock" }, default));
        var stored = await hosts.ListHostsAsync(default);

        Assert.Equal("HostAlreadyExists", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Kind);
        Assert.Contains("'build'", error.Message);
        Assert.Single(stored);
        Assert.Equal("unix:///run/a.sock", stored[0].Endpoint);
    }

    [Fact]
    public async Task Add_InvalidHost_StoresNothing()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "tcp://nowhere" }, default));

        Assert.Equal("InvalidEndpoint", error.ErrorId);
        Assert.Empty(await hosts.ListHostsAsync(default));
    }

    [Fact]
    public async Task List_OrdersByName()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        foreach (var name in new[] { "c", "a", "b" })
        {
            await hosts.AddHostAsync(new ExecutorHost { Name = name, Endpoint = "unix:///run/docker.sock" }, default);
        }

        var names = (await hosts.ListHostsAsync(default)).Select(h => h.Name);

        Assert.Equal(["a", "b", "c"], names);
    }

    [Fact]
    public async Task Update_ChangesSettingsAndKeepsHealth()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        var host = await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);
        await hosts.SaveHealthAsync("a", new HostHealth { Ok = true, CheckedAt = DateTimeOffset.UtcNow, EngineVersion = "20.10" }, default);
        host.Endpoint = "unix:///run/b.sock";
        host.Weight = 5;
        host.Enabled = false;

        var updated = await hosts.UpdateHostAsync(host, default);

        Assert.Equal("unix:///run/b.sock", updated.Endpoint);
        Assert.Equal(5, updated.Weight);
        Assert.False(updated.Enabled);
        Assert.Equal("20.10", updated.LastHealth!.EngineVersion);
        Assert.True(updated.UpdatedAt >= updated.CreatedAt);
    }

    [Fact]
    public async Task Update_UnknownHost_ThrowsHostNotFound()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            hosts.UpdateHostAsync(new ExecutorHost { Name = "ghost", Endpoint = "unix:///run/docker.sock" }, default));

        Assert.Equal("HostNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("'ghost'", error.Message);
        Assert.Contains("Get-ExecutorHost", error.Message);
    }

    [Fact]
    public async Task Update_InvalidSetting_KeepsStoredHost()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        var host = await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);
        host.MaxConcurrentJobs = -2;

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() => hosts.UpdateHostAsync(host, default));
        var stored = await hosts.GetHostAsync("a", default);

        Assert.Equal("InvalidMaxConcurrentJobs", error.ErrorId);
        Assert.Equal(ExecutorHost.DefaultMaxConcurrentJobs, stored!.MaxConcurrentJobs);
    }

    [Fact]
    public async Task SetEnabled_SkipsValidationOfOtherSettings()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        var ca = Path.Combine(temp.Folder, "ca.pem");
        File.Copy(TestHosts.TlsCa, ca);
        var host = TestHosts.TlsHost("a");
        host.TlsCaPath = ca;
        await hosts.AddHostAsync(host, default);
        File.Delete(ca);

        var disabled = await hosts.SetEnabledAsync("A", false, default);
        var missing = await hosts.SetEnabledAsync("ghost", false, default);

        Assert.False(disabled!.Enabled);
        Assert.False((await hosts.GetHostAsync("a", default))!.Enabled);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Remove_ReturnsWhetherHostExisted()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);

        Assert.True(await hosts.RemoveHostAsync("A", default));
        Assert.False(await hosts.RemoveHostAsync("a", default));
        Assert.Null(await hosts.GetHostAsync("a", default));
    }

    [Fact]
    public async Task SaveHealth_RoundTripsEveryField()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);
        var checkedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var health = new HostHealth
        {
            Ok = true,
            CheckedAt = checkedAt,
            EngineVersion = "20.10.24",
            ApiVersion = "1.41",
            OperatingSystem = "linux",
            Architecture = "x86_64",
            Cpus = 2,
            MemoryBytes = 25_000_000_000,
            RunningContainers = 3,
            ResponseTimeMs = 12,
        };

        Assert.True(await hosts.SaveHealthAsync("a", health, default));
        var read = (await hosts.GetHostAsync("a", default))!.LastHealth!;

        Assert.Equal("a", read.HostName);
        Assert.Equal("unix:///run/a.sock", read.Endpoint);
        Assert.Equal(checkedAt, read.CheckedAt);
        Assert.True(read.Ok);
        Assert.Null(read.Message);
        Assert.Equal("20.10.24", read.EngineVersion);
        Assert.Equal("1.41", read.ApiVersion);
        Assert.Equal("linux", read.OperatingSystem);
        Assert.Equal("x86_64", read.Architecture);
        Assert.Equal(2, read.Cpus);
        Assert.Equal(25_000_000_000, read.MemoryBytes);
        Assert.Equal(3, read.RunningContainers);
        Assert.Equal(12, read.ResponseTimeMs);
    }

    [Fact]
    public async Task SaveHealth_Failure_KeepsMessage()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);

        await hosts.SaveHealthAsync("a", HostHealth.Failed("a", "unix:///run/a.sock", "socket missing", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(3)), default);
        var read = (await hosts.GetHostAsync("a", default))!.LastHealth!;

        Assert.False(read.Ok);
        Assert.Equal("socket missing", read.Message);
        Assert.Null(read.EngineVersion);
        Assert.Equal(3, read.ResponseTimeMs);
    }

    [Fact]
    public async Task SaveHealth_UnknownHost_ReturnsFalse()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);

        Assert.False(await hosts.SaveHealthAsync("ghost", new HostHealth { Ok = true }, default));
    }

    [Fact]
    public async Task CountActiveJobs_CountsLaunchingAndRunningPerHost()
    {
        using var temp = new TempStore();
        var hosts = new SqliteExecutorHostStore(temp.Store);
        for (var i = 0; i < 4; i++)
        {
            await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        }

        var claimed = await temp.Store.ClaimDueJobsAsync("test", 3, null, TimeSpan.FromMinutes(1), default);
        await MoveToRunningAsync(temp.Store, claimed[0].Id, "Dock-A");
        await MoveToRunningAsync(temp.Store, claimed[1].Id, "dock-a");
        await MoveToRunningAsync(temp.Store, claimed[2].Id, "dock-b");
        await temp.Store.TryTransitionAsync(claimed[2].Id, JobStatus.Running, JobStatus.Completed,
            new JobChanges { ExitCode = 0, CompletedAt = DateTimeOffset.UtcNow }, default);

        var counts = await hosts.CountActiveJobsAsync(default);

        Assert.Equal(2, counts["DOCK-A"]);
        Assert.False(counts.ContainsKey("dock-b"));
        Assert.Single(counts);
    }

    [Fact]
    public async Task OpeningVersion1Store_AddsHostTablesAndKeepsJobs()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        using (var connection = new SqliteConnection($"Data Source={temp.Path}"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = """
                DROP TABLE environment_templates;
                DROP TABLE executor_hosts;
                DROP TABLE registry_credentials;
                ALTER TABLE jobs DROP COLUMN working_directory;
                ALTER TABLE jobs DROP COLUMN container_user;
                ALTER TABLE jobs DROP COLUMN network;
                ALTER TABLE jobs DROP COLUMN labels;
                ALTER TABLE jobs DROP COLUMN volumes;
                ALTER TABLE jobs DROP COLUMN bind_mounts;
                ALTER TABLE jobs DROP COLUMN privileged;
                ALTER TABLE processors DROP COLUMN last_error;
                DELETE FROM schema_version WHERE version > 1;
                """;
            downgrade.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var reopened = SqliteJobStore.Open(temp.Path);
        var hosts = new SqliteExecutorHostStore(reopened);
        await hosts.AddHostAsync(new ExecutorHost { Name = "a", Endpoint = "unix:///run/a.sock" }, default);

        Assert.NotNull(await reopened.GetJobAsync(job.Id, default));
        Assert.Single(await hosts.ListHostsAsync(default));
        Assert.Single(Directory.GetFiles(temp.Folder, "jobs.db.v1-*.bak"));
    }

    private static async Task MoveToRunningAsync(SqliteJobStore store, long id, string hostName)
    {
        var changes = new JobChanges { HostName = hostName, ContainerId = $"c{id}", StartedAt = DateTimeOffset.UtcNow };
        Assert.True(await store.TryTransitionAsync(id, JobStatus.Launching, JobStatus.Running, changes, default));
    }
}
