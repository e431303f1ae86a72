using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets stored environment templates by name, or lists them all. Secret values are masked.</summary>
[Cmdlet(VerbsCommon.Get, "EnvironmentTemplate")]
[OutputType(typeof(EnvironmentTemplate))]
public sealed class GetEnvironmentTemplateCommand : ContainerManagerCmdlet
{
    /// <summary>Names of the templates, matched ignoring case; * and ? are wildcards. Omit it to list all.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            WriteTemplates();
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    private void WriteTemplates()
    {
        if (Name is null)
        {
            WriteObject(RunAsync(TemplateStore.ListTemplatesAsync), enumerateCollection: true);
            return;
        }

        IReadOnlyList<EnvironmentTemplate>? all = null;
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                // A pattern that matches nothing is not an error, as with Get-ChildItem.
                all ??= RunAsync(TemplateStore.ListTemplatesAsync);
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteObject(all.Where(template => pattern.IsMatch(template.Name)), enumerateCollection: true);
                continue;
            }

            var found = RunAsync(token => TemplateStore.GetTemplateAsync(name, token));
            if (found is null)
            {
                WriteCoreError(TemplateErrors.NotFound(name, TemplateStore.Location));
                continue;
            }

            WriteObject(found);
        }
    }
}
