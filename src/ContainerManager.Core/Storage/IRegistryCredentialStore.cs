using ContainerManager.Core.Credentials;

namespace ContainerManager.Core.Storage;

/// <summary>Durable registry credentials, one per registry.</summary>
public interface IRegistryCredentialStore
{
    /// <summary>Where the store lives, for messages.</summary>
    string Location { get; }

    /// <summary>
    /// Stores the credential for <paramref name="registry"/>, replacing any earlier one, and
    /// returns it without the password.
    /// </summary>
    /// <exception cref="Errors.ContainerManagerException">InvalidRegistry or InvalidCredential.</exception>
    Task<RegistryCredentialInfo> SetCredentialAsync(
        string registry,
        string userName,
        string password,
        CancellationToken cancellationToken);

    /// <summary>Returns the credential with its password for handing to an engine, or null.</summary>
    Task<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken);

    /// <summary>Returns every stored credential without its password, ordered by registry.</summary>
    Task<IReadOnlyList<RegistryCredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>Removes the credential; returns false when none is stored for the registry.</summary>
    Task<bool> RemoveCredentialAsync(string registry, CancellationToken cancellationToken);
}
