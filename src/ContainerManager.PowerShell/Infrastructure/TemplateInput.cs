using System.Collections;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Turns the -Path, -Text and -Variables input of the template cmdlets into parsed content.</summary>
internal static class TemplateInput
{
    /// <summary>
    /// Reads a .env file. The path is taken literally (no wildcards) and relative to the current
    /// PowerShell location.
    /// </summary>
    /// <exception cref="ContainerManagerException">TemplateFileNotFound or TemplateFileUnreadable.</exception>
    public static EnvironmentTemplateContent FromPath(PSCmdlet cmdlet, string path) =>
        EnvironmentTemplateContent.FromFile(cmdlet.GetUnresolvedProviderPathFromPSPath(path));

    /// <summary>
    /// Converts a hashtable to template content. A plain hashtable has no order, so its keys are
    /// sorted; an ordered dictionary keeps its order. Strings, numbers and booleans are converted
    /// to text with the invariant culture, and null becomes the empty string.
    /// </summary>
    /// <exception cref="ContainerManagerException">
    /// InvalidEnvironmentTemplate for a key that is not a valid name; InvalidEnvironmentValue for
    /// a value of another type, such as a list or a SecureString.
    /// </exception>
    public static EnvironmentTemplateContent FromVariables(IDictionary variables)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in variables)
        {
            var key = HashtableInput.ToKey(entry.Key);
            var value = HashtableInput.ToText(entry.Value, key, HashtableInput.TemplateVariable);
            pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        if (variables is Hashtable)
        {
            pairs.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
        }

        return EnvironmentTemplateContent.FromVariables(pairs);
    }

    /// <summary>
    /// Parses the content, writes one warning per duplicate key, and returns the document; or
    /// writes InvalidEnvironmentTemplate, listing every bad line, and returns null.
    /// </summary>
    public static DotEnvDocument? Parse(ContainerManagerCmdlet cmdlet, EnvironmentTemplateContent content)
    {
        var document = content.Parse();
        foreach (var warning in document.Warnings)
        {
            cmdlet.WriteWarning(warning.ToString());
        }

        if (document.IsValid)
        {
            return document;
        }

        cmdlet.WriteError(ErrorRecords.From(new DotEnvParseException(document.Source, document.Errors)));
        return null;
    }

    /// <summary>
    /// Warns about each declared secret key that the variables do not define, because a
    /// misspelt secret key leaves the real key unmasked.
    /// </summary>
    /// <param name="cmdlet">Cmdlet that writes the warnings.</param>
    /// <param name="secretKeys">Declared secret keys.</param>
    /// <param name="definedKeys">Keys the variables define.</param>
    /// <param name="owner">What defines the variables, for the message, such as "template 'web'".</param>
    public static void WarnAboutUndefinedSecretKeys(
        ContainerManagerCmdlet cmdlet,
        IEnumerable<string> secretKeys,
        IEnumerable<string> definedKeys,
        string owner)
    {
        var defined = definedKeys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in secretKeys.Where(key => !defined.Contains(key)))
        {
            cmdlet.WriteWarning(
                $"The secret key '{key}' is not defined in {owner}. Check its spelling, because " +
                "a misspelt secret key leaves the real key unmasked.");
        }
    }
}
