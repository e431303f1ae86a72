using ContainerManager.Core.Hosts;

namespace ContainerManager.Tests.Hosts;

public class HostSelectorTests
{
    private static readonly Dictionary<string, int> NoJobs = new();

    [Fact]
    public void Select_NoHosts_ReturnsNullWithReason()
    {
        var selection = HostSelector.Select([], NoJobs, null, null, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal("no enabled healthy host with free capacity exists: no hosts are stored", selection.Reason);
    }

    [Fact]
    public void Select_OneFreeHost_ReturnsIt()
    {
        var host = Host("a");

        var selection = HostSelector.Select([host], NoJobs, null, null, new Random(1));

        Assert.Same(host, selection.Host);
        Assert.Null(selection.Reason);
    }

    [Fact]
    public void Select_SkipsDisabledHost()
    {
        var disabled = Host("a", enabled: false);
        var enabled = Host("b");

        for (var i = 0; i < 50; i++)
        {
            Assert.Same(enabled, HostSelector.Select([disabled, enabled], NoJobs, null, null, new Random(i)).Host);
        }
    }

    [Fact]
    public void Select_SkipsHostWhoseLastCheckFailed()
    {
        var unhealthy = Host("a", healthy: false);
        var healthy = Host("b", healthy: true);

        for (var i = 0; i < 50; i++)
        {
            Assert.Same(healthy, HostSelector.Select([unhealthy, healthy], NoJobs, null, null, new Random(i)).Host);
        }
    }

    [Fact]
    public void Select_NeverCheckedHost_CountsAsHealthy()
    {
        var host = Host("a");

        Assert.Null(host.LastHealth);
        Assert.Same(host, HostSelector.Select([host], NoJobs, null, null, new Random(1)).Host);
    }

    [Fact]
    public void Select_FullHost_IsSkipped()
    {
        var full = Host("a", maxJobs: 2);
        var free = Host("b", maxJobs: 2);
        var jobs = new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 };

        for (var i = 0; i < 50; i++)
        {
            Assert.Same(free, HostSelector.Select([full, free], jobs, null, null, new Random(i)).Host);
        }
    }

    [Fact]
    public void Select_ActiveJobNamesIgnoreCase()
    {
        var host = Host("Build-01", maxJobs: 1);
        var jobs = new Dictionary<string, int> { ["build-01"] = 1 };

        var selection = HostSelector.Select([host], jobs, null, null, new Random(1));

        Assert.Null(selection.Host);
        Assert.Contains("1 at capacity", selection.Reason);
    }

    [Fact]
    public void CapacityIsNeverExceeded()
    {
        var hosts = new[] { Host("a", maxJobs: 2, weight: 5), Host("b", maxJobs: 3, weight: 1), Host("c", maxJobs: 1, weight: 2) };
        var jobs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var random = new Random(7);
        var picks = 0;

        while (HostSelector.Select(hosts, jobs, null, null, random).Host is { } host)
        {
            jobs[host.Name] = jobs.GetValueOrDefault(host.Name) + 1;
            picks++;
            Assert.True(picks <= 6, "more jobs were placed than the hosts' total capacity of 6");
            foreach (var each in hosts)
            {
                Assert.True(jobs.GetValueOrDefault(each.Name) <= each.MaxConcurrentJobs,
                    $"host {each.Name} got more than {each.MaxConcurrentJobs} jobs");
            }
        }

        var last = HostSelector.Select(hosts, jobs, null, null, random);
        Assert.Equal(6, picks);
        Assert.Equal(2, jobs["a"]);
        Assert.Equal(3, jobs["b"]);
        Assert.Equal(1, jobs["c"]);
        Assert.Equal(
            "no enabled healthy host with free capacity exists: of 3 hosts, 3 at capacity",
            last.Reason);
    }

    [Fact]
    public void CapacityHoldsWhenJobsFinishAndStartAgain()
    {
        var hosts = new[] { Host("a", maxJobs: 3, weight: 1), Host("b", maxJobs: 1, weight: 10) };
        var jobs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var random = new Random(99);

        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(3) == 0 && jobs.Keys.FirstOrDefault(k => jobs[k] > 0) is { } finished)
            {
                jobs[finished]--;
            }

            if (HostSelector.Select(hosts, jobs, null, null, random).Host is { } host)
            {
                jobs[host.Name] = jobs.GetValueOrDefault(host.Name) + 1;
            }

