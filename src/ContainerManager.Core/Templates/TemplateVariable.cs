namespace ContainerManager.Core.Templates;

/// <summary>
/// One variable of a parsed environment template, for display: the value of a secret key is
/// masked, and secret values inside other values are hidden.
/// </summary>
public sealed class TemplateVariable
{
    private TemplateVariable(string key, string value, bool isSecret, int lineNumber, string source)
    {
        Key = key;
        Value = value;
        IsSecret = isSecret;
        LineNumber = lineNumber;
        Source = source;
    }

    /// <summary>Variable name.</summary>
    public string Key { get; }

    /// <summary>Final value, or <see cref="SecretMask.Mask"/> when the key is secret.</summary>
    public string Value { get; }

    /// <summary>Whether the key is declared secret or looks like a secret.</summary>
    public bool IsSecret { get; }

    /// <summary>1-based line of the definition that gives the final value.</summary>
    public int LineNumber { get; }

    /// <summary>File path, template name or other name of the text the variable comes from.</summary>
    public string Source { get; }

    /// <summary>
    /// Returns one variable per distinct key of <paramref name="document"/>, in order of each
    /// key's first definition, with the value and line of its last definition.
    /// </summary>
    /// <param name="document">A parsed template without errors.</param>
    /// <param name="declaredSecretKeys">Keys declared secret, besides the detected ones.</param>
    /// <exception cref="DotEnvParseException">The document has errors.</exception>
    public static IReadOnlyList<TemplateVariable> FromDocument(
        DotEnvDocument document,
        IReadOnlyCollection<string> declaredSecretKeys)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(declaredSecretKeys);

        var values = document.ToDictionary();
        var lastLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in document.Entries)
        {
            lastLines[entry.Key] = entry.LineNumber;
        }

        var masked = SecretMask.MaskAll(values, declaredSecretKeys);
        return values.Keys
            .Select(key => new TemplateVariable(
                key,
                masked[key],
                SecretMask.IsSecret(key, declaredSecretKeys),
                lastLines[key],
                document.Source))
            .ToList();
    }

    /// <summary>
    /// Returns the variables of a stored template. Line numbers refer to the template's
    /// <see cref="EnvironmentTemplate.Text"/>, and the source is the template's name.
    /// </summary>
    /// <param name="template">Stored template.</param>
    /// <param name="declaredSecretKeys">
    /// Keys to mask besides the detected ones; null means the keys the template declares.
    /// </param>
    public static IReadOnlyList<TemplateVariable> FromTemplate(
        EnvironmentTemplate template,
        IReadOnlyCollection<string>? declaredSecretKeys = null)
    {
        ArgumentNullException.ThrowIfNull(template);

        var document = DotEnvParser.Parse(template.Content.Text, template.Name);
        return FromDocument(document, declaredSecretKeys ?? template.SecretKeys);
    }

    /// <summary>Formats the variable as <c>KEY=value</c>, with the value masked if secret.</summary>
    public override string ToString() => $"{Key}={Value}";
}
