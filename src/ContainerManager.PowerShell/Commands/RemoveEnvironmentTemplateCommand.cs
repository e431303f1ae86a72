using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Removes stored environment templates. A template that Pending or Retrying jobs were created
/// from is kept unless -Force is given; those jobs keep their own copy of the variables.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "EnvironmentTemplate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveEnvironmentTemplateCommand : ContainerManagerCmdlet
{
    /// <summary>Names of the templates, matched ignoring case; binds from the Name property of piped templates.</summary>
    // Bound by value only: binding by property name would take the Name of any piped
    // object, so a piped job could remove a template or host that shares its name.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes a template even when Pending or Retrying jobs were created from it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            try
            {
                Remove(name);
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
            }
        }
    }

    private void Remove(string name)
    {
        var template = RunAsync(token => TemplateStore.GetTemplateAsync(name, token))
            ?? throw TemplateErrors.NotFound(name, TemplateStore.Location);

        // Checked before the prompt, so the user is not asked about a removal that would fail;
        // the store checks again in the removing transaction.
        if (!Force.IsPresent)
        {
            var jobIds = RunAsync(token => TemplateStore.FindQueuedJobsUsingTemplateAsync(template.Name, token));
            if (jobIds.Count > 0)
            {
                throw TemplateErrors.InUse(template.Name, jobIds, template);
            }
        }

        if (!ShouldProcess($"environment template '{template.Name}' in {TemplateStore.Location}", "Remove"))
        {
            return;
        }

        RunAsync(token => TemplateStore.RemoveTemplateAsync(template.Name, Force.IsPresent, token));
        WriteVerbose($"Removed environment template '{template.Name}'");
    }
}
