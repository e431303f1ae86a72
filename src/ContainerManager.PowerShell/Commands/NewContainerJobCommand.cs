using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Queues a container job in the job store.</summary>
[Cmdlet(VerbsCommon.New, "ContainerJob", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerJob))]
public sealed class NewContainerJobCommand : ContainerManagerCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    /// <summary>Image reference to run, such as busybox:1.36 or registry:5000/team/tool@sha256:….</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>Argument vector run in the container, without a shell; omit it to run the image's default command.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ValidateCount(1, int.MaxValue)]
    public string[]? Command { get; set; }

    /// <summary>Name shown in listings; defaults to the image's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>
    /// Environment variables for the container, as a hashtable of names and values; they
    /// replace variables of the same name from -EnvironmentTemplate.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? Environment { get; set; }

    /// <summary>
    /// Names of stored environment templates to take variables from, applied in order so that a
    /// later template replaces a variable of an earlier one.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] EnvironmentTemplate { get; set; } = [];

    /// <summary>
    /// Keys whose values are secret and masked in every output, besides those whose names look
    /// secret and those the templates declare.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] SecretKey { get; set; } = [];

    /// <summary>Executor host the job must run on; by default the processor picks one with free capacity.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HostName { get; set; }

    /// <summary>Labels, as a hashtable, that the host chosen for the job must carry.</summary>
    [Parameter]
    public Hashtable? HostLabel { get; set; }

    /// <summary>Memory limit in MiB; the container gets no swap beyond it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(JobSpec.MinMemoryMiB, JobSpec.MaxMemoryMiB)]
    public int? MemoryMiB { get; set; }

    /// <summary>CPU limit in cores, for example 0.5.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(JobSpec.MinCpus, JobSpec.MaxCpus)]
    public double? Cpus { get; set; }

    /// <summary>Seconds the container may run before the processor stops it and marks the job TimedOut.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, JobSpec.MaxTimeoutSeconds)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>Higher priorities run first among due jobs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(JobSpec.MinPriority, JobSpec.MaxPriority)]
    public int Priority { get; set; }

    /// <summary>Attempts allowed when the launch fails for infrastructure reasons or with a retryable exit code.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, JobSpec.MaxAttemptsLimit)]
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Container exit codes that are retried (up to MaxAttempts) instead of failing the job.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 255)]
    public int[]? RetryOnExitCode { get; set; }

    /// <summary>Earliest time the job may start; a time without offset is local time.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("At")]
    public DateTime? ScheduledFor { get; set; }

    /// <summary>Absolute working directory inside the container, such as /work; defaults to the image's.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>User the process runs as: a name or uid, optionally with :group or :gid; defaults to the image's.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Engine network the container joins, or none for no network; defaults to the engine's.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>Extra container labels as a hashtable; names starting with containermanager. are reserved.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Named volumes as name:/path/in/container or name:/path/in/container:ro.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Volume { get; set; } = [];

    /// <summary>Host paths to mount as /host/path:/container/path[:ro]; the executor host must allow bind mounts.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] BindMount { get; set; } = [];

    /// <summary>Runs the container privileged; the executor host must allow it.</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var spec = new JobSpec
        {
            Name = Name,
            Image = Image,
            Command = Command ?? [],
            MemoryMiB = MemoryMiB,
            Cpus = Cpus,
            TimeoutSeconds = TimeoutSeconds,
            Priority = Priority,
            MaxAttempts = MaxAttempts,
            RetryExitCodes = RetryOnExitCode ?? [],
            TargetHost = HostName,
            DueAt = ScheduledFor is { } at ? Schedule.ToUtc(at) : null,
            WorkingDirectory = WorkingDirectory,
            User = User,
            Network = Network,
            Volumes = Volume,
            BindMounts = BindMount,
            Privileged = Privileged.IsPresent,
        };
        try
        {
            RejectMaskedValues();
            spec.HostLabels = HashtableInput.ToDictionary(HostLabel, HashtableInput.HostLabel);
            spec.Labels = HashtableInput.ToDictionary(Label, HashtableInput.ContainerLabel);
            var templates = ReadTemplates();
            var environment = HashtableInput.ToDictionary(Environment, HashtableInput.EnvironmentVariable);
            JobEnvironmentMerger.Apply(spec, templates, environment, SecretKey);
            spec.Validate();
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
            return;
        }

        TemplateInput.WarnAboutUndefinedSecretKeys(this, SecretKey, spec.Environment.Keys, "the job's environment");
        WarnAboutUnknownHost();
        WriteDebug(DescribeEnvironment(spec));

        if (!ShouldProcess(Store.Location, $"Queue a job running image '{Image}'"))
        {
            return;
        }

        try
        {
            var job = RunAsync(token => Store.CreateJobAsync(spec, token));
            WriteVerbose($"Queued job {job.Id} ({job.Name})");
            WriteObject(job);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    // The host may be added later, so an unknown name is queued, but with a warning.
    private void WarnAboutUnknownHost()
    {
        if (HostName is null)
        {
            return;
        }

        var hosts = RunAsync(token => new SqliteExecutorHostStore((SqliteJobStore)Store).ListHostsAsync(token));
        if (!hosts.Any(h => string.Equals(h.Name, HostName, StringComparison.OrdinalIgnoreCase)))
        {
            WriteWarning($"No executor host named '{HostName}' is stored yet. The job waits until a host of " +
                "that name is added with New-ExecutorHost.");
        }
    }

    // A job piped in binds its masked Command and Environment by property name; queuing
    // those would run the mask instead of the secret.
    private void RejectMaskedValues()
    {
        var environment = HashtableInput.ToDictionary(Environment, HashtableInput.EnvironmentVariable);
        // A null argument is left for JobSpec.Validate, which reports it as InvalidCommand.
        var masked = (Command ?? []).Any(argument =>
                argument is not null && argument.Contains(SecretMask.Mask, StringComparison.Ordinal))
            || environment.Values.Any(value => value.Contains(SecretMask.Mask, StringComparison.Ordinal));
        if (masked)
        {
            throw new ContainerManagerException("MaskedValueGiven", ErrorKind.InvalidArgument,
                $"The command or environment contains the mask '{SecretMask.Mask}', so it was copied from masked " +
                "output such as a piped job. Give the real values, or take them from -EnvironmentTemplate.",
                Image);
        }
    }

    // Names the keys and which of them are masked, never the values.
    private static string DescribeEnvironment(JobSpec spec)
    {
        var keys = spec.Environment.Keys.Select(key =>
            SecretMask.IsSecret(key, spec.SecretKeys) ? $"{key} (secret)" : key);
        var templates = spec.EnvironmentTemplates.Count == 0
            ? "no templates"
            : $"templates {string.Join(", ", spec.EnvironmentTemplates)}";
        return $"Job environment from {templates}: {string.Join(", ", keys)}";
    }

    private List<EnvironmentTemplate> ReadTemplates()
    {
        var templates = new List<EnvironmentTemplate>();
        foreach (var name in EnvironmentTemplate)
        {
            var template = RunAsync(token => TemplateStore.GetTemplateAsync(name, token))
                ?? throw TemplateErrors.NotFound(name, TemplateStore.Location);
            templates.Add(template);
        }

        return templates;
    }

}
