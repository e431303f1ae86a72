using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Credentials;

/// <summary>Returns the credentials stored with Set-CmRegistryCredential.</summary>
public sealed class StoredRegistryCredentialProvider : IRegistryCredentialProvider
{
    private readonly IRegistryCredentialStore _store;

    /// <summary>Creates a provider that reads <paramref name="store"/> on every call.</summary>
    public StoredRegistryCredentialProvider(IRegistryCredentialStore store)
    {
        _store = store;
    }

    /// <inheritdoc />
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        _store.GetCredentialAsync(registry, cancellationToken);
}
