using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Storage;

public class SqliteRegistryCredentialStoreTests
{
    [Fact]
    public async Task Set_ThenGet_ReturnsCredentialUnderNormalizedName()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);

        var info = await credentials.SetCredentialAsync("HTTPS://Registry.Example:5000/v2/", "robot", "s3cret", default);
        var read = await credentials.GetCredentialAsync("registry.example:5000", default);

        Assert.Equal("registry.example:5000", info.Registry);
        Assert.Equal("robot", info.UserName);
        Assert.NotNull(read);
        Assert.Equal("robot", read.UserName);
        Assert.Equal("s3cret", read.Password);
        Assert.Equal(SqliteRegistryCredentialStore.SourceName, read.Source);
        Assert.DoesNotContain("s3cret", read.ToString());
    }

    [Fact]
    public async Task Set_DockerHubAlias_IsStoredAsDockerIo()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);

        await credentials.SetCredentialAsync("https://index.docker.io/v1/", "me", "pw", default);

        Assert.NotNull(await credentials.GetCredentialAsync("docker.io", default));
    }

    [Fact]
    public async Task Set_Twice_ReplacesSecretAndKeepsCreationTime()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);

        var first = await credentials.SetCredentialAsync("127.0.0.1:5000", "old", "one", default);
        await Task.Delay(20);
        var second = await credentials.SetCredentialAsync("127.0.0.1:5000", "new", "two", default);
        var read = await credentials.GetCredentialAsync("127.0.0.1:5000", default);

        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.True(second.UpdatedAt > first.UpdatedAt);
        Assert.Equal("new", read!.UserName);
        Assert.Equal("two", read.Password);
        Assert.Single(await credentials.ListCredentialsAsync(default));
    }

    [Theory]
    [InlineData("", "InvalidRegistry")]
    [InlineData("not a registry", "InvalidRegistry")]
    [InlineData("host:port", "InvalidRegistry")]
    public async Task Set_InvalidRegistry_StoresNothing(string registry, string errorId)
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            credentials.SetCredentialAsync(registry, "user", "pw", default));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(await credentials.ListCredentialsAsync(default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("user:name")]
    public async Task Set_InvalidUserName_StoresNothing(string userName)
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            credentials.SetCredentialAsync("127.0.0.1:5000", userName, "pw", default));

        Assert.Equal("InvalidCredential", error.ErrorId);
        Assert.Empty(await credentials.ListCredentialsAsync(default));
    }

    [Fact]
    public async Task List_OrdersByRegistryAndHasNoPassword()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync("b.example", "u", "pw", default);
        await credentials.SetCredentialAsync("a.example", "u", "pw", default);

        var listed = await credentials.ListCredentialsAsync(default);

        Assert.Equal(["a.example", "b.example"], listed.Select(c => c.Registry));
        Assert.DoesNotContain(typeof(RegistryCredentialInfo).GetProperties(),
            p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Remove_ReturnsWhetherCredentialExisted()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync("a.example", "u", "pw", default);

        Assert.True(await credentials.RemoveCredentialAsync("A.EXAMPLE", default));
        Assert.False(await credentials.RemoveCredentialAsync("a.example", default));
        Assert.Null(await credentials.GetCredentialAsync("a.example", default));
    }
}
