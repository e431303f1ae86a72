using ContainerManager.Core.Processing;

namespace ContainerManager.Tests.Processing;

public class WakeSignalTests
{
    [Fact]
    public async Task Set_BeforeWait_WakesTheNextWait()
    {
        var signal = new WakeSignal();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromMinutes(10), default));
    }

    [Fact]
    public async Task Set_DuringWait_WakesIt()
    {
        var signal = new WakeSignal();
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(10), default);

        signal.Set();

        Assert.True(await wait);
    }

    [Fact]
    public async Task Wait_WithoutSet_ReturnsFalseAtTimeout()
    {
        var signal = new WakeSignal();
        signal.Set();
        await signal.WaitAsync(TimeSpan.FromMinutes(10), default);

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), default));
    }

    [Fact]
    public async Task Wait_Cancelled_Throws()
    {
        var signal = new WakeSignal();
        using var stop = new CancellationTokenSource();
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(10), stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
