using ContainerManager.Core.Execution.Docker;

namespace ContainerManager.Tests.Support;

/// <summary>
/// The Docker engine and image the integration tests use, from DOCKER_HOST and
/// CM_TEST_IMAGE (tests/fixtures/test-engine.sh writes both). A missing setting fails the
/// test at once instead of skipping it, so a CI run without an engine cannot pass.
/// </summary>
public static class TestEngine
{
    public static string Image => Require("CM_TEST_IMAGE");

    public static string Registry => Require("CM_TEST_REGISTRY");

    public static Uri Endpoint => DockerEndpoint.Parse(Require("DOCKER_HOST"));

    public static DockerExecutor CreateExecutor() => new(Endpoint);

    private static string Require(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{name} is not set. Start the test engine with 'tests/fixtures/test-engine.sh start' " +
                "and source the env file it prints; Docker tests fail rather than skip without it.");
        }

        return value;
    }
}
