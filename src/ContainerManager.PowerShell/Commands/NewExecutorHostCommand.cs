using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Adds an executor host: a Docker engine that the processor may run jobs on.</summary>
[Cmdlet(VerbsCommon.New, "ExecutorHost", SupportsShouldProcess = true)]
[OutputType(typeof(ExecutorHost))]
public sealed class NewExecutorHostCommand : ExecutorHostCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    /// <summary>Unique name of the host: letters, digits, '.', '_' and '-'; case is ignored.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    /// <summary>Engine address: unix:///path/to/docker.sock, tcp://host:port or npipe://./pipe/name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string Endpoint { get; set; } = "";

    /// <summary>Kind of engine; only Docker is supported.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ExecutorHostType Type { get; set; } = ExecutorHostType.Docker;

    /// <summary>PEM file with the CA that signed the engine's certificate (tcp endpoints only).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? TlsCaPath { get; set; }

    /// <summary>PEM file with the client certificate presented to the engine.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? TlsCertPath { get; set; }

    /// <summary>PEM file with the unencrypted private key of the client certificate.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? TlsKeyPath { get; set; }

    /// <summary>Whether the engine's certificate must chain to the CA and match the host name; on by default.</summary>
    [Parameter]
    public bool TlsVerify { get; set; } = true;

    /// <summary>Whether the host takes new jobs; on by default.</summary>
    [Parameter]
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs the host may have launching or running at once.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, ExecutorHost.MaxConcurrentJobsLimit)]
    public int MaxConcurrentJobs { get; set; } = ExecutorHost.DefaultMaxConcurrentJobs;

    /// <summary>Share of the jobs that name no host; 0 takes only jobs that name this host.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, ExecutorHost.MaxWeight)]
    public int Weight { get; set; } = 1;

    /// <summary>Labels that jobs select hosts by, such as @{ gpu = 'true' }.</summary>
    [Parameter]
    public Hashtable? Labels { get; set; }

    /// <summary>When the host pulls a job's image: IfNotPresent (default), Always or Never.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public PullPolicy PullPolicy { get; set; } = PullPolicy.IfNotPresent;

    /// <summary>Memory limit in MiB for jobs that set none.</summary>
    [Parameter]
    public int? DefaultMemoryMiB { get; set; }

    /// <summary>CPU limit in cores for jobs that set none.</summary>
    [Parameter]
    public double? DefaultCpus { get; set; }

    /// <summary>Lets jobs run privileged containers on this host.</summary>
    [Parameter]
    public SwitchParameter AllowPrivileged { get; set; }

    /// <summary>Lets jobs bind-mount folders of the engine's machine.</summary>
    [Parameter]
    public SwitchParameter AllowBindMounts { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var host = new ExecutorHost
        {
            Name = Name,
            Type = Type,
            Endpoint = Endpoint,
            TlsCaPath = ResolveTlsPath(TlsCaPath),
            TlsCertPath = ResolveTlsPath(TlsCertPath),
            TlsKeyPath = ResolveTlsPath(TlsKeyPath),
            TlsVerify = TlsVerify,
            Enabled = Enabled,
            MaxConcurrentJobs = MaxConcurrentJobs,
            Weight = Weight,
            PullPolicy = PullPolicy,
            DefaultMemoryMiB = DefaultMemoryMiB,
            DefaultCpus = DefaultCpus,
            AllowPrivileged = AllowPrivileged.IsPresent,
            AllowBindMounts = AllowBindMounts.IsPresent,
        };
        try
        {
            host.Labels = ToLabels(Labels);
            host.Validate();
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
            return;
        }

        if (!ShouldProcess(Name, $"Add executor host at {Endpoint}"))
        {
            return;
        }

        try
        {
            var added = RunAsync(token => HostStore.AddHostAsync(host, token));
            WriteVerbose($"Added host {added.Name} at {added.Endpoint}");
            WriteObject(added);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }
}
