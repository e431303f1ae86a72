using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Pulls an image onto executor hosts ahead of time, so that jobs start without waiting for
/// the pull. Each host's pull policy applies, and registry credentials come from the store,
/// then from the docker CLI's config file.
/// </summary>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ImagePullResult))]
public sealed class ImportContainerImageCommand : ExecutorHostCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    // One id for the whole call, so that each host's pull replaces the last progress line.
    private const int ProgressId = 1;
    private const string Activity = "Pulling container image";

    /// <summary>Image reference to pull, such as busybox:1.36 or registry:5000/team/tool@sha256:….</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>
    /// Names of the hosts to pull onto; defaults to every enabled host, or the local engine when
    /// no host is stored.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? HostName { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var hosts = SelectHosts(HostName, enabledOnly: true);
        var credentials = new RegistryCredentialChain(
            new StoredRegistryCredentialProvider(new SqliteRegistryCredentialStore((SqliteJobStore)Store)),
            new DockerConfigCredentialProvider());
        var puller = new ImagePuller(new DockerExecutorFactory(credentials, Logger));
        try
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                Pull(puller, hosts[i], i, hosts.Count);
            }
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Pull(ImagePuller puller, ExecutorHost host, int index, int count)
    {
        if (!ShouldProcess($"host {host.Name} ({host.Endpoint})", $"Pull image '{Image}'"))
        {
            return;
        }

        var description = $"{Image} onto {host.Name}";
        var overall = count > 1 ? index * 100 / count : -1;
        WriteProgress(new ProgressRecord(ProgressId, Activity, description) { PercentComplete = overall });
        WriteVerbose($"Pulling image {Image} onto host {host.Name} at {host.Endpoint} (pull policy {host.PullPolicy})");
        var progress = new QueuedProgress(this, report =>
            new ProgressRecord(ProgressId, Activity, description)
            {
                CurrentOperation = report.TotalBytes > 0
                    ? $"{report.Status}: {report.DownloadedBytes / 1048576.0:N1} of {report.TotalBytes / 1048576.0:N1} MiB"
                    : report.Status,
                PercentComplete = report.PercentComplete,
            });
        var (result, error) = RunAsync(token => puller.PullAsync(host, Image, progress, token));
        if (error is not null)
        {
            WriteCoreError(error);
        }
        else
        {
            WriteVerbose($"Image {Image} on host {host.Name}: {result.Status} in {result.Duration.TotalSeconds:N1} s");
        }

        WriteObject(result);
    }

    // Turns the core's progress reports into progress records written from the pipeline thread.
    private sealed class QueuedProgress(
        ImportContainerImageCommand cmdlet,
        Func<ImagePullProgress, ProgressRecord> toRecord) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value)
        {
            var record = toRecord(value);
            cmdlet.Enqueue(target => target.WriteProgress(record));
        }
    }
}
