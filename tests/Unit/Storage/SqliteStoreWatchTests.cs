using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Storage;

[Collection(SerialCollection.Name)]
public class SqliteStoreWatchTests
{
    [Fact]
    public async Task WatchForChanges_WriteFromOtherStore_Notifies()
    {
        using var temp = new TempStore();
        var changed = new SemaphoreSlim(0);
        using var watch = temp.Store.WatchForChanges(() => changed.Release(), out var reason);
        var other = SqliteJobStore.Open(temp.Path);

        await other.CreateJobAsync(new JobSpec { Image = "busybox" }, default);

        Assert.Null(reason);
        Assert.NotNull(watch);
        Assert.True(await changed.WaitAsync(TimeSpan.FromSeconds(30)), "no change was reported within 30 s");
    }

    [Fact]
    public async Task WatchForChanges_OtherFileInFolder_IsIgnored()
    {
        using var temp = new TempStore();
        var changes = 0;
        using var watch = temp.Store.WatchForChanges(() => Interlocked.Increment(ref changes), out _);

        // A processor log beside the store, as the Pester tests and many admins keep it.
        await File.WriteAllTextAsync(temp.Path + ".processor.log", "line");
        await File.AppendAllTextAsync(temp.Path + ".processor.log", "another line");
        await Task.Delay(500);
        var afterLog = Volatile.Read(ref changes);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref changes) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, afterLog);
        Assert.True(Volatile.Read(ref changes) > 0, "the store write was not reported within 30 s");
    }
}
