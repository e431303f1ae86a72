using System.Globalization;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Templates;

/// <summary>Error ids and exceptions for environment templates, shared by the store and the cmdlets.</summary>
public static class TemplateErrors
{
    /// <summary>No template has the name.</summary>
    public const string NotFoundId = "TemplateNotFound";

    /// <summary>A template with the name, in any letter case, exists already.</summary>
    public const string AlreadyExistsId = "TemplateAlreadyExists";

    /// <summary>Pending or Retrying jobs were created from the template.</summary>
    public const string InUseId = "TemplateInUse";

    /// <summary>The template name breaks the naming rule.</summary>
    public const string InvalidNameId = "InvalidTemplateName";

    /// <summary>A template file does not exist.</summary>
    public const string FileNotFoundId = "TemplateFileNotFound";

    /// <summary>A template file exists but could not be read.</summary>
    public const string FileUnreadableId = "TemplateFileUnreadable";

    /// <summary>A template's text is longer than <see cref="EnvironmentTemplateContent.MaxTextBytes"/>.</summary>
    public const string TooLargeId = "TemplateTooLarge";

    /// <summary>Returns the exception for a name that no stored template has.</summary>
    /// <param name="name">Name as the user gave it.</param>
    /// <param name="storeLocation">Store that was searched, for the message.</param>
    public static ContainerManagerException NotFound(string name, string storeLocation) =>
        new(
            NotFoundId,
            ErrorKind.ObjectNotFound,
            $"No environment template named '{name}' exists in the store '{storeLocation}'. " +
            "List the templates with Get-EnvironmentTemplate.",
            name);

    /// <summary>Returns the exception for a name that is taken.</summary>
    /// <param name="name">Name as the user gave it.</param>
    /// <param name="existingName">Name of the stored template, which may differ in letter case.</param>
    public static ContainerManagerException AlreadyExists(string name, string existingName) =>
        new(
            AlreadyExistsId,
            ErrorKind.InvalidOperation,
            $"An environment template named '{existingName}' already exists, and template names " +
            "are compared ignoring case. Choose another name, or change the template with " +
            "Set-EnvironmentTemplate.",
            name);

    /// <summary>Returns the exception for removing a template that queued jobs were created from.</summary>
    /// <param name="name">Name of the template.</param>
    /// <param name="jobIds">Ids of the Pending or Retrying jobs.</param>
    /// <param name="target">Target object of the error, such as the template; defaults to the name.</param>
    public static ContainerManagerException InUse(string name, IReadOnlyList<long> jobIds, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(jobIds);

        var noun = jobIds.Count == 1 ? "job" : "jobs";
        var ids = string.Join(", ", jobIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        return new ContainerManagerException(
            InUseId,
            ErrorKind.InvalidOperation,
            $"The environment template '{name}' was used by Pending or Retrying {noun} " +
            $"{ids}. Those jobs keep their own copy of the variables, so they still run after the " +
            "removal. Wait until they have run, or add -Force to remove the template now.",
            target ?? name);
    }

    /// <summary>Returns the exception for a name that breaks the naming rule.</summary>
    /// <param name="name">Name as the user gave it.</param>
    public static ContainerManagerException InvalidName(string name) =>
        new(
            InvalidNameId,
            ErrorKind.InvalidArgument,
            $"The environment template name '{name}' is invalid. A name has 1 to " +
            $"{EnvironmentTemplate.MaxNameLength} characters, starts with a letter, digit or '_', " +
            "and contains only letters, digits, '_', '.' and '-'.",
            name);

    /// <summary>Returns the exception for hashtable keys that are not valid .env keys.</summary>
    /// <param name="keys">Every invalid key.</param>
    internal static ContainerManagerException InvalidHashtableKeys(IReadOnlyList<string> keys)
    {
        var quoted = string.Join(", ", keys.Select(key => $"'{key}'"));
        var noun = keys.Count == 1 ? "key" : "keys";
        return new ContainerManagerException(
            DotEnvParseException.InvalidTemplateErrorId,
            ErrorKind.InvalidArgument,
            $"Environment template '{EnvironmentTemplateContent.HashtableSourceName}' is invalid: " +
            $"the {noun} {quoted} cannot be variable names. A key starts with a letter or '_' and " +
            "contains only letters, digits, '_', '.' and '-'.",
            keys.ToArray());
    }
}
