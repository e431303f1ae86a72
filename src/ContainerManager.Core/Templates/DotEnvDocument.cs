namespace ContainerManager.Core.Templates;

/// <summary>
/// Result of parsing one environment template: its entries in file order and every error and
/// warning found. Created by <see cref="DotEnvParser.Parse"/>.
/// </summary>
public sealed class DotEnvDocument
{
    internal DotEnvDocument(
        string source,
        IReadOnlyList<DotEnvEntry> entries,
        IReadOnlyList<DotEnvDiagnostic> warnings,
        IReadOnlyList<DotEnvDiagnostic> errors)
    {
        Source = source;
        Entries = entries;
        Warnings = warnings;
        Errors = errors;
    }

    /// <summary>File path or other name of the template, as given to the parser.</summary>
    public string Source { get; }

    /// <summary>
    /// Definitions in file order, including every definition of a key that is defined more than
    /// once. A line with an error has no entry, and neither has a line whose value refers to a
    /// key whose own line has an error.
    /// </summary>
    public IReadOnlyList<DotEnvEntry> Entries { get; }

    /// <summary>
    /// Problems that do not stop the template from being used, such as a duplicate key.
    /// </summary>
    public IReadOnlyList<DotEnvDiagnostic> Warnings { get; }

    /// <summary>Every malformed line and failed reference, in line order.</summary>
    public IReadOnlyList<DotEnvDiagnostic> Errors { get; }

    /// <summary>Whether the template has no errors. Warnings do not make it invalid.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// Returns the variables with ordinal (case-sensitive) keys, the last definition of each key
    /// winning, enumerated in order of each key's first definition.
    /// </summary>
    /// <exception cref="DotEnvParseException">The template has errors.</exception>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        // A partial environment could start a container with a variable missing, so reject it.
        ThrowIfInvalid();

        var variables = new InsertionOrderedDictionary();
        foreach (var entry in Entries)
        {
            variables.Set(entry.Key, entry.Value);
        }

        return variables;
    }

    /// <summary>Throws when the template has errors. Warnings alone do not throw.</summary>
    /// <exception cref="DotEnvParseException">The template has errors, which the exception lists.</exception>
    public void ThrowIfInvalid()
    {
        if (IsValid)
        {
            return;
        }

        throw new DotEnvParseException(Source, Errors);
    }
}
