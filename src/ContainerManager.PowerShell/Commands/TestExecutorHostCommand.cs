using System.Management.Automation;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Checks that executor hosts respond, stores the result on each host and returns it, with an
/// error as well for each host that failed. Without -Name it
/// checks every stored host, or the local engine ($DOCKER_HOST or the default socket) when
/// no host is stored.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ExecutorHost")]
[OutputType(typeof(HostHealth), typeof(bool))]
public sealed class TestExecutorHostCommand : ExecutorHostCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    // Any fixed id works; one id for the whole call lets each host replace the last line.
    private const int ProgressId = 1;

    /// <summary>Names of the hosts to check.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Seconds each engine gets to respond.</summary>
    [Parameter]
    [ValidateRange(0.1, 600)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Returns $true or $false per host instead of the health result, and writes no error.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var hosts = new List<ExecutorHost>();
        if (Name is null)
        {
            hosts.AddRange(RunAsync(HostStore.ListHostsAsync));
            if (hosts.Count == 0)
            {
                hosts.Add(ExecutorHost.Local());
            }
        }
        else
        {
            foreach (var name in Name)
            {
                var host = RunAsync(token => HostStore.GetHostAsync(name, token));
                if (host is null)
                {
                    WriteError(HostNotFound(name));
                    continue;
                }

                hosts.Add(host);
            }
        }

        var checker = new HostHealthChecker(new DockerExecutorFactory(logger: Logger));
        try
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                Check(checker, hosts[i], i, hosts.Count);
            }
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, "Testing executor hosts", "Done")
            {
                RecordType = ProgressRecordType.Completed,
            });
        }
    }

    private void Check(HostHealthChecker checker, ExecutorHost host, int index, int count)
    {
        WriteProgress(new ProgressRecord(ProgressId, "Testing executor hosts", $"{host.Name} at {host.Endpoint}")
        {
            PercentComplete = 100 * index / count,
        });
        WriteVerbose($"Checking host {host.Name} at {host.Endpoint}");
        var result = RunAsync(token => checker.CheckAsync(host, TimeSpan.FromSeconds(TimeoutSeconds), token));
        if (!host.IsImplicit)
        {
            RunAsync(token => HostStore.SaveHealthAsync(host.Name, result.Health, token));
        }

        if (Quiet.IsPresent)
        {
            WriteObject(result.Error is null);
            return;
        }

        if (result.Error is { } error)
        {
            // The host, not the endpoint text, is the target, so scripts can act on it.
            WriteError(new ErrorRecord(error, error.ErrorId, ErrorRecords.Category(error.Kind), host));
        }

        // A failed check is a result too (Ok is false, Message gives the reason), so a table of
        // every host shows the failing ones beside the healthy ones.
        WriteObject(result.Health);
    }
}
