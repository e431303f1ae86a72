namespace ContainerManager.Core.Credentials;

/// <summary>Finds the credential to pull from a registry with.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>
    /// Returns the credential for <paramref name="registry"/> (host and optional port, as
    /// <see cref="RegistryName.Normalize"/> returns it), or null to pull anonymously.
    /// </summary>
    /// <exception cref="Execution.ExecutorException">
    /// A permanent failure when a credential is configured but cannot be used, such as a
    /// Docker credential helper.
    /// </exception>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
