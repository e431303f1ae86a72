using ContainerManager.Core.Templates;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Durable store of environment templates, kept beside the jobs that use them. Names are
/// unique and matched ignoring letter case. Implementations store secret values unmasked and
/// return them masked (see <see cref="EnvironmentTemplate"/>).
/// </summary>
public interface IEnvironmentTemplateStore
{
    /// <summary>Where the store lives, for messages (a file path for SQLite).</summary>
    string Location { get; }

    /// <summary>Validates and stores a new template.</summary>
    /// <param name="name">Template name; see <see cref="EnvironmentTemplate.IsValidName"/>.</param>
    /// <param name="content">The .env text and its source.</param>
    /// <param name="description">Free text, or null.</param>
    /// <param name="secretKeys">Keys to mask besides the detected ones.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.ContainerManagerException">
    /// InvalidTemplateName, InvalidSecretKey, InvalidEnvironmentTemplate
    /// (<see cref="DotEnvParseException"/>) or TemplateAlreadyExists; nothing is stored then.
    /// </exception>
    Task<EnvironmentTemplate> CreateTemplateAsync(
        string name,
        EnvironmentTemplateContent content,
        string? description,
        IReadOnlyList<string> secretKeys,
        CancellationToken cancellationToken);

    /// <summary>Returns the template with this name, ignoring case, or null.</summary>
    Task<EnvironmentTemplate?> GetTemplateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Returns every template, ordered by name ignoring case.</summary>
    Task<IReadOnlyList<EnvironmentTemplate>> ListTemplatesAsync(CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="changes"/> to a template and returns the result.</summary>
    /// <exception cref="Errors.ContainerManagerException">
    /// TemplateNotFound, InvalidSecretKey or InvalidEnvironmentTemplate; nothing changes then.
    /// </exception>
    Task<EnvironmentTemplate> UpdateTemplateAsync(
        string name,
        EnvironmentTemplateChanges changes,
        CancellationToken cancellationToken);

    /// <summary>
    /// Returns the ids of the Pending and Retrying jobs created from the template, ascending.
    /// </summary>
    Task<IReadOnlyList<long>> FindQueuedJobsUsingTemplateAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a template. Unless <paramref name="force"/> is set, the check for queued jobs
    /// that use it runs in the same write transaction as the removal. Jobs keep their own copy
    /// of the variables, so removing a template never changes a job.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">
    /// TemplateNotFound; TemplateInUse when Pending or Retrying jobs were created from it and
    /// <paramref name="force"/> is false.
    /// </exception>
    Task RemoveTemplateAsync(string name, bool force, CancellationToken cancellationToken);
}
