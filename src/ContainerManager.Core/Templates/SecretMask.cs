namespace ContainerManager.Core.Templates;

/// <summary>
/// Hides secret values before they are shown, logged or put in an error message.
/// </summary>
public static class SecretMask
{
    /// <summary>
    /// Text shown in place of a secret value. Its length is fixed, so it reveals nothing about
    /// the value.
    /// </summary>
    public const string Mask = "********";

    /// <summary>
    /// Minimum length of a value that <see cref="Redact"/> replaces. Shorter values such as
    /// <c>1</c> or <c>yes</c> would mask unrelated text all over a message.
    /// </summary>
    public const int MinimumRedactedLength = 4;

    /// <summary>
    /// Returns <see cref="Mask"/> when <paramref name="key"/> is a secret, else
    /// <paramref name="value"/> unchanged.
    /// </summary>
    /// <param name="key">Variable name.</param>
    /// <param name="value">Variable value.</param>
    /// <param name="declaredSecretKeys">
    /// Keys that the template or the user declared secret, compared ignoring case, in addition
    /// to those that <see cref="SecretKeyDetector.IsSecretKey"/> detects. Null means none.
    /// </param>
    public static string MaskValue(
        string key,
        string value,
        IReadOnlyCollection<string>? declaredSecretKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);

        return IsSecret(key, declaredSecretKeys) ? Mask : value;
    }

    /// <summary>
    /// Returns a copy of <paramref name="environment"/>, in its enumeration order, in which the
    /// value of every secret key is <see cref="Mask"/>. Other values are passed through
    /// <see cref="Redact"/>, because a reference such as <c>DB_URL=postgres://u:${DB_PASSWORD}@h</c>
    /// copies a secret into a key that does not look secret.
    /// </summary>
    /// <param name="environment">Variables to display.</param>
    /// <param name="declaredSecretKeys">Keys declared secret, as for <see cref="MaskValue"/>.</param>
    public static IReadOnlyDictionary<string, string> MaskAll(
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyCollection<string>? declaredSecretKeys)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var secretValues = GetSecretValues(environment, declaredSecretKeys);
        var masked = new InsertionOrderedDictionary();
        foreach (var (key, value) in environment)
        {
            var displayedValue = IsSecret(key, declaredSecretKeys) ? Mask : Redact(value, secretValues);
            masked.Set(key, displayedValue);
        }

        return masked;
    }

    /// <summary>
    /// Returns the values of the secret keys of <paramref name="environment"/>, for
    /// <see cref="Redact"/>.
    /// </summary>
    /// <param name="environment">Variables of a job.</param>
    /// <param name="declaredSecretKeys">Keys declared secret, as for <see cref="MaskValue"/>.</param>
    public static IReadOnlyList<string> GetSecretValues(
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyCollection<string>? declaredSecretKeys)
    {
        ArgumentNullException.ThrowIfNull(environment);

        return environment
            .Where(pair => IsSecret(pair.Key, declaredSecretKeys))
            .Select(pair => pair.Value)
            .ToList();
    }

    /// <summary>
    /// Replaces every occurrence of each secret value in <paramref name="text"/> with
    /// <see cref="Mask"/>, for scrubbing error messages and logs.
    /// </summary>
    /// <remarks>
    /// Values shorter than <see cref="MinimumRedactedLength"/> characters are not replaced, so
    /// such a secret can still appear. Longer values are replaced first, so a secret that
    /// contains another one is masked whole. Matching is ordinal (case-sensitive).
    /// </remarks>
    /// <param name="text">Message or log text.</param>
    /// <param name="secretValues">Values to hide. Null and short entries are skipped.</param>
    public static string Redact(string text, IEnumerable<string?> secretValues)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secretValues);

        var values = secretValues
            .Where(value => value is not null && value.Length >= MinimumRedactedLength)
            .Select(value => value!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(value => value.Length);

        var redacted = text;
        foreach (var value in values)
        {
            redacted = redacted.Replace(value, Mask, StringComparison.Ordinal);
        }

        return redacted;
    }

    /// <summary>
    /// Returns whether the value of <paramref name="key"/> must be masked: the key is declared
    /// secret (ignoring case) or <see cref="SecretKeyDetector.IsSecretKey"/> detects it.
    /// </summary>
    /// <param name="key">Variable name.</param>
    /// <param name="declaredSecretKeys">Keys declared secret, as for <see cref="MaskValue"/>.</param>
    public static bool IsSecret(string key, IReadOnlyCollection<string>? declaredSecretKeys)
    {
        ArgumentNullException.ThrowIfNull(key);

        var isDeclared = declaredSecretKeys is not null
            && declaredSecretKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
        return isDeclared || SecretKeyDetector.IsSecretKey(key);
    }
}
