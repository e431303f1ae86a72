using System.Text;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Templates;

/// <summary>
/// Replaces <c>${env:NAME}</c> references in job variables with variables of the processor's
/// environment, at launch time.
/// </summary>
/// <remarks>
/// A reference is <c>${env:NAME}</c>, with <c>env</c> in any letter case and NAME matching
/// <c>[A-Za-z_][A-Za-z0-9_]*</c>, as <see cref="DotEnvParser"/> accepts it. Other text,
/// including a malformed <c>${env:...}</c>, is left unchanged. Replacement is a single pass,
/// so a processor value that itself contains <c>${env:X}</c> is inserted as it is.
/// </remarks>
public static class EnvironmentReferenceResolver
{
    /// <summary>Error id used when a referenced processor variable is not set.</summary>
    public const string MissingReferenceErrorId = "EnvironmentReferenceMissing";

    /// <summary>
    /// Returns a copy of <paramref name="environment"/>, in its enumeration order, with every
    /// <c>${env:NAME}</c> replaced by <c>lookup(NAME)</c>.
    /// </summary>
    /// <param name="environment">
    /// Job variables, as produced by <see cref="DotEnvDocument.ToDictionary"/>.
    /// </param>
    /// <param name="lookup">
    /// Returns the processor's value of a variable, or null when it is not set. An empty string
    /// is a set variable. Called once per distinct name, for example
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>.
    /// </param>
    /// <exception cref="ContainerManagerException">
    /// One or more referenced variables are not set (error id <see cref="MissingReferenceErrorId"/>,
    /// kind <see cref="ErrorKind.InvalidArgument"/>). The message names every job variable and
    /// processor variable concerned but no value, and the target object is the array of the
    /// missing processor variable names.
    /// </exception>
    public static IReadOnlyDictionary<string, string> Resolve(
        IReadOnlyDictionary<string, string> environment,
        Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(lookup);

        var processorValues = new Dictionary<string, string?>(StringComparer.Ordinal);
        var missing = new List<(string Key, string Name)>();
        var resolved = new InsertionOrderedDictionary();
        foreach (var (key, value) in environment)
        {
            var result = new StringBuilder(value.Length);
            var copied = 0;
            foreach (var reference in EnumerateReferences(value))
            {
                result.Append(value, copied, reference.Start - copied);
                copied = reference.Start + reference.Length;

                if (!processorValues.TryGetValue(reference.Name, out var processorValue))
                {
                    processorValue = lookup(reference.Name);
                    processorValues[reference.Name] = processorValue;
                }

                if (processorValue is null)
                {
                    if (!missing.Contains((key, reference.Name)))
                    {
                        missing.Add((key, reference.Name));
                    }

                    continue;
                }

                result.Append(processorValue);
            }

            result.Append(value, copied, value.Length - copied);
            resolved.Set(key, result.ToString());
        }

        if (missing.Count > 0)
        {
            throw CreateMissingReferenceException(missing);
        }

        return resolved;
    }

    /// <summary>
    /// Returns the names of the processor variables that <paramref name="environment"/> refers
    /// to, without duplicates, in order of first appearance.
    /// </summary>
    /// <param name="environment">Job variables.</param>
    public static IReadOnlyCollection<string> FindReferences(
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var value in environment.Values)
        {
            foreach (var reference in EnumerateReferences(value))
            {
                if (seen.Add(reference.Name))
                {
                    names.Add(reference.Name);
                }
            }
        }

        return names;
    }

    private static IEnumerable<Reference> EnumerateReferences(string value)
    {
        var start = value.IndexOf("${", StringComparison.Ordinal);
        while (start >= 0)
        {
            var close = value.IndexOf('}', start + 2);
            if (close < 0)
            {
                yield break;
            }

            var content = value[(start + 2)..close];
            var name = DotEnvSyntax.IsProcessorReference(content)
                ? content[DotEnvSyntax.ProcessorReferencePrefix.Length..]
                : null;
            if (name is not null && DotEnvSyntax.IsValidProcessorVariableName(name))
            {
                yield return new Reference(start, close + 1 - start, name);
                start = value.IndexOf("${", close + 1, StringComparison.Ordinal);
            }
            else
            {
                // Not a reference, but a reference may start inside it, as in "${${env:X}}".
                start = value.IndexOf("${", start + 2, StringComparison.Ordinal);
            }
        }
    }

    private static ContainerManagerException CreateMissingReferenceException(
        List<(string Key, string Name)> missing)
    {
        var missingNames = missing.Select(item => item.Name).Distinct(StringComparer.Ordinal).ToArray();
        var namesText = string.Join(", ", missingNames);
        var advice = $"Set {namesText} in the processor's environment, then start the job again.";

        string message;
        if (missing.Count == 1)
        {
            var (key, name) = missing[0];
            message = $"Job variable '{key}' refers to ${{env:{name}}}, but {name} is not set in the "
                + $"processor's environment. {advice}";
        }
        else
        {
            var lines = missing.Select(item => $"  '{item.Key}' refers to ${{env:{item.Name}}}");
            message = "Job variables refer to variables that are not set in the processor's "
                + $"environment:\n{string.Join('\n', lines)}\n{advice}";
        }

        return new ContainerManagerException(
            MissingReferenceErrorId,
            ErrorKind.InvalidArgument,
            message,
            missingNames);
    }

    private readonly record struct Reference(int Start, int Length, string Name);
}
