namespace ContainerManager.Core.Credentials;

/// <summary>Finds the credential to pull from a registry with.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>
    /// Returns the credential for <paramref name="registry"/> (host and optional port, as
    /// <see cref="RegistryName.Normalize"/> returns it), or null to pull anonymously. A
    /// credential kept by a Docker credential helper is returned without a secret, with
    /// <see cref="RegistryCredential.CredentialHelper"/> set.
    /// </summary>
    /// <exception cref="Execution.ExecutorException">
    /// A permanent failure when the credential source cannot be read, such as an invalid
    /// Docker config file.
    /// </exception>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
