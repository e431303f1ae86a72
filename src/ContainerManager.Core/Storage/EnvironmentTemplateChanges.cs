using ContainerManager.Core.Templates;

namespace ContainerManager.Core.Storage;

/// <summary>Fields to change on a stored environment template. Null properties stay as they are.</summary>
public sealed class EnvironmentTemplateChanges
{
    /// <summary>New .env text and source, replacing all variables of the template.</summary>
    public EnvironmentTemplateContent? Content { get; init; }

    /// <summary>New description; an empty string removes the description.</summary>
    public string? Description { get; init; }

    /// <summary>New list of declared secret keys, replacing the old list; empty clears it.</summary>
    public IReadOnlyList<string>? SecretKeys { get; init; }

    /// <summary>Whether any field is set.</summary>
    public bool HasChanges => Content is not null || Description is not null || SecretKeys is not null;
}
