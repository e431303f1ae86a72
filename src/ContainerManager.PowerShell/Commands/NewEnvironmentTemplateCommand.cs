using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Stores a named environment template from a .env file, .env text or a hashtable. Nothing is
/// stored when the template has errors.
/// </summary>
[Cmdlet(VerbsCommon.New, "EnvironmentTemplate", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(EnvironmentTemplate))]
public sealed class NewEnvironmentTemplateCommand : ContainerManagerCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    private const string PathSet = "Path";
    private const string TextSet = "Text";
    private const string VariablesSet = "Variables";

    /// <summary>Name of the new template, unique ignoring case; letters, digits, '_', '.' and '-'.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Path of a .env file, read as UTF-8; taken literally, without wildcards.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The .env text itself, with one KEY=VALUE definition per line.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    /// <summary>Variables as a hashtable of names and values; values are taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VariablesSet)]
    public IDictionary Variables { get; set; } = new Hashtable();

    /// <summary>Free text that says what the template is for.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Keys whose values are secret, besides those whose names look secret (such as *_PASSWORD).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SecretKey { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        EnvironmentTemplateContent content;
        try
        {
            EnvironmentTemplate.ValidateName(Name);
            content = ReadContent();
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
            return;
        }

        var document = TemplateInput.Parse(this, content);
        if (document is null)
        {
            return;
        }

        var definedKeys = document.Entries.Select(entry => entry.Key);
        TemplateInput.WarnAboutUndefinedSecretKeys(this, SecretKey, definedKeys, $"the template '{Name}'");
        if (!ShouldProcess($"environment template '{Name}' in {TemplateStore.Location}", "Create"))
        {
            return;
        }

        try
        {
            var template = RunAsync(token =>
                TemplateStore.CreateTemplateAsync(Name, content, Description, SecretKey, token));
            WriteVerbose($"Created environment template '{template.Name}' with {template.Variables.Count} " +
                $"variables from {content.SourceName}");
            WriteObject(template);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    private EnvironmentTemplateContent ReadContent() => ParameterSetName switch
    {
        TextSet => EnvironmentTemplateContent.FromText(Text),
        VariablesSet => TemplateInput.FromVariables(Variables),
        _ => TemplateInput.FromPath(this, Path),
    };
}
