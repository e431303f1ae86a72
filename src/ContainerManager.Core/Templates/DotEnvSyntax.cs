namespace ContainerManager.Core.Templates;

/// <summary>
/// Name rules of the environment template format, shared by the parser and by
/// <see cref="EnvironmentReferenceResolver"/> so that both agree on what a reference is.
/// </summary>
internal static class DotEnvSyntax
{
    /// <summary>Prefix of a reference to the processor's environment, matched ignoring case.</summary>
    public const string ProcessorReferencePrefix = "env:";

    /// <summary>
    /// Returns whether <paramref name="key"/> matches <c>[A-Za-z_][A-Za-z0-9_.-]*</c>, the
    /// rule for keys defined in a template and for names inside <c>${...}</c>.
    /// </summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length == 0 || !IsNameStart(key[0]))
        {
            return false;
        }

        for (var i = 1; i < key.Length; i++)
        {
            var c = key[i];
            if (!IsNamePart(c) && c != '.' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Returns whether <paramref name="name"/> matches <c>[A-Za-z_][A-Za-z0-9_]*</c>, the
    /// portable POSIX rule used for processor variables in <c>${env:NAME}</c>.
    /// </summary>
    public static bool IsValidProcessorVariableName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!IsNamePart(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="c"/> may start a key or variable name.</summary>
    public static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    /// <summary>
    /// Returns whether <paramref name="c"/> may follow the first character of a name. These are
    /// also the characters of a bare <c>$NAME</c> reference.
    /// </summary>
    public static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Returns whether <paramref name="c"/> is a space or a tab.</summary>
    public static bool IsBlank(char c) => c == ' ' || c == '\t';

    /// <summary>
    /// Returns whether the text inside <c>${...}</c> starts with <c>env:</c> in any letter case,
    /// which makes it a reference to the processor's environment.
    /// </summary>
    public static bool IsProcessorReference(string braceContent) =>
        braceContent.StartsWith(ProcessorReferencePrefix, StringComparison.OrdinalIgnoreCase);
}
