using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Changes a stored environment template: replaces its variables from a file, text or a
/// hashtable, or changes its description or declared secret keys. Jobs queued earlier keep
/// the variables they were created with.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EnvironmentTemplate", SupportsShouldProcess = true, DefaultParameterSetName = PropertiesSet)]
[OutputType(typeof(EnvironmentTemplate))]
public sealed class SetEnvironmentTemplateCommand : ContainerManagerCmdlet
{
    private const string PropertiesSet = "Properties";
    private const string PathSet = "Path";
    private const string TextSet = "Text";
    private const string VariablesSet = "Variables";

    /// <summary>Name of the template, matched ignoring case; binds from the Name property of piped templates.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Path of a .env file whose variables replace all variables of the template.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    // Text and Variables never bind from piped templates: their Text property is masked and
    // would overwrite the real values.

    /// <summary>The .env text whose variables replace all variables of the template.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    /// <summary>Hashtable of names and values that replace all variables of the template.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VariablesSet)]
    public IDictionary Variables { get; set; } = new Hashtable();

    /// <summary>New description; an empty string removes it.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Description { get; set; }

    /// <summary>Keys declared secret, replacing the declared list; an empty array clears it.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? SecretKey { get; set; }

    /// <summary>Writes the changed template to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == PropertiesSet && Description is null && SecretKey is null)
        {
            ThrowTerminatingError(ErrorRecords.Create(
                "NoTemplateChange",
                ErrorKind.InvalidArgument,
                "Nothing to change. Give -Path, -Text or -Variables to replace the variables, or " +
                "-Description or -SecretKey.",
                null));
        }

        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            SetTemplate();
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    private void SetTemplate()
    {
        var current = RunAsync(token => TemplateStore.GetTemplateAsync(Name, token))
            ?? throw TemplateErrors.NotFound(Name, TemplateStore.Location);

        EnvironmentTemplateContent? content = null;
        if (ParameterSetName != PropertiesSet)
        {
            content = ReadContent();
            if (TemplateInput.Parse(this, content) is null)
            {
                return;
            }
        }

        if (!ShouldProcess($"environment template '{current.Name}' in {TemplateStore.Location}", "Change"))
        {
            return;
        }

        var changes = new EnvironmentTemplateChanges
        {
            Content = content,
            Description = Description,
            SecretKeys = SecretKey,
        };
        var updated = RunAsync(token => TemplateStore.UpdateTemplateAsync(current.Name, changes, token));
        TemplateInput.WarnAboutUndefinedSecretKeys(
            this, updated.SecretKeys, updated.Variables.Keys, $"the template '{updated.Name}'");
        WriteVerbose($"Changed environment template '{updated.Name}'; it has {updated.Variables.Count} variables");
        if (PassThru.IsPresent)
        {
            WriteObject(updated);
        }
    }

    private EnvironmentTemplateContent ReadContent() => ParameterSetName switch
    {
        TextSet => EnvironmentTemplateContent.FromText(Text),
        VariablesSet => TemplateInput.FromVariables(Variables),
        _ => TemplateInput.FromPath(this, Path),
    };
}
