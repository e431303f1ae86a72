using System.Globalization;

namespace ContainerManager.Core.Hosts;

/// <summary>
/// Picks the host for one job. Pure: it reads only its arguments, so the caller decides
/// where hosts, health and job counts come from and how to keep them current.
/// </summary>
public static class HostSelector
{
    /// <summary>
    /// Picks a host for a job.
    /// </summary>
    /// <param name="hosts">Stored hosts, enabled or not.</param>
    /// <param name="activeJobs">
    /// Jobs launching or running per host name (any case); a missing name counts as 0.
    /// </param>
    /// <param name="requestedHost">
    /// Host the job names, or null. A named host is used regardless of its weight, and only
    /// if it is enabled, not unhealthy, has the labels and has free capacity.
    /// </param>
    /// <param name="requiredLabels">
    /// Labels the host must carry (keys and values compared without regard to case), or null.
    /// </param>
    /// <param name="random">Source of the weighted choice; pass a seeded one for repeatable tests.</param>
    /// <returns>
    /// One host chosen at random in proportion to <see cref="ExecutorHost.Weight"/> among
    /// the enabled hosts that have the labels, free capacity, a weight above 0 and no failed
    /// last health check. A host that was never checked counts as healthy. When none fits,
    /// the selection has no host and a reason that names what ruled each candidate out.
    /// </returns>
    /// <remarks>
    /// NOTE: a host whose last check failed stays excluded until it is checked again, with
    /// Test-ExecutorHost or <see cref="HostHealthChecker"/>; this function never re-checks.
    /// </remarks>
    public static HostSelection Select(
        IEnumerable<ExecutorHost> hosts,
        IReadOnlyDictionary<string, int> activeJobs,
        string? requestedHost,
        IReadOnlyDictionary<string, string>? requiredLabels,
        Random random)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(activeJobs);
        ArgumentNullException.ThrowIfNull(random);
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, count) in activeJobs)
        {
            counts[name] = counts.GetValueOrDefault(name) + count;
        }

        var labels = requiredLabels ?? new Dictionary<string, string>();
        var all = hosts.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList();

        return string.IsNullOrEmpty(requestedHost)
            ? SelectWeighted(all, counts, labels, random)
            : SelectNamed(all, counts, requestedHost, labels);
    }

    private static HostSelection SelectNamed(
        List<ExecutorHost> hosts,
        Dictionary<string, int> counts,
        string requestedHost,
        IReadOnlyDictionary<string, string> labels)
    {
        var host = hosts.FirstOrDefault(h => string.Equals(h.Name, requestedHost, StringComparison.OrdinalIgnoreCase));
        if (host is null)
        {
            return HostSelection.NoneFits($"no host named '{requestedHost}' exists");
        }

        var active = counts.GetValueOrDefault(host.Name);
        var problem = Exclusion(host, active, labels);
        return problem switch
        {
            null => HostSelection.Chosen(host),
            Excluded.Disabled => HostSelection.NoneFits($"host '{host.Name}' is disabled"),
            Excluded.Unhealthy => HostSelection.NoneFits(string.Create(CultureInfo.InvariantCulture,
                $"host '{host.Name}' failed its last health check at {host.LastHealth!.CheckedAt:u}: " +
                $"{host.LastHealth.Message}")),
            Excluded.LabelsMissing => HostSelection.NoneFits(
                $"host '{host.Name}' does not have the labels {FormatLabels(labels)}"),
            _ => HostSelection.NoneFits(string.Create(CultureInfo.InvariantCulture,
                $"host '{host.Name}' is at capacity ({active} of {host.MaxConcurrentJobs} jobs)")),
        };
    }

    private static HostSelection SelectWeighted(
        List<ExecutorHost> hosts,
        Dictionary<string, int> counts,
        IReadOnlyDictionary<string, string> labels,
        Random random)
    {
        var candidates = new List<ExecutorHost>();
        var excluded = new Dictionary<Excluded, int>();
        foreach (var host in hosts)
        {
            var problem = Exclusion(host, counts.GetValueOrDefault(host.Name), labels);
            if (problem is null && host.Weight <= 0)
            {
                problem = Excluded.ZeroWeight;
            }

            if (problem is { } reason)
            {
                excluded[reason] = excluded.GetValueOrDefault(reason) + 1;
                continue;
            }

            candidates.Add(host);
        }

        if (candidates.Count == 0)
        {
            return HostSelection.NoneFits(NoneFitsReason(hosts.Count, labels, excluded));
        }

        // Weights are integers, so one draw in [0, total) lands in exactly one host's range.
        var total = candidates.Sum(h => (long)h.Weight);
        var draw = random.NextInt64(total);
        foreach (var host in candidates)
        {
            draw -= host.Weight;
            if (draw < 0)
            {
                return HostSelection.Chosen(host);
            }
        }

        return HostSelection.Chosen(candidates[^1]);
    }

    // The checks run in this order, so a host that fails several is reported under the first.
    private static Excluded? Exclusion(ExecutorHost host, int active, IReadOnlyDictionary<string, string> labels)
    {
        if (!HasLabels(host, labels))
        {
            return Excluded.LabelsMissing;
        }

        if (!host.Enabled)
        {
            return Excluded.Disabled;
        }

        if (host.LastHealth is { Ok: false })
        {
            return Excluded.Unhealthy;
        }

        return active >= host.MaxConcurrentJobs ? Excluded.Full : null;
    }

    private static bool HasLabels(ExecutorHost host, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            var match = host.Labels.FirstOrDefault(l => string.Equals(l.Key, key, StringComparison.OrdinalIgnoreCase));
            if (match.Key is null || !string.Equals(match.Value, value, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static string NoneFitsReason(int hostCount, IReadOnlyDictionary<string, string> labels, Dictionary<Excluded, int> excluded)
    {
        var subject = labels.Count == 0
            ? "no enabled healthy host with free capacity exists"
            : $"no enabled healthy host with free capacity matches labels {FormatLabels(labels)}";
        if (hostCount == 0)
        {
            return $"{subject}: no hosts are stored";
        }

        var matching = hostCount - excluded.GetValueOrDefault(Excluded.LabelsMissing);
        if (matching == 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{subject}: none of the {hostCount} hosts has these labels");
        }

        var parts = new List<string>();
        AddPart(parts, excluded, Excluded.Disabled, "disabled");
        AddPart(parts, excluded, Excluded.Unhealthy, "unhealthy");
        AddPart(parts, excluded, Excluded.Full, "at capacity");
        AddPart(parts, excluded, Excluded.ZeroWeight, "with weight 0 (takes only jobs that name it)");
        var scope = labels.Count == 0 ? "hosts" : "hosts with these labels";
        return string.Create(CultureInfo.InvariantCulture,
            $"{subject}: of {matching} {scope}, {string.Join(", ", parts)}");
    }

    private static void AddPart(List<string> parts, Dictionary<Excluded, int> excluded, Excluded reason, string text)
    {
        if (excluded.GetValueOrDefault(reason) is var count and > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {text}"));
        }
    }

    private static string FormatLabels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(l => l.Key, StringComparer.OrdinalIgnoreCase).Select(l => $"{l.Key}={l.Value}"));

    private enum Excluded
    {
        LabelsMissing,
        Disabled,
        Unhealthy,
        Full,
        ZeroWeight,
    }
}
