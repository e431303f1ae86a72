using System.Text;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Execution;

namespace ContainerManager.Tests.Credentials;

public sealed class DockerConfigCredentialProviderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cm-docker-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Auth_DecodesUserAndPassword()
    {
        WriteConfig($$"""{ "auths": { "127.0.0.1:5000": { "auth": "{{Base64("robot:pa:ss")}}" } } }""");

        var credential = await Provider().GetAsync("127.0.0.1:5000", default);

        Assert.NotNull(credential);
        Assert.Equal("robot", credential.UserName);
        Assert.Equal("pa:ss", credential.Password);
        Assert.Equal("127.0.0.1:5000", credential.Registry);
        Assert.Equal(Path.Combine(_folder, "config.json"), credential.Source);
    }

    [Fact]
    public async Task DockerHubKey_MatchesDockerIo()
    {
        WriteConfig($$"""{ "auths": { "https://index.docker.io/v1/": { "auth": "{{Base64("me:pw")}}" } } }""");

        var credential = await Provider().GetAsync("docker.io", default);

        Assert.Equal("me", credential!.UserName);
    }

    [Fact]
    public async Task KeyWithScheme_MatchesRegistry()
    {
        WriteConfig($$"""{ "auths": { "http://Registry.Example:5000": { "auth": "{{Base64("me:pw")}}" } } }""");

        Assert.NotNull(await Provider().GetAsync("registry.example:5000", default));
    }

    [Fact]
    public async Task UserNameAndPasswordFields_AreRead()
    {
        WriteConfig("""{ "auths": { "a.example": { "username": "u", "password": "p" } } }""");

        var credential = await Provider().GetAsync("a.example", default);

        Assert.Equal("u", credential!.UserName);
        Assert.Equal("p", credential.Password);
    }

    [Fact]
    public async Task IdentityToken_IsRead()
    {
        WriteConfig("""{ "auths": { "a.example": { "identitytoken": "refresh-token" } } }""");

        var credential = await Provider().GetAsync("a.example", default);

        Assert.Equal("refresh-token", credential!.IdentityToken);
        Assert.Equal("", credential.UserName);
    }

    [Fact]
    public async Task OtherRegistry_ReturnsNull()
    {
        WriteConfig($$"""{ "auths": { "a.example": { "auth": "{{Base64("u:p")}}" } } }""");

        Assert.Null(await Provider().GetAsync("b.example", default));
    }

    [Fact]
    public async Task MissingFile_ReturnsNull()
    {
        Assert.Null(await Provider().GetAsync("a.example", default));
    }

    [Fact]
    public async Task CredentialHelperForRegistry_ReturnsHelperWithoutSecret()
    {
        WriteConfig("""{ "credHelpers": { "a.example": "ecr-login" }, "auths": { "a.example": { "auth": "dTpw" } } }""");

        var credential = await Provider().GetAsync("a.example", default);

        Assert.NotNull(credential);
        Assert.Equal("ecr-login", credential.CredentialHelper);
        Assert.False(credential.IsUsable);
        Assert.Equal("", credential.Password);
        Assert.Equal(Path.Combine(_folder, "config.json"), credential.Source);
    }

    [Fact]
    public async Task CredsStoreWithEmptyEntry_ReturnsHelperWithoutSecret()
    {
        WriteConfig("""{ "auths": { "https://index.docker.io/v1/": {} }, "credsStore": "desktop" }""");

        var credential = await Provider().GetAsync("docker.io", default);

        Assert.Equal("desktop", credential!.CredentialHelper);
        Assert.False(credential.IsUsable);
    }

    [Fact]
    public async Task CredsStoreWithAuthInFile_UsesTheFile()
    {
        WriteConfig($$"""{ "auths": { "a.example": { "auth": "{{Base64("u:p")}}" } }, "credsStore": "desktop" }""");

        var credential = await Provider().GetAsync("a.example", default);

        Assert.True(credential!.IsUsable);
        Assert.Equal("u", credential.UserName);
    }

    [Fact]
    public async Task CredsStoreWithoutEntry_ReturnsNull()
    {
        WriteConfig("""{ "credsStore": "desktop" }""");

        Assert.Null(await Provider().GetAsync("a.example", default));
    }

    [Fact]
    public async Task InvalidJson_IsReportedWithPath()
    {
        WriteConfig("{ not json");

        var error = await Assert.ThrowsAsync<ExecutorException>(() => Provider().GetAsync("a.example", default));

        Assert.Equal("DockerConfigInvalid", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains(Path.Combine(_folder, "config.json"), error.Message);
    }

    [Fact]
    public async Task AuthNotBase64_IsReportedWithoutTheValue()
    {
        WriteConfig("""{ "auths": { "a.example": { "auth": "%%%secret%%%" } } }""");

        var error = await Assert.ThrowsAsync<ExecutorException>(() => Provider().GetAsync("a.example", default));

        Assert.Equal("DockerConfigInvalid", error.ErrorId);
        Assert.Contains("a.example", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public async Task Chain_ReturnsFirstCredentialFound()
    {
        WriteConfig($$"""{ "auths": { "a.example": { "auth": "{{Base64("from-file:pw")}}" }, "b.example": { "auth": "{{Base64("file-b:pw")}}" } } }""");
        var other = Directory.CreateTempSubdirectory("cm-docker-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(other, "config.json"),
                $$"""{ "auths": { "a.example": { "auth": "{{Base64("first:pw")}}" } } }""");
            var chain = new RegistryCredentialChain(new DockerConfigCredentialProvider(other), Provider());

            Assert.Equal("first", (await chain.GetAsync("a.example", default))!.UserName);
            Assert.Equal("file-b", (await chain.GetAsync("b.example", default))!.UserName);
            Assert.Null(await chain.GetAsync("c.example", default));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task Chain_PrefersUsableCredentialOverHelperOnly()
    {
        WriteConfig("""{ "credHelpers": { "a.example": "pass" } }""");
        var other = Directory.CreateTempSubdirectory("cm-docker-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(other, "config.json"),
                $$"""{ "auths": { "a.example": { "auth": "{{Base64("later:pw")}}" } } }""");
            var helperFirst = new RegistryCredentialChain(Provider(), new DockerConfigCredentialProvider(other));
            var helperOnly = new RegistryCredentialChain(Provider());

            Assert.Equal("later", (await helperFirst.GetAsync("a.example", default))!.UserName);
            Assert.Equal("pass", (await helperOnly.GetAsync("a.example", default))!.CredentialHelper);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    private DockerConfigCredentialProvider Provider() => new(_folder);

    private void WriteConfig(string json) => File.WriteAllText(Path.Combine(_folder, "config.json"), json);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
