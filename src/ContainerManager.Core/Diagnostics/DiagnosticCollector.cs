using System.Runtime.InteropServices;
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
        var hosts = stored.Count > 0 ? stored : [ExecutorHost.Local()];
        var checker = new HostHealthChecker(factory);
        var checks = await Task.WhenAll(hosts.Where(h => h.Enabled)
            .Select(h => checker.CheckAsync(h, hostTimeout, cancellationToken))).ConfigureAwait(false);
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
            Hosts = checks.Select(c => c.Health).ToList(),
        };
    }
}
