using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Diagnostics;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Collects what a problem report needs: versions, the store, recent processors and a
/// fresh check of every host. It contains no environment value, template text or password.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CmDiagnostic")]
[OutputType(typeof(DiagnosticReport))]
public sealed class GetCmDiagnosticCommand : ContainerManagerCmdlet
{
    /// <summary>Seconds each host has to respond to its check.</summary>
    [Parameter]
    [ValidateRange(0.1, 300)]
    public double HostTimeoutSeconds { get; set; } = 5;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = (SqliteJobStore)Store;
        var credentials = new StoredRegistryCredentialProvider(new SqliteRegistryCredentialStore(store));
        var collector = new DiagnosticCollector(store, new SqliteExecutorHostStore(store), TemplateStore,
            new DockerExecutorFactory(credentials, Logger));
        var report = RunAsync(token => collector.CollectAsync(TimeSpan.FromSeconds(HostTimeoutSeconds), token));
        if (GetVariableValue("PSVersionTable") is Hashtable table)
        {
            report.PowerShellVersion = table["PSVersion"]?.ToString();
        }

        WriteObject(report);
    }
}
