namespace ContainerManager.Core.Processing;

/// <summary>
/// Lets a continuous processor sleep until its poll interval has passed or until something
/// happened that a new pass should see: a job queued by another process, or a job of its
/// own that finished and freed a slot. A signal set while no wait is in progress is kept,
/// so a change made during a pass leads to one more pass right after it.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _signal = NewSource();

    /// <summary>Wakes the current or the next wait. Safe from any thread.</summary>
    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>
    /// Waits until <see cref="Set"/> is called or <paramref name="timeout"/> passes, then
    /// clears the signal. Returns true when it was woken.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        using var delayStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, delayStop.Token);
        var first = await Task.WhenAny(signal.Task, delay).ConfigureAwait(false);
        // Ends the timer when the signal came first; a cancelled delay is not observed.
        await delayStop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first != signal.Task)
        {
            return false;
        }

        // A Set that lands on the fired source before this swap is lost, which is harmless:
        // the pass that follows reads the store after it.
        Interlocked.CompareExchange(ref _signal, NewSource(), signal);
        return true;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
