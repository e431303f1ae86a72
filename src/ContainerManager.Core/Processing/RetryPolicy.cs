namespace ContainerManager.Core.Processing;

/// <summary>Back-off between attempts: exponential, capped, with jitter.</summary>
public static class RetryPolicy
{
    /// <summary>Longest delay between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// Returns the delay before attempt <paramref name="failedAttempt"/> + 1: the base delay
    /// doubled per failed attempt, capped at <see cref="MaxDelay"/>, plus up to 20% jitter so
    /// that jobs which failed together do not all come back in the same second.
    /// </summary>
    public static TimeSpan Delay(TimeSpan baseDelay, int failedAttempt, Random random)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 20);
        var milliseconds = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(milliseconds * (1 + (random.NextDouble() * 0.2)));
    }
}
