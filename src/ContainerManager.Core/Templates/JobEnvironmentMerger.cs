using ContainerManager.Core.Jobs;

namespace ContainerManager.Core.Templates;

/// <summary>Builds a job's environment from environment templates and the user's own variables.</summary>
public static class JobEnvironmentMerger
{
    /// <summary>
    /// Sets the environment, template names and secret keys of <paramref name="spec"/>. The
    /// variables of the templates are applied in the given order, so a later template replaces
    /// a key of an earlier one, and <paramref name="overrides"/> replace the keys of every
    /// template. Keys are compared by ordinal (case-sensitive), like Linux environment names.
    /// </summary>
    /// <remarks>
    /// The job gets the unmasked values, and <c>${env:NAME}</c> references stay as text for the
    /// processor to resolve at launch. Its secret keys are the union of the keys declared by
    /// the templates and <paramref name="secretKeys"/>.
    /// </remarks>
    /// <param name="spec">Job request to fill; its other fields are left as they are.</param>
    /// <param name="templates">Templates in the order to apply them.</param>
    /// <param name="overrides">Variables given for this job alone.</param>
    /// <param name="secretKeys">Keys declared secret for this job alone.</param>
    /// <exception cref="Errors.ContainerManagerException">InvalidSecretKey for an empty secret key or one with '='.</exception>
    public static void Apply(
        JobSpec spec,
        IReadOnlyList<EnvironmentTemplate> templates,
        IReadOnlyDictionary<string, string> overrides,
        IEnumerable<string> secretKeys)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(secretKeys);

        var environment = new InsertionOrderedDictionary();
        foreach (var template in templates)
        {
            foreach (var (key, value) in template.VariableValues)
            {
                environment.Set(key, value);
            }
        }

        foreach (var (key, value) in overrides)
        {
            environment.Set(key, value);
        }

        var declared = templates.SelectMany(template => template.SecretKeys).Concat(secretKeys);
        spec.SecretKeys = EnvironmentTemplate.NormalizeSecretKeys(declared);
        spec.Environment = environment;
        spec.EnvironmentTemplates = templates.Select(template => template.Name).ToList();
    }
}
