using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Changes the settings of stored executor hosts. Only the parameters given change; a TLS
/// path or default limit set to $null is cleared.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ExecutorHost", SupportsShouldProcess = true)]
[OutputType(typeof(ExecutorHost))]
public sealed class SetExecutorHostCommand : ExecutorHostCmdlet
{
    /// <summary>Names of the hosts to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>New engine address: unix:///path/to/docker.sock, tcp://host:port or npipe://./pipe/name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>PEM file with the CA that signed the engine's certificate; $null removes it.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? TlsCaPath { get; set; }

    /// <summary>PEM file with the client certificate; $null removes it.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? TlsCertPath { get; set; }

    /// <summary>PEM file with the client certificate's private key; $null removes it.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? TlsKeyPath { get; set; }

    /// <summary>Whether the engine's certificate must chain to the CA and match the host name.</summary>
    [Parameter]
    public bool TlsVerify { get; set; }

    /// <summary>Whether the host takes new jobs.</summary>
    [Parameter]
    public bool Enabled { get; set; }

    /// <summary>Jobs the host may have launching or running at once.</summary>
    [Parameter]
    [ValidateRange(1, ExecutorHost.MaxConcurrentJobsLimit)]
    public int MaxConcurrentJobs { get; set; }

    /// <summary>Share of the jobs that name no host; 0 takes only jobs that name this host.</summary>
    [Parameter]
    [ValidateRange(0, ExecutorHost.MaxWeight)]
    public int Weight { get; set; }

    /// <summary>Labels that replace the host's labels; an empty hashtable removes them all.</summary>
    [Parameter]
    [AllowNull]
    public Hashtable? Labels { get; set; }

    /// <summary>When the host pulls a job's image: IfNotPresent, Always or Never.</summary>
    [Parameter]
    public PullPolicy PullPolicy { get; set; }

    /// <summary>Memory limit in MiB for jobs that set none; $null removes the default.</summary>
    [Parameter]
    [AllowNull]
    public int? DefaultMemoryMiB { get; set; }

    /// <summary>CPU limit in cores for jobs that set none; $null removes the default.</summary>
    [Parameter]
    [AllowNull]
    public double? DefaultCpus { get; set; }

    /// <summary>Whether jobs may run privileged containers on this host.</summary>
    [Parameter]
    public bool AllowPrivileged { get; set; }

    /// <summary>Whether jobs may bind-mount folders of the engine's machine.</summary>
    [Parameter]
    public bool AllowBindMounts { get; set; }

    /// <summary>Writes each changed host to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            var stored = RunAsync(token => HostStore.GetHostAsync(name, token));
            if (stored is null)
            {
                WriteError(HostNotFound(name));
                continue;
            }

            ExecutorHost changed;
            List<string> names;
            try
            {
                changed = Apply(stored.Clone(), out names);
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
                continue;
            }

            if (names.Count == 0)
            {
                WriteWarning($"No setting of host '{stored.Name}' was given, so nothing changes.");
                continue;
            }

            try
            {
                changed.Validate();
                if (!ShouldProcess(stored.Name, $"Change {string.Join(", ", names)}"))
                {
                    continue;
                }

                var updated = RunAsync(token => HostStore.UpdateHostAsync(changed, token));
                WriteVerbose($"Changed {string.Join(", ", names)} of host {updated.Name}");
                if (PassThru.IsPresent)
                {
                    WriteObject(updated);
                }
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
            }
        }
    }

    private ExecutorHost Apply(ExecutorHost host, out List<string> names)
    {
        var bound = MyInvocation.BoundParameters;
        var given = new List<string>();
        bool Given(string parameter)
        {
            if (!bound.ContainsKey(parameter))
            {
                return false;
            }

            given.Add(parameter);
            return true;
        }

        if (Given(nameof(Endpoint))) host.Endpoint = Endpoint!;
        if (Given(nameof(TlsCaPath))) host.TlsCaPath = ResolveTlsPath(TlsCaPath);
        if (Given(nameof(TlsCertPath))) host.TlsCertPath = ResolveTlsPath(TlsCertPath);
        if (Given(nameof(TlsKeyPath))) host.TlsKeyPath = ResolveTlsPath(TlsKeyPath);
        if (Given(nameof(TlsVerify))) host.TlsVerify = TlsVerify;
        if (Given(nameof(Enabled))) host.Enabled = Enabled;
        if (Given(nameof(MaxConcurrentJobs))) host.MaxConcurrentJobs = MaxConcurrentJobs;
        if (Given(nameof(Weight))) host.Weight = Weight;
        if (Given(nameof(Labels))) host.Labels = ToLabels(Labels);
        if (Given(nameof(PullPolicy))) host.PullPolicy = PullPolicy;
        if (Given(nameof(DefaultMemoryMiB))) host.DefaultMemoryMiB = DefaultMemoryMiB;
        if (Given(nameof(DefaultCpus))) host.DefaultCpus = DefaultCpus;
        if (Given(nameof(AllowPrivileged))) host.AllowPrivileged = AllowPrivileged;
        if (Given(nameof(AllowBindMounts))) host.AllowBindMounts = AllowBindMounts;
        names = given;
        return host;
    }
}
