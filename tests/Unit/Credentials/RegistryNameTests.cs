using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;

namespace ContainerManager.Tests.Credentials;

public class RegistryNameTests
{
    [Theory]
    [InlineData("127.0.0.1:15121", "127.0.0.1:15121")]
    [InlineData("Registry.Example:5000", "registry.example:5000")]
    [InlineData("https://registry.example/v2/", "registry.example")]
    [InlineData("http://localhost:5000", "localhost:5000")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("[::1]:5000", "[::1]:5000")]
    public void Normalize_ReturnsHostAndPort(string text, string expected)
    {
        Assert.Equal(expected, RegistryName.Normalize(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("registry:port")]
    [InlineData("-bad.example")]
    public void Normalize_Invalid_ThrowsInvalidRegistry(string text)
    {
        var error = Assert.Throws<ContainerManagerException>(() => RegistryName.Normalize(text));

        Assert.Equal("InvalidRegistry", error.ErrorId);
        Assert.Contains("registry.example:5000", error.Message);
    }
}
