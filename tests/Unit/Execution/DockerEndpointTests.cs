using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution.Docker;

namespace ContainerManager.Tests.Execution;

public class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    public void Parse_UsableEndpoint_ReturnsUri(string endpoint)
    {
        Assert.Equal(new Uri(endpoint), DockerEndpoint.Parse(endpoint));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("tcp://")]
    [InlineData("unix://")]
    [InlineData("ftp://host/x")]
    public void Parse_UnusableEndpoint_ThrowsInvalidEndpoint(string endpoint)
    {
        var error = Assert.Throws<ContainerManagerException>(() => DockerEndpoint.Parse(endpoint));

        Assert.Equal("InvalidEndpoint", error.ErrorId);
        Assert.Contains(endpoint, error.Message);
    }

    [Fact]
    public void Parse_NamedPipeOffWindows_SaysWhy()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var error = Assert.Throws<ContainerManagerException>(() => DockerEndpoint.Parse("npipe://./pipe/docker_engine"));

        Assert.Contains("only on Windows", error.Message);
    }
}
