using System.Runtime.InteropServices;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Diagnostics;

/// <summary>Gathers a <see cref="DiagnosticReport"/> from the store and the hosts.</summary>
public sealed class DiagnosticCollector(
    SqliteJobStore store,
    IExecutorHostStore hostStore,
    IEnvironmentTemplateStore templateStore,
    IExecutorFactory factory)
{
    /// <summary>Collects the report; each host is checked with <paramref name="hostTimeout"/>.</summary>
    public async Task<DiagnosticReport> CollectAsync(TimeSpan hostTimeout, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>();
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            counts[status.ToString()] = await store.CountJobsAsync([status], cancellationToken).ConfigureAwait(false);
        }

        var stored = await hostStore.ListHostsAsync(cancellationToken).ConfigureAwait(false);
        var health = stored.Count > 0
            ? await CheckAsync(stored, hostTimeout, cancellationToken).ConfigureAwait(false)
            : await CheckLocalAsync(hostTimeout, cancellationToken).ConfigureAwait(false);
        var templates = await templateStore.ListTemplatesAsync(cancellationToken).ConfigureAwait(false);

        return new DiagnosticReport
        {
            CreatedAt = DateTimeOffset.UtcNow,
            ModuleVersion = typeof(DiagnosticCollector).Assembly.GetName().Version?.ToString() ?? "",
            Runtime = RuntimeInformation.FrameworkDescription,
            OperatingSystem = $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            DockerHost = System.Environment.GetEnvironmentVariable("DOCKER_HOST"),
            StorePath = store.Location,
            StoreId = store.StoreId,
            SchemaVersion = store.SchemaVersion,
            StoreSizeBytes = File.Exists(store.Location) ? new FileInfo(store.Location).Length : 0,
            JobCounts = counts,
            TemplateCount = templates.Count,
            Processors = await store.ListProcessorsAsync(cancellationToken).ConfigureAwait(false),
            Hosts = health,
        };
    }

    private async Task<List<HostHealth>> CheckAsync(
        IEnumerable<ExecutorHost> hosts,
        TimeSpan hostTimeout,
        CancellationToken cancellationToken)
    {
        var checker = new HostHealthChecker(factory);
        var checks = await Task.WhenAll(hosts.Where(h => h.Enabled)
            .Select(h => checker.CheckAsync(h, hostTimeout, cancellationToken))).ConfigureAwait(false);
        return checks.Select(c => c.Health).ToList();
    }

    // A report is most needed when the local engine cannot be used, so an invalid
    // $DOCKER_HOST is recorded as a failed check instead of ending the collection.
    private async Task<List<HostHealth>> CheckLocalAsync(TimeSpan hostTimeout, CancellationToken cancellationToken)
    {
        ExecutorHost local;
        try
        {
            local = ExecutorHost.Local();
        }
        catch (ContainerManagerException ex)
        {
            var endpoint = System.Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "";
            var failed = HostHealth.Failed(
                ExecutorHost.LocalName, endpoint, ex.Message, DateTimeOffset.UtcNow, TimeSpan.Zero);
            return [failed];
        }

        return await CheckAsync([local], hostTimeout, cancellationToken).ConfigureAwait(false);
    }
}
