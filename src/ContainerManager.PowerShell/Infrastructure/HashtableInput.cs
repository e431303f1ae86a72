using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Security;
using ContainerManager.Core.Errors;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Converts hashtable parameters (environment, labels, template variables) to text keys and
/// values. Only strings, characters, numbers, booleans and enum values are accepted, because
/// Convert.ToString turns any other object into its type name, such as System.Object[].
/// </summary>
internal static class HashtableInput
{
    /// <summary>A variable of -Environment of New-ContainerJob.</summary>
    public static readonly EntryKind EnvironmentVariable = new(
        "environment variable",
        "InvalidEnvironmentValue",
        "Pass the plain text and name the key in -SecretKey so that output masks it, or take the " +
        "variable from an environment template that declares it with -SecretKey.");

    /// <summary>A variable of -Variables of New-EnvironmentTemplate and Set-EnvironmentTemplate.</summary>
    public static readonly EntryKind TemplateVariable = new(
        "template variable",
        "InvalidEnvironmentValue",
        "Pass the plain text and name the key in -SecretKey so that output masks it.");

    /// <summary>A label of -Label of New-ContainerJob and Set-ContainerJob.</summary>
    public static readonly EntryKind ContainerLabel = new(
        "container label",
        "InvalidLabel",
        "Give a plain string, and keep secrets out of labels, because anyone who can inspect the " +
        "container can read them.");

    /// <summary>A label of -HostLabel of New-ContainerJob.</summary>
    public static readonly EntryKind HostLabel = new(
        "host label",
        "InvalidLabel",
        "Give a plain string, and keep secrets out of labels, because they are stored and shown as " +
        "plain text.");

    /// <summary>A label of -Labels of New-ExecutorHost and Set-ExecutorHost.</summary>
    public static readonly EntryKind ExecutorHostLabel = HostLabel with { Name = "executor host label" };

    /// <summary>
    /// Returns the entries as invariant-culture text; null gives an empty dictionary and a
    /// null value gives the empty string.
    /// </summary>
    /// <param name="table">Hashtable given by the user.</param>
    /// <param name="kind">What an entry sets, for the error.</param>
    /// <param name="keyComparer">Comparer of the returned keys; ordinal by default.</param>
    /// <exception cref="ContainerManagerException">
    /// The <see cref="EntryKind.ErrorId"/> of <paramref name="kind"/> when a value is not a
    /// string, character, number, boolean or enum value.
    /// </exception>
    public static Dictionary<string, string> ToDictionary(
        IDictionary? table,
        EntryKind kind,
        IEqualityComparer<string>? keyComparer = null)
    {
        var result = new Dictionary<string, string>(keyComparer ?? StringComparer.Ordinal);
        if (table is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in table)
        {
            var key = ToKey(entry.Key);
            result[key] = ToText(entry.Value, key, kind);
        }

        return result;
    }

    /// <summary>Returns a hashtable key as invariant-culture text.</summary>
    public static string ToKey(object? key) =>
        Convert.ToString(Unwrap(key), CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Returns the invariant-culture text of one value; see <see cref="ToDictionary"/> for
    /// the values that are accepted.
    /// </summary>
    /// <exception cref="ContainerManagerException">The value has no single text form.</exception>
    public static string ToText(object? value, string key, EntryKind kind)
    {
        value = Unwrap(value);
        if (value is null or string or char or bool or Enum
            or sbyte or byte or short or ushort or int or uint or long or ulong
            or float or double or decimal or BigInteger)
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        // The message names the key and the type only, because the value may be a secret.
        var message = value switch
        {
            SecureString or PSCredential =>
                $"The value of the {kind.Name} '{key}' is a {value.GetType().Name}, which ContainerManager " +
                $"does not decrypt. {kind.SecretAdvice}",
            IEnumerable =>
                $"The value of the {kind.Name} '{key}' is a list or table, which has no single text form. " +
                "Give a string, a number or a boolean.",
            _ =>
                $"The value of the {kind.Name} '{key}' is a {value.GetType().FullName}, which has no single " +
                "text form. Give a string, a number or a boolean, and convert other objects to text first.",
        };
        throw new ContainerManagerException(kind.ErrorId, ErrorKind.InvalidArgument, message, key);
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>What a hashtable entry sets, for the error message and its id.</summary>
    /// <param name="Name">Entry name in messages, such as "container label".</param>
    /// <param name="ErrorId">Error id for a value that has no text form.</param>
    /// <param name="SecretAdvice">Sentence on how to pass a secret instead of a SecureString.</param>
    internal sealed record EntryKind(string Name, string ErrorId, string SecretAdvice);
}
