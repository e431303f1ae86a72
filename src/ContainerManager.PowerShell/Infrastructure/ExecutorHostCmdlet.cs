using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Storage;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Base of the executor host cmdlets: the host store on the job store's file.</summary>
public abstract class ExecutorHostCmdlet : ContainerManagerCmdlet
{
    private IExecutorHostStore? _hosts;

    /// <summary>Host store on the file that <see cref="ContainerManagerCmdlet.BeginProcessing"/> opened.</summary>
    protected IExecutorHostStore HostStore =>
        _hosts ??= new SqliteExecutorHostStore((SqliteJobStore)Store);

    /// <summary>Returns the error record for a host name that is not stored.</summary>
    protected ErrorRecord HostNotFound(string name) =>
        ErrorRecords.Create(
            "HostNotFound",
            ErrorKind.ObjectNotFound,
            $"No host named '{name}' exists in the store '{HostStore.Location}'. List the hosts with " +
            "Get-ExecutorHost.",
            name);

    /// <summary>
    /// Enables or disables one host, asking ShouldProcess first; writes HostNotFound for an
    /// unknown name and goes on.
    /// </summary>
    protected void SetEnabled(string name, bool enabled, bool passThru)
    {
        var host = RunAsync(token => HostStore.GetHostAsync(name, token));
        if (host is null)
        {
            WriteError(HostNotFound(name));
            return;
        }

        var action = enabled ? "Enable" : "Disable";
        if (!ShouldProcess(host.Name, $"{action} executor host"))
        {
            return;
        }

        var updated = RunAsync(token => HostStore.SetEnabledAsync(host.Name, enabled, token));
        if (updated is null)
        {
            WriteError(HostNotFound(name));
            return;
        }

        WriteVerbose($"{action}d host {updated.Name}");
        if (passThru)
        {
            WriteObject(updated);
        }
    }

    /// <summary>
    /// Returns the hosts named in <paramref name="names"/>, writing HostNotFound for each
    /// unknown one; local names the local engine when no host of that name is stored. Without
    /// names it returns the stored hosts (only enabled ones with <paramref name="enabledOnly"/>),
    /// or the local engine when no host is stored.
    /// </summary>
    protected List<ExecutorHost> SelectHosts(string[]? names, bool enabledOnly)
    {
        var hosts = new List<ExecutorHost>();
        if (names is null)
        {
            var stored = RunAsync(HostStore.ListHostsAsync);
            if (stored.Count == 0)
            {
                return [ExecutorHost.Local()];
            }

            hosts.AddRange(stored.Where(host => host.Enabled || !enabledOnly));
            return hosts;
        }

        foreach (var name in names)
        {
            var host = RunAsync(token => HostStore.GetHostAsync(name, token));
            if (host is null && string.Equals(name, ExecutorHost.LocalName, StringComparison.OrdinalIgnoreCase))
            {
                host = ExecutorHost.Local();
            }

            if (host is null)
            {
                WriteError(HostNotFound(name));
                continue;
            }

            hosts.Add(host);
        }

        return hosts;
    }

    /// <summary>
    /// Returns the full file system path of a TLS file given relative to the current
    /// location; null or empty stays null, which means no file.
    /// </summary>
    protected string? ResolveTlsPath(string? path) =>
        string.IsNullOrEmpty(path) ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Converts a hashtable of labels to text keys and values; keys ignore case.</summary>
    /// <exception cref="ContainerManagerException">InvalidLabel for a value that has no single text form.</exception>
    protected static Dictionary<string, string> ToLabels(Hashtable? table) =>
        HashtableInput.ToDictionary(table, HashtableInput.ExecutorHostLabel, StringComparer.OrdinalIgnoreCase);
}
