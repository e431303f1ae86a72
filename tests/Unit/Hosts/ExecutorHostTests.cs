using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Hosts;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Hosts;

public class ExecutorHostTests
{
    public static TheoryData<string, Action<ExecutorHost>> InvalidSettings() => new()
    {
        { "InvalidHostName", h => h.Name = "" },
        { "InvalidHostName", h => h.Name = "-leading-dash" },
        { "InvalidHostName", h => h.Name = "has space" },
        { "InvalidHostName", h => h.Name = new string('a', 64) },
        { "HostTypeNotSupported", h => h.Type = ExecutorHostType.CloudRun },
        { "InvalidEndpoint", h => h.Endpoint = "" },
        { "InvalidEndpoint", h => h.Endpoint = "not a uri" },
        { "InvalidEndpoint", h => h.Endpoint = "http://127.0.0.1:2375" },
        { "InvalidEndpoint", h => h.Endpoint = "ssh://user@host" },
        { "InvalidEndpoint", h => h.Endpoint = "tcp://127.0.0.1" },
        { "InvalidEndpoint", h => h.Endpoint = "tcp://127.0.0.1:2376/path" },
        { "InvalidEndpoint", h => h.Endpoint = "unix://" },
        { "InvalidEndpoint", h => h.Endpoint = "unix://relative/docker.sock" },
        { "InvalidEndpoint", h => h.Endpoint = "npipe://./docker_engine" },
        { "InvalidMaxConcurrentJobs", h => h.MaxConcurrentJobs = 0 },
        { "InvalidMaxConcurrentJobs", h => h.MaxConcurrentJobs = -1 },
        { "InvalidMaxConcurrentJobs", h => h.MaxConcurrentJobs = ExecutorHost.MaxConcurrentJobsLimit + 1 },
        { "InvalidWeight", h => h.Weight = -1 },
        { "InvalidWeight", h => h.Weight = ExecutorHost.MaxWeight + 1 },
        { "InvalidDefaultMemory", h => h.DefaultMemoryMiB = 5 },
        { "InvalidDefaultCpus", h => h.DefaultCpus = 0 },
        { "InvalidDefaultCpus", h => h.DefaultCpus = double.NaN },
        { "InvalidLabel", h => h.Labels = new Dictionary<string, string> { ["bad key"] = "x" } },
        { "InvalidLabel", h => h.Labels = new Dictionary<string, string> { ["ok"] = "line\nbreak" } },
        { "InvalidTlsSettings", h => h.TlsCertPath = "/tmp/cert.pem" },
        { "InvalidTlsSettings", h => h.TlsKeyPath = "/tmp/key.pem" },
        { "InvalidTlsSettings", h => h.TlsCaPath = "/tmp/ca.pem" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_ThrowsStableId(string errorId, Action<ExecutorHost> change)
    {
        var host = new ExecutorHost { Name = "build-01", Endpoint = "unix:///run/docker.sock" };
        change(host);

        var error = Assert.Throws<ContainerManagerException>(host.Validate);

        Assert.Equal(errorId, error.ErrorId);
    }

    [Theory]
    [InlineData("unix:///run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    [InlineData("tcp://docker.example:2376")]
    public void Validate_SupportedEndpoint_Passes(string endpoint)
    {
        var host = new ExecutorHost { Name = "a", Endpoint = endpoint, Weight = 0, MaxConcurrentJobs = 1 };

        host.Validate();
    }

    [Fact]
    public void Validate_NamedPipe_PassesOnlyOnWindows()
    {
        var host = new ExecutorHost { Name = "a", Endpoint = "npipe://./pipe/docker_engine" };

        if (OperatingSystem.IsWindows())
        {
            host.Validate();
            return;
        }

        var error = Assert.Throws<ContainerManagerException>(host.Validate);
        Assert.Equal("InvalidEndpoint", error.ErrorId);
        Assert.Contains("only on Windows", error.Message);
    }

    [Fact]
    public void Validate_InvalidEndpoint_NamesValueAndForms()
    {
        var host = new ExecutorHost { Name = "a", Endpoint = "tcp://127.0.0.1" };

        var error = Assert.Throws<ContainerManagerException>(host.Validate);

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("tcp://127.0.0.1", error.TargetObject);
        Assert.Contains("'tcp://127.0.0.1'", error.Message);
        Assert.Contains("needs a host and a port", error.Message);
        Assert.Contains("unix:///path/to/docker.sock", error.Message);
    }

    [Fact]
    public void Validate_NegativeWeight_NamesValueAndRange()
    {
        var host = new ExecutorHost { Name = "a", Endpoint = "unix:///run/docker.sock", Weight = -3 };

        var error = Assert.Throws<ContainerManagerException>(host.Validate);

        Assert.Contains("Weight -3", error.Message);
        Assert.Contains("0 to 1000", error.Message);
    }

    [Fact]
    public void Validate_MissingTlsFile_NamesPath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cm-missing-" + Guid.NewGuid().ToString("N"), "ca.pem");
        var host = new ExecutorHost { Name = "a", Endpoint = "tcp://127.0.0.1:2376", TlsCaPath = missing };

        var error = Assert.Throws<ContainerManagerException>(host.Validate);

        Assert.Equal("TlsFileNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains(missing, error.Message);
        Assert.Contains("-TlsCaPath", error.Message);
    }

    [Fact]
    public void Validate_KeyOfAnotherCertificate_IsInvalid()
    {
        var host = TestHosts.TlsHost();
        host.TlsKeyPath = TestHosts.WrongKey;

        var error = Assert.Throws<ContainerManagerException>(host.Validate);

        Assert.Equal("TlsFileInvalid", error.ErrorId);
        Assert.Contains(TestHosts.TlsCert, error.Message);
    }

    [Fact]
    public void Validate_CaFileWithoutCertificate_IsInvalid()
    {
        var folder = Directory.CreateTempSubdirectory("cm-unit-").FullName;
        try
        {
            var notPem = Path.Combine(folder, "ca.pem");
            File.WriteAllText(notPem, "not a certificate");
            var host = new ExecutorHost { Name = "a", Endpoint = "tcp://127.0.0.1:2376", TlsCaPath = notPem };

            var error = Assert.Throws<ContainerManagerException>(host.Validate);

            Assert.Equal("TlsFileInvalid", error.ErrorId);
            Assert.Contains(notPem, error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Validate_FixtureTlsFiles_Pass()
    {
        TestHosts.TlsHost().Validate();
    }

    [Fact]
    public void Local_UsesResolvedLocalEndpoint()
    {
        var local = ExecutorHost.Local(maxConcurrentJobs: 7);

        Assert.Equal(ExecutorHost.LocalName, local.Name);
        Assert.Equal(DockerEndpoint.ResolveLocal().ToString(), local.Endpoint);
        Assert.Equal(7, local.MaxConcurrentJobs);
        Assert.True(local.IsImplicit);
        Assert.True(local.Enabled);
        Assert.Equal(PullPolicy.IfNotPresent, local.PullPolicy);
    }

    [Fact]
    public void Clone_CopiesLabelsSeparately()
    {
        var host = new ExecutorHost { Name = "a", Labels = new Dictionary<string, string> { ["gpu"] = "true" } };

        var copy = host.Clone();
        ((Dictionary<string, string>)copy.Labels)["zone"] = "b";

        Assert.Single(host.Labels);
        Assert.Equal(2, copy.Labels.Count);
        Assert.Equal("true", copy.Labels["GPU"]);
    }
}
