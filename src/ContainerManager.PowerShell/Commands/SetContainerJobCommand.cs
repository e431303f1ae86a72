using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Changes jobs that are still queued (Pending or Retrying).</summary>
[Cmdlet(VerbsCommon.Set, "ContainerJob", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerJob))]
public sealed class SetContainerJobCommand : JobCmdlet
{
    /// <summary>New name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>New image reference.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>New argument vector.</summary>
    [Parameter]
    [AllowEmptyString]
    [ValidateCount(1, int.MaxValue)]
    public string[]? Command { get; set; }

    /// <summary>New memory limit in MiB.</summary>
    [Parameter]
    [ValidateRange(JobSpec.MinMemoryMiB, JobSpec.MaxMemoryMiB)]
    public int? MemoryMiB { get; set; }

    /// <summary>New CPU limit in cores.</summary>
    [Parameter]
    [ValidateRange(JobSpec.MinCpus, JobSpec.MaxCpus)]
    public double? Cpus { get; set; }

    /// <summary>New timeout in seconds.</summary>
    [Parameter]
    [ValidateRange(1, JobSpec.MaxTimeoutSeconds)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>New priority; higher runs first.</summary>
    [Parameter]
    [ValidateRange(JobSpec.MinPriority, JobSpec.MaxPriority)]
    public int? Priority { get; set; }

    /// <summary>New earliest start time; a time without offset is local time.</summary>
    [Parameter]
    [Alias("At")]
    public DateTime? ScheduledFor { get; set; }

    /// <summary>New number of attempts allowed.</summary>
    [Parameter]
    [ValidateRange(1, JobSpec.MaxAttemptsLimit)]
    public int? MaxAttempts { get; set; }

    /// <summary>New exit codes that are retried instead of failing the job.</summary>
    [Parameter]
    [ValidateRange(1, 255)]
    public int[]? RetryOnExitCode { get; set; }

    /// <summary>New absolute working directory inside the container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>New user of the process: a name or uid, optionally with :group or :gid.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>New network, or none for no network.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>New extra labels, replacing the old ones; an empty hashtable removes them.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>New named volumes (name:/path[:ro]), replacing the old ones; an empty array removes them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Volume { get; set; }

    /// <summary>New bind mounts (/host/path:/container/path[:ro]), replacing the old ones; an empty array removes them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? BindMount { get; set; }

    /// <summary>Runs the container privileged; -Privileged:$false turns it off.</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>Returns the changed jobs.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Dictionary<string, string>? labels;
        try
        {
            labels = Label is null ? null : HashtableInput.ToDictionary(Label, HashtableInput.ContainerLabel);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
            return;
        }

        var update = new JobUpdate
        {
            Name = Name,
            Image = Image,
            Command = Command,
            MemoryMiB = MemoryMiB,
            Cpus = Cpus,
            TimeoutSeconds = TimeoutSeconds,
            Priority = Priority,
            DueAt = ScheduledFor is { } at ? Schedule.ToUtc(at) : null,
            MaxAttempts = MaxAttempts,
            RetryExitCodes = RetryOnExitCode,
            WorkingDirectory = WorkingDirectory,
            User = User,
            Network = Network,
            Labels = labels,
            Volumes = Volume,
            BindMounts = BindMount,
            Privileged = MyInvocation.BoundParameters.ContainsKey(nameof(Privileged)) ? Privileged.IsPresent : null,
        };
        ForEachJob(id =>
        {
            if (!ShouldProcess($"job {id}", "Change queued job"))
            {
                return;
            }

            var job = RunAsync(token => Control.UpdateAsync(id, update, token));
            if (PassThru)
            {
                WriteObject(job);
            }
        });
    }
}
