using System.Globalization;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Processing;

/// <summary>Works out why queued jobs are not running yet.</summary>
public static class QueueDiagnosis
{
    /// <summary>
    /// Age after which a continuous processor's heartbeat counts as stale. A live processor
    /// writes one at least every third of its lease, which is 5 minutes by default.
    /// </summary>
    public static readonly TimeSpan ProcessorSilenceLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Returns whether one of <paramref name="processors"/> is a continuous processor that has
    /// not stopped and whose heartbeat is younger than <see cref="ProcessorSilenceLimit"/>.
    /// </summary>
    public static bool IsContinuousProcessorRunning(IEnumerable<ProcessorInfo> processors, DateTimeOffset now) =>
        processors.Any(p => p.Mode == "Continuous" && p.StoppedAt is null && now - p.HeartbeatAt < ProcessorSilenceLimit);

    /// <summary>Returns the jobs with <see cref="ContainerJob.WaitReason"/> set on the Pending and Retrying ones.</summary>
    public static async Task<IReadOnlyList<ContainerJob>> ExplainAsync(
        IJobStore store,
        IReadOnlyList<ContainerJob> jobs,
        CancellationToken cancellationToken) =>
        await ExplainAsync(store, null, jobs, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Returns the jobs with <see cref="ContainerJob.WaitReason"/> set on the Pending and
    /// Retrying ones, and with <paramref name="hostStore"/> also names a requested host that
    /// is not stored.
    /// </summary>
    public static async Task<IReadOnlyList<ContainerJob>> ExplainAsync(
        IJobStore store,
        IExecutorHostStore? hostStore,
        IReadOnlyList<ContainerJob> jobs,
        CancellationToken cancellationToken)
    {
        if (!jobs.Any(j => j.Status is JobStatus.Pending or JobStatus.Retrying))
        {
            return jobs;
        }

        var now = DateTimeOffset.UtcNow;
        var processors = await store.ListProcessorsAsync(cancellationToken).ConfigureAwait(false);
        var active = await store.CountJobsAsync([JobStatus.Launching, JobStatus.Running], cancellationToken)
            .ConfigureAwait(false);
        var continuousRunning = IsContinuousProcessorRunning(processors, now);
        var latest = processors.MaxBy(p => p.HeartbeatAt);
        var hosts = hostStore is null
            ? null
            : await hostStore.ListHostsAsync(cancellationToken).ConfigureAwait(false);
        var hostNames = hosts?.Select(h => h.Name).ToList();
        var blocked = hosts is { Count: > 0 } && hosts.All(h => !h.Enabled)
            ? "Due, but every executor host is disabled, so no processor places it. Enable one with Enable-ExecutorHost."
            : NoEngine(latest);
        var activeByHost = hosts is { Count: > 0 }
            ? await store.CountActiveJobsByHostAsync(cancellationToken).ConfigureAwait(false)
            : null;
        return jobs
            .Select(job => job.Status is JobStatus.Pending or JobStatus.Retrying
                ? job.WithWaitReason(MissingHost(job, hostNames)
                    ?? Explain(job, now, continuousRunning, latest?.HeartbeatAt, active,
                        blocked ?? Unplaceable(job, hosts, activeByHost)))
                : job)
            .ToList();
    }

    // Applies the processor's own placement rule, so the reason matches what the next run
    // does. It names labels no host has, a named host that is disabled or failed its check,
    // or fitting hosts that are all at capacity.
    private static string? Unplaceable(
        ContainerJob job,
        IReadOnlyList<Hosts.ExecutorHost>? hosts,
        IReadOnlyDictionary<string, int>? activeByHost)
    {
        if (hosts is not { Count: > 0 } || activeByHost is null)
        {
            return null;
        }

        var selection = Hosts.HostSelector.Select(hosts, activeByHost, job.TargetHost, job.HostLabels, Random.Shared);
        return selection.Host is null
            ? $"Due, but no executor host can take it now: {selection.Reason}. It starts once a host fits; " +
              "Get-ExecutorHost shows the hosts and their last check."
            : null;
    }

    // The latest processor run found no engine to use, so it claimed nothing.
    private static string? NoEngine(ProcessorInfo? latest) =>
        latest?.LastError is { } error
            ? $"Due, but the latest processor run, at {Format(latest.HeartbeatAt)}, found no engine to use and " +
              $"claimed nothing: {error} Once the engine runs, Test-ExecutorHost checks it."
            : null;

    private static string Format(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string? MissingHost(ContainerJob job, List<string>? hostNames)
    {
        if (job.TargetHost is not { } target || hostNames is null
            || hostNames.Contains(target, StringComparer.OrdinalIgnoreCase)
            || (hostNames.Count == 0 && string.Equals(target, Hosts.ExecutorHost.LocalName, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return $"The job asks for executor host '{target}', which is not stored, so no processor will start " +
            "it. Add the host with New-ExecutorHost, or remove the job and queue it again without -HostName.";
    }

    private static string Explain(
        ContainerJob job,
        DateTimeOffset now,
        bool continuousRunning,
        DateTimeOffset? lastRun,
        int active,
        string? blocked)
    {
        if (job.DueAt > now)
        {
            var when = Format(job.DueAt);
            return job.Status == JobStatus.Retrying
                ? $"Waiting for back-off until {when} before attempt {job.Attempt - job.AttemptBase + 1} of " +
                  $"{job.MaxAttempts}. Last error: {job.ErrorMessage}"
                : $"Not due yet: scheduled for {when}.";
        }

        if (blocked is not null)
        {
            return blocked;
        }

        if (continuousRunning)
        {
            return $"Due; a processor is running and will start it when a slot is free ({active} jobs are " +
                "launching or running now).";
        }

        if (lastRun is { } last && active > 0)
        {
            // Between scheduled single runs no processor runs, and a full run leaves jobs queued.
            return $"Due. The last processor run was at {Format(last)} and {active} jobs are launching or " +
                "running, so that run may have had no free slot under -MaxConcurrentJobs. The next run starts " +
                "it when a slot is free; check that a scheduled task runs Invoke-JobProcessor -SingleRun.";
        }

        return lastRun is { } lastIdle
            ? "Due, but no processor is running. The last processor run was at " +
              $"{Format(lastIdle)}. " +
              "Run Invoke-JobProcessor -SingleRun, or check the scheduled task that runs it."
            : "Due, but no processor has ever run on this store. Run Invoke-JobProcessor -SingleRun, or " +
              "schedule it (see the README).";
    }
}
