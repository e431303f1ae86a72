using ContainerManager.Core.Hosts;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ContainerManager.Tests.Support;

/// <summary>
/// The second engine, the TLS engine and the password-protected registry that
/// tests/fixtures/test-engine.sh starts. A missing setting fails the test at once, naming
/// the variable, so a run without the fixture cannot pass.
/// </summary>
public static class TestHosts
{
    public static string SecondEndpoint => Require("CM_TEST_SECOND_HOST");

    public static string TlsEndpoint => Require("CM_TEST_TLS_HOST");

    public static string TlsCa => Require("CM_TEST_TLS_CA");

    public static string TlsCert => Require("CM_TEST_TLS_CERT");

    public static string TlsKey => Require("CM_TEST_TLS_KEY");

    public static string WrongCa => Require("CM_TEST_TLS_WRONG_CA");

    public static string WrongCert => Require("CM_TEST_TLS_WRONG_CERT");

    public static string WrongKey => Require("CM_TEST_TLS_WRONG_KEY");

    public static string AuthRegistry => Require("CM_TEST_AUTH_REGISTRY");

    public static string RegistryUser => Require("CM_TEST_REGISTRY_USER");

    public static string RegistryPassword => Require("CM_TEST_REGISTRY_PASSWORD");

    /// <summary>Test image as the open registry serves it.</summary>
    public static string OpenImage => $"{TestEngine.Registry}/{TestEngine.Image}";

    /// <summary>Image that only the password-protected registry serves.</summary>
    public static string AuthImage => $"{AuthRegistry}/{TestEngine.Image}";

    /// <summary>Host for the TLS engine with the right CA and client certificate.</summary>
    public static ExecutorHost TlsHost(string name = "tls") => new()
    {
        Name = name,
        Endpoint = TlsEndpoint,
        TlsCaPath = TlsCa,
        TlsCertPath = TlsCert,
        TlsKeyPath = TlsKey,
    };

    /// <summary>Host for the second engine, pulling only when the image is missing.</summary>
    public static ExecutorHost SecondHost(PullPolicy policy = PullPolicy.IfNotPresent) => new()
    {
        Name = "second",
        Endpoint = SecondEndpoint,
        PullPolicy = policy,
    };

    /// <summary>Removes an image from an engine so that the next launch has to pull it.</summary>
    public static async Task RemoveImageAsync(string endpoint, string image)
    {
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
        try
        {
            await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
        }
        catch (DockerImageNotFoundException)
        {
            // Already absent, which is what the caller needs.
        }
    }

    /// <summary>Returns whether an engine has an image.</summary>
    public static async Task<bool> HasImageAsync(string endpoint, string image)
    {
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
        try
        {
            await client.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    private static string Require(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{name} is not set. Start the test engines with 'tests/fixtures/test-engine.sh start' " +
                "and source the env file it prints; these tests fail rather than skip without it.");
        }

        return value;
    }
}
