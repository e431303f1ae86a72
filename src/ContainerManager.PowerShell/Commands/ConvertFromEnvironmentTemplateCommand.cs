using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Parses .env files, .env text or a stored template and writes one object per variable,
/// without storing anything. Use it to check a template before New-EnvironmentTemplate.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "EnvironmentTemplate", DefaultParameterSetName = TextSet)]
[OutputType(typeof(TemplateVariable))]
public sealed class ConvertFromEnvironmentTemplateCommand : ContainerManagerCmdlet
{
    private const string PathSet = "Path";
    private const string TextSet = "Text";
    private const string NameSet = "Name";

    private readonly List<string> _textParts = [];

    // Piped input is .env text, as for the other ConvertFrom commands. PowerShell picks the
    // default parameter set before the first piped object arrives, so only one set can take
    // pipeline input: files are given with -Path.

    /// <summary>Paths of .env files, read as UTF-8 and taken literally, without wildcards.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>
    /// The .env text. Piped strings are joined with line breaks and parsed as one text, so
    /// Get-Content output works line by line or with -Raw.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    /// <summary>Name of a stored template to show; line numbers refer to its Text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Keys to mask besides those whose names look secret and those a stored template declares.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SecretKey { get; set; } = [];

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Only a stored template needs the store; parsing a file or text must not create one.
        if (ParameterSetName == NameSet)
        {
            base.BeginProcessing();
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case TextSet:
                _textParts.Add(Text);
                break;
            case NameSet:
                WriteStoredTemplate();
                break;
            default:
                foreach (var path in Path)
                {
                    WriteFile(path);
                }

                break;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == TextSet)
        {
            var content = EnvironmentTemplateContent.FromText(string.Join('\n', _textParts));
            WriteVariables(content);
        }
    }

    private void WriteFile(string path)
    {
        try
        {
            WriteVariables(TemplateInput.FromPath(this, path));
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    private void WriteVariables(EnvironmentTemplateContent content)
    {
        var document = TemplateInput.Parse(this, content);
        if (document is null)
        {
            return;
        }

        WriteObject(TemplateVariable.FromDocument(document, SecretKey), enumerateCollection: true);
    }

    private void WriteStoredTemplate()
    {
        try
        {
            var template = RunAsync(token => TemplateStore.GetTemplateAsync(Name, token))
                ?? throw TemplateErrors.NotFound(Name, TemplateStore.Location);
            var declared = template.SecretKeys.Concat(SecretKey).ToList();
            WriteObject(TemplateVariable.FromTemplate(template, declared), enumerateCollection: true);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }
}
