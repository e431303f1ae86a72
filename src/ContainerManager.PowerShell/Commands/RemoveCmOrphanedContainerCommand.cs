using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Processing;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Removes containers that this store's processors created but no job needs any more: their
/// job finished, was removed from the store, or moved on to a later attempt. Containers of
/// other stores on the same engine are left alone.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CmOrphanedContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(OrphanedContainer))]
public sealed class RemoveCmOrphanedContainerCommand : ExecutorHostCmdlet
{
    /// <summary>
    /// Names of the hosts whose engines to clean; defaults to every stored host, enabled or
    /// not, or the local engine when no host is stored.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? HostName { get; set; }

    /// <summary>Skips the confirmation prompt; -WhatIf still only lists what would be removed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns each removed container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var finder = new OrphanFinder(Store);
        var factory = new DockerExecutorFactory(logger: Logger);
        foreach (var host in SelectHosts(HostName, enabledOnly: false))
        {
            try
            {
                Clean(finder, factory, host);
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
            }
        }
    }

    private void Clean(OrphanFinder finder, DockerExecutorFactory factory, ExecutorHost host)
    {
        using var executor = factory.Create(host);
        var orphans = RunAsync(token => finder.FindAsync(executor, host.Name, token));
        WriteVerbose($"Found {orphans.Count} orphaned containers of store {Store.StoreId} on host {host.Name}");
        foreach (var orphan in orphans)
        {
            var target = $"container {orphan.ContainerId[..Math.Min(12, orphan.ContainerId.Length)]} on host {host.Name}";
            var action = orphan.Running
                ? $"Stop and remove running container ({orphan.Reason})"
                : $"Remove container ({orphan.Reason})";
            if (!ShouldProcessUnlessForced(Force, target, action))
            {
                continue;
            }

            try
            {
                RunAsync(token => executor.RemoveAsync(orphan.ContainerId, token));
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
                continue;
            }

            WriteVerbose($"Removed {target}: {orphan.Reason}");
            if (PassThru)
            {
                WriteObject(orphan);
            }
        }
    }
}
