using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Templates;

/// <summary>
/// A named set of environment variables kept in the store, from which jobs take their
/// environment. Instances are snapshots; read the store again to see later changes.
/// </summary>
/// <remarks>
/// Every public member masks secret values: <see cref="Variables"/> and <see cref="Text"/>
/// show <see cref="SecretMask.Mask"/> in their place. Only <see cref="JobEnvironmentMerger"/>
/// reads the real values, to copy them into a job.
/// </remarks>
public sealed class EnvironmentTemplate
{
    /// <summary>Longest template name accepted.</summary>
    public const int MaxNameLength = 128;

    private EnvironmentTemplate(
        string name,
        string? description,
        EnvironmentTemplateContent content,
        IReadOnlyList<string> secretKeys,
        IReadOnlyDictionary<string, string> variableValues,
        string maskedText)
    {
        Name = name;
        Description = description;
        Content = content;
        SecretKeys = secretKeys;
        VariableValues = variableValues;
        Variables = SecretMask.MaskAll(variableValues, secretKeys);
        Text = maskedText;
    }

    /// <summary>Name, unique in the store ignoring letter case.</summary>
    public string Name { get; }

    /// <summary>Free text for people; null when none was given.</summary>
    public string? Description { get; }

    /// <summary>
    /// Variables in order of first definition, with the values of secret keys masked and secret
    /// values hidden inside other values.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>
    /// Keys declared secret for this template. Keys that <see cref="SecretKeyDetector"/>
    /// recognises are masked as well, whether declared or not.
    /// </summary>
    public IReadOnlyList<string> SecretKeys { get; }

    /// <summary>The .env text as stored, with each secret definition shown as <c>KEY=********</c>.</summary>
    public string Text { get; }

    /// <summary>Kind of input the text came from.</summary>
    public EnvironmentTemplateSource Source => Content.Source;

    /// <summary>Full path of the source file, or null when the text was not read from a file.</summary>
    public string? SourcePath => Content.SourcePath;

    /// <summary>Time the template was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>Time the template was last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; private init; }

    /// <summary>Unmasked variables, for building a job's environment.</summary>
    internal IReadOnlyDictionary<string, string> VariableValues { get; }

    /// <summary>Unmasked .env text and its source.</summary>
    internal EnvironmentTemplateContent Content { get; }

    /// <summary>
    /// Returns whether <paramref name="name"/> is a valid template name: 1 to
    /// <see cref="MaxNameLength"/> characters, the first an ASCII letter, digit or '_', the
    /// others ASCII letters, digits, '_', '.' or '-'.
    /// </summary>
    /// <remarks>
    /// Names are ASCII only because SQLite's NOCASE collation, which keeps names unique
    /// ignoring case, folds only ASCII letters.
    /// </remarks>
    public static bool IsValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        if (name.Length is 0 or > MaxNameLength || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
    }

    /// <summary>Throws InvalidTemplateName unless <see cref="IsValidName"/> accepts the name.</summary>
    /// <exception cref="ContainerManagerException">The name is invalid.</exception>
    public static void ValidateName(string name)
    {
        if (!IsValidName(name))
        {
            throw TemplateErrors.InvalidName(name);
        }
    }

    /// <summary>Formats the template as its name.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// Builds a template from its stored parts, parsing <paramref name="content"/> for the
    /// variables and the masked text.
    /// </summary>
    /// <exception cref="DotEnvParseException">The text has errors.</exception>
    internal static EnvironmentTemplate Create(
        string name,
        string? description,
        EnvironmentTemplateContent content,
        IReadOnlyList<string> secretKeys,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt)
    {
        var document = content.Parse();
        var values = document.ToDictionary();
        var maskedText = TemplateTextMasker.Mask(content.Text, document, secretKeys);
        return new EnvironmentTemplate(name, description, content, secretKeys, values, maskedText)
        {
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
        };
    }

    /// <summary>
    /// Returns <paramref name="keys"/> without blanks around them and without duplicates
    /// (ignoring case), in their first order.
    /// </summary>
    /// <exception cref="ContainerManagerException">InvalidSecretKey for an empty key or one with '='.</exception>
    internal static IReadOnlyList<string> NormalizeSecretKeys(IEnumerable<string> keys)
    {
        var normalized = new List<string>();
        foreach (var key in keys)
        {
            var trimmed = key?.Trim() ?? "";
            if (trimmed.Length == 0 || trimmed.Contains('=') || trimmed.Contains('\0'))
            {
                // Only the text before '=' is shown: "KEY=value" would put the value in the message.
                var name = trimmed.Split('=', '\0')[0];
                throw new ContainerManagerException(
                    "InvalidSecretKey",
                    ErrorKind.InvalidArgument,
                    $"A secret key is empty or contains '=' or NUL (it starts with '{name}'). Give " +
                    "each secret key as a variable name only, such as DB_PASSWORD, without a value.",
                    name);
            }

            if (!normalized.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                normalized.Add(trimmed);
            }
        }

        return normalized;
    }
}