            Assert.True(jobs.GetValueOrDefault("a") <= 3, $"host a over capacity at step {step}");
            Assert.True(jobs.GetValueOrDefault("b") <= 1, $"host b over capacity at step {step}");
        }
    }

    [Fact]
    public void WeightsAreRoughlyRespected()
    {
        var hosts = new[] { Host("light", weight: 1), Host("middle", weight: 3), Host("heavy", weight: 6) };
        var counts = new Dictionary<string, int>();
        var random = new Random(1234);
        const int Picks = 20_000;

        for (var i = 0; i < Picks; i++)
        {
            var name = HostSelector.Select(hosts, NoJobs, null, null, random).Host!.Name;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.InRange(counts["light"] / (double)Picks, 0.08, 0.12);
        Assert.InRange(counts["middle"] / (double)Picks, 0.27, 0.33);
        Assert.InRange(counts["heavy"] / (double)Picks, 0.57, 0.63);
    }

    [Fact]
    public void SameSeed_GivesSamePicks()
    {
        var hosts = new[] { Host("a", weight: 1), Host("b", weight: 1), Host("c", weight: 1) };

        var random1 = new Random(5);
        var random2 = new Random(5);
        var picks1 = Enumerable.Range(0, 30)
            .Select(_ => HostSelector.Select(hosts, NoJobs, null, null, random1).Host!.Name).ToList();
        var picks2 = Enumerable.Range(0, 30)
            .Select(_ => HostSelector.Select(hosts.Reverse(), NoJobs, null, null, random2).Host!.Name).ToList();

        Assert.Equal(picks1, picks2);
    }

    [Fact]
    public void ZeroWeightHost_IsNotPickedUnlessNamed()
    {
        var drained = Host("drained", weight: 0);

        var unnamed = HostSelector.Select([drained], NoJobs, null, null, new Random(1));
        var named = HostSelector.Select([drained], NoJobs, "drained", null, new Random(1));

        Assert.Null(unnamed.Host);
        Assert.Contains("1 with weight 0", unnamed.Reason);
        Assert.Same(drained, named.Host);
    }

    [Fact]
    public void Labels_PickOnlyMatchingHosts()
    {
        var gpu = Host("gpu", labels: new() { ["gpu"] = "true", ["zone"] = "a" });
        var plain = Host("plain", labels: new() { ["zone"] = "a" });
        var required = new Dictionary<string, string> { ["gpu"] = "true" };

        for (var i = 0; i < 50; i++)
        {
            Assert.Same(gpu, HostSelector.Select([gpu, plain], NoJobs, null, required, new Random(i)).Host);
        }
    }

    [Fact]
    public void Labels_CompareWithoutCase()
    {
        var host = Host("gpu", labels: new() { ["GPU"] = "True" });

        var selection = HostSelector.Select([host], NoJobs, null, new Dictionary<string, string> { ["gpu"] = "true" }, new Random(1));

        Assert.Same(host, selection.Host);
    }

    [Fact]
    public void Labels_AllMustMatch()
    {
        var host = Host("gpu", labels: new() { ["gpu"] = "true", ["zone"] = "a" });
        var required = new Dictionary<string, string> { ["gpu"] = "true", ["zone"] = "b" };

        var selection = HostSelector.Select([host], NoJobs, null, required, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal(
            "no enabled healthy host with free capacity matches labels gpu=true,zone=b: none of the 1 hosts has these labels",
            selection.Reason);
    }

    [Fact]
    public void Labels_NoneFit_ReasonCountsEachExclusion()
    {
        var labels = new Dictionary<string, string> { ["gpu"] = "true" };
        var hosts = new[]
        {
            Host("disabled", enabled: false, labels: labels),
            Host("unhealthy", healthy: false, labels: labels),
            Host("full", maxJobs: 1, labels: labels),
            Host("other"),
        };
        var jobs = new Dictionary<string, int> { ["full"] = 1 };

        var selection = HostSelector.Select(hosts, jobs, null, labels, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal(
            "no enabled healthy host with free capacity matches labels gpu=true: of 3 hosts with these labels, " +
            "1 disabled, 1 unhealthy, 1 at capacity",
            selection.Reason);
    }

    [Fact]
    public void NamedHost_IsChosenOverWeights()
    {
        var heavy = Host("heavy", weight: 1000);
        var light = Host("light", weight: 1);

        for (var i = 0; i < 50; i++)
        {
            Assert.Same(light, HostSelector.Select([heavy, light], NoJobs, "LIGHT", null, new Random(i)).Host);
        }
    }

    [Fact]
    public void NamedHost_Unknown_ReturnsReason()
    {
        var selection = HostSelector.Select([Host("a")], NoJobs, "missing", null, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal("no host named 'missing' exists", selection.Reason);
    }

    [Fact]
    public void NamedHost_Disabled_ReturnsReason()
    {
        var selection = HostSelector.Select([Host("a", enabled: false)], NoJobs, "a", null, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal("host 'a' is disabled", selection.Reason);
    }

    [Fact]
    public void NamedHost_Unhealthy_ReasonHasCheckMessage()
    {
        var selection = HostSelector.Select([Host("a", healthy: false)], NoJobs, "a", null, new Random(1));

        Assert.Null(selection.Host);
        Assert.StartsWith("host 'a' failed its last health check at ", selection.Reason);
        Assert.EndsWith(": engine down", selection.Reason);
    }

    [Fact]
    public void NamedHost_Full_ReasonHasCounts()
    {
        var jobs = new Dictionary<string, int> { ["a"] = 4 };

        var selection = HostSelector.Select([Host("a", maxJobs: 4)], jobs, "a", null, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal("host 'a' is at capacity (4 of 4 jobs)", selection.Reason);
    }

    [Fact]
    public void NamedHost_WithoutRequiredLabels_ReturnsReason()
    {
        var labels = new Dictionary<string, string> { ["gpu"] = "true" };

        var selection = HostSelector.Select([Host("a")], NoJobs, "a", labels, new Random(1));

        Assert.Null(selection.Host);
        Assert.Equal("host 'a' does not have the labels gpu=true", selection.Reason);
    }

    private static ExecutorHost Host(
        string name,
        bool enabled = true,
        bool? healthy = null,
        int maxJobs = 4,
        int weight = 1,
        Dictionary<string, string>? labels = null) =>
        new()
        {
            Name = name,
            Endpoint = $"unix:///tmp/{name}.sock",
            Enabled = enabled,
            MaxConcurrentJobs = maxJobs,
            Weight = weight,
            Labels = labels ?? new Dictionary<string, string>(),
            LastHealth = healthy is { } ok
                ? new HostHealth { HostName = name, Ok = ok, Message = ok ? null : "engine down", CheckedAt = DateTimeOffset.UtcNow }
                : null,
        };
}
