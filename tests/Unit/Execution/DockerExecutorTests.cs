using System.Net.Http.Headers;
using System.Text;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;
using Docker.DotNet;

namespace ContainerManager.Tests.Execution;

/// <summary>
/// Pulls run on the second engine and TLS tests on the TLS engine, so removing images here
/// cannot race with the processor tests on the main engine. Tests in one class run one
/// after another, which keeps the removals and pulls from racing each other.
/// </summary>
public sealed class DockerExecutorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cm-executor-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Pull_WithStoredCredential_Runs()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync(TestHosts.AuthRegistry, TestHosts.RegistryUser, TestHosts.RegistryPassword, default);
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new StoredRegistryCredentialProvider(credentials));

        var status = await RunAsync(executor, TestHosts.AuthImage, ["true"]);

        Assert.Equal(0, status.ExitCode);
        Assert.True(await TestHosts.HasImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage));
    }

    [Fact]
    public async Task PullImage_MissingThenPresent_ReportsPulledThenAlreadyPresent()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync(TestHosts.AuthRegistry, TestHosts.RegistryUser, TestHosts.RegistryPassword, default);
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new StoredRegistryCredentialProvider(credentials));
        var reports = new List<ImagePullProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var first = await executor.PullImageAsync(TestHosts.AuthImage, progress, default);
        var second = await executor.PullImageAsync(TestHosts.AuthImage, progress, default);

        Assert.Equal(ImagePullStatus.Pulled, first);
        Assert.Equal(ImagePullStatus.AlreadyPresent, second);
        Assert.NotEmpty(reports);
        Assert.Contains(reports, r => r.Status.StartsWith("Pulling", StringComparison.Ordinal));
        Assert.True(await TestHosts.HasImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage));
    }

    [Fact]
    public async Task PullImage_PolicyAlways_PullsAgain()
    {
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.OpenImage);
        var host = TestHosts.SecondHost();
        host.PullPolicy = PullPolicy.Always;
        using var executor = new DockerExecutor(host);

        var first = await executor.PullImageAsync(TestHosts.OpenImage, null, default);
        var second = await executor.PullImageAsync(TestHosts.OpenImage, null, default);

        Assert.Equal(ImagePullStatus.Pulled, first);
        Assert.Equal(ImagePullStatus.Pulled, second);
    }

    [Fact]
    public async Task Pull_WithDockerConfigFile_Runs()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestHosts.RegistryUser}:{TestHosts.RegistryPassword}"));
        File.WriteAllText(Path.Combine(_folder, "config.json"),
            $$"""{ "auths": { "{{TestHosts.AuthRegistry}}": { "auth": "{{auth}}" } } }""");
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var status = await RunAsync(executor, TestHosts.AuthImage, ["true"]);

        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task Pull_WithoutCredentials_FailsPermanentlyNamingRegistry()
    {
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, TestHosts.AuthImage, ["true"]));

        Assert.Equal("ImagePullAccessDenied", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains($"registry {TestHosts.AuthRegistry}", error.Message);
        Assert.Contains("no credentials are configured", error.Message);
        Assert.Contains($"Set-CmRegistryCredential -Registry {TestHosts.AuthRegistry}", error.Message);
    }

    [Fact]
    public async Task Pull_CredentialsOnlyInHelper_FailsNamingHelper()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"),
            $$"""{ "credHelpers": { "{{TestHosts.AuthRegistry}}": "secretservice" } }""");
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, TestHosts.AuthImage, ["true"]));

        Assert.Equal("CredentialHelperNotSupported", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains("'secretservice'", error.Message);
        Assert.Contains($"Set-CmRegistryCredential -Registry {TestHosts.AuthRegistry}", error.Message);
    }

    [Fact]
    public async Task Pull_HelperForOpenRegistry_PullsAnonymously()
    {
        var image = $"{TestEngine.Registry}/cmtest/busybox:1";
        File.WriteAllText(Path.Combine(_folder, "config.json"),
            $$"""{ "auths": { "{{TestEngine.Registry}}": {} }, "credsStore": "desktop" }""");
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, image);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var status = await RunAsync(executor, image, ["true"]);

        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task Pull_WrongPassword_FailsNamingUserButNotPassword()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync(TestHosts.AuthRegistry, TestHosts.RegistryUser, "wrong-password-x1", default);
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, TestHosts.AuthImage);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new StoredRegistryCredentialProvider(credentials));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, TestHosts.AuthImage, ["true"]));

        Assert.Equal("ImagePullAccessDenied", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains($"user '{TestHosts.RegistryUser}'", error.Message);
        Assert.Contains(SqliteRegistryCredentialStore.SourceName, error.Message);
        Assert.DoesNotContain("wrong-password-x1", error.Message);
    }

    [Fact]
    public async Task Pull_UnknownTag_FailsPermanentlyNamingReference()
    {
        using var temp = new TempStore();
        var credentials = new SqliteRegistryCredentialStore(temp.Store);
        await credentials.SetCredentialAsync(TestHosts.AuthRegistry, TestHosts.RegistryUser, TestHosts.RegistryPassword, default);
        var image = $"{TestHosts.AuthRegistry}/cmtest/busybox:no-such-tag";
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new StoredRegistryCredentialProvider(credentials));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, image, ["true"]));

        Assert.Equal("ImageNotFound", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains($"'{image}'", error.Message);
        Assert.Equal(image, error.TargetObject);
    }

    [Fact]
    public async Task Pull_ByDigestFromRegistryWithPort_Runs()
    {
        var digest = await ManifestDigestAsync(TestEngine.Registry, "cmtest/busybox", "1");
        var image = $"{TestEngine.Registry}/cmtest/busybox@{digest}";
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, image);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var status = await RunAsync(executor, image, ["true"]);

        Assert.Equal(0, status.ExitCode);
        Assert.True(await TestHosts.HasImageAsync(TestHosts.SecondEndpoint, image));
    }

    [Fact]
    public async Task Pull_ErrorInProgressStream_FailsAsPullError()
    {
        // The registry serves the manifest but not its top layer, which no engine has, so the
        // engine accepts the pull with HTTP 200 and reports the failure only inside the
        // progress stream.
        var unique = Guid.NewGuid().ToString("N");
        var repository = $"cmtest/broken-{unique}";
        var image = $"{TestEngine.Registry}/{repository}:1";
        using (var client = new DockerClientBuilder().WithEndpoint(new Uri(TestHosts.SecondEndpoint)).Build())
        {
            var writer = await client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
            {
                Image = TestEngine.Image,
                Cmd = ["sh", "-c", $"echo {unique} > /unique"],
            });
            await client.Containers.StartContainerAsync(writer.ID, new Docker.DotNet.Models.ContainerStartParameters());
            await client.Containers.WaitContainerAsync(writer.ID);
            await client.Images.CommitContainerChangesAsync(new Docker.DotNet.Models.CommitContainerChangesParameters
            {
                ContainerID = writer.ID,
                RepositoryName = $"{TestEngine.Registry}/{repository}",
                Tag = "1",
            });
            await client.Containers.RemoveContainerAsync(writer.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
            await client.Images.PushImageAsync($"{TestEngine.Registry}/{repository}",
                new Docker.DotNet.Models.ImagePushParameters { Tag = "1" }, new Docker.DotNet.Models.AuthConfig(),
                new Progress<Docker.DotNet.Models.JSONMessage>());
        }

        var layer = await LastLayerDigestAsync(TestEngine.Registry, repository, "1");
        using (var http = new HttpClient())
        {
            using var deleted = await http.DeleteAsync($"http://{TestEngine.Registry}/v2/{repository}/blobs/{layer}");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, image);
        using var executor = new DockerExecutor(TestHosts.SecondHost(), new DockerConfigCredentialProvider(_folder));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, image, ["true"]));

        Assert.Equal("ImagePullFailed", error.ErrorId);
        Assert.Equal(FailureKind.Transient, error.FailureKind);
        Assert.Contains($"'{image}'", error.Message);
        Assert.Contains("host 'second'", error.Message);
    }

    [Fact]
    public async Task NeverPolicy_MissingImage_FailsNamingImageAndHost()
    {
        var image = $"{TestEngine.Registry}/cmtest/busybox:1";
        await TestHosts.RemoveImageAsync(TestHosts.SecondEndpoint, image);
        using var executor = new DockerExecutor(TestHosts.SecondHost(PullPolicy.Never));

        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(executor, image, ["true"]));

        Assert.Equal("ImageNotFound", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains($"'{image}'", error.Message);
        Assert.Contains("host 'second'", error.Message);
        Assert.Contains("Never", error.Message);
        Assert.False(await TestHosts.HasImageAsync(TestHosts.SecondEndpoint, image));
    }

    [Fact]
    public async Task NeverPolicy_PresentImage_Runs()
    {
        using var executor = new DockerExecutor(TestHosts.SecondHost(PullPolicy.Never));

        var status = await RunAsync(executor, TestEngine.Image, ["true"]);

        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task AlwaysPolicy_PullsEvenWhenImageIsPresent()
    {
        // The tag exists on the engine but not in the registry, so only a pull can fail.
        var image = $"{TestEngine.Registry}/cmtest/local-only:1";
        using (var client = new DockerClientBuilder().WithEndpoint(new Uri(TestHosts.SecondEndpoint)).Build())
        {
            await client.Images.TagImageAsync(TestEngine.Image,
                new Docker.DotNet.Models.ImageTagParameters { RepositoryName = $"{TestEngine.Registry}/cmtest/local-only", Tag = "1" });
        }

        using var ifNotPresent = new DockerExecutor(TestHosts.SecondHost(PullPolicy.IfNotPresent));
        using var always = new DockerExecutor(TestHosts.SecondHost(PullPolicy.Always));

        var status = await RunAsync(ifNotPresent, image, ["true"]);
        var error = await Assert.ThrowsAsync<ExecutorException>(() => RunAsync(always, image, ["true"]));

        Assert.Equal(0, status.ExitCode);
        Assert.Equal("ImageNotFound", error.ErrorId);
        Assert.Contains(image, error.Message);
    }

    [Fact]
    public async Task HostDefaults_SetMemoryAndCpuLimits()
    {
        var host = TestHosts.SecondHost();
        host.DefaultMemoryMiB = 64;
        host.DefaultCpus = 0.5;
        using var executor = new DockerExecutor(host);
        var name = $"cm-test-{Guid.NewGuid():N}";

        try
        {
            await executor.LaunchAsync(Request(name, TestEngine.Image, ["sleep", "5"]), default);
            using var client = new DockerClientBuilder().WithEndpoint(new Uri(TestHosts.SecondEndpoint)).Build();
            var limits = (await client.Containers.InspectContainerAsync(name)).HostConfig!;

            Assert.Equal(64L * 1024 * 1024, limits.Memory);
            Assert.Equal(64L * 1024 * 1024, limits.MemorySwap);
            Assert.Equal(500_000_000L, limits.NanoCPUs);
        }
        finally
        {
            await executor.RemoveAsync(name, default);
        }
    }

    [Fact]
    public async Task Launch_EngineRejectsImage_FailsPermanently()
    {
        // The reference parses here, but a sha256 digest needs 64 hex digits, so the engine
        // rejects the image lookup with 400 Bad Request before anything is pulled.
        var image = $"{TestEngine.Registry}/cmtest/rejected@sha256:{new string('0', 32)}";
        using var executor = TestEngine.CreateExecutor();
        var request = Request($"cm-test-{Guid.NewGuid():N}", image, ["true"]);
        var engineMessage = await EngineRejectionAsync(image);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("InvalidImage", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains(engineMessage, error.Message);
        Assert.Equal(image, error.TargetObject);
        Assert.Null(await executor.InspectAsync(request.Name, default));
    }

    [Theory]
    [InlineData("user", "nosuchuser")]
    [InlineData("network", "cm-test-no-such-network")]
    [InlineData("command", "/no/such/binary")]
    public async Task Launch_StartFails_RemovesTheCreatedContainer(string setting, string value)
    {
        using var executor = TestEngine.CreateExecutor();
        var marker = Guid.NewGuid().ToString("N");
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{marker}",
            Image = TestEngine.Image,
            Command = setting == "command" ? [value] : ["true"],
            User = setting == "user" ? value : null,
            Network = setting == "network" ? value : null,
            Labels = new Dictionary<string, string> { ["cm-test.marker"] = marker },
        };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));
        var left = await executor.ListByLabelAsync("cm-test.marker", marker, default);

        Assert.Contains(value, error.Message);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Empty(left);
        Assert.Null(await executor.InspectAsync(request.Name, default));
    }

    [Fact]
    public async Task Privileged_NotAllowedByHost_FailsPermanently()
    {
        using var executor = new DockerExecutor(TestHosts.SecondHost());
        var request = new ContainerLaunchRequest { Name = $"cm-test-{Guid.NewGuid():N}", Image = TestEngine.Image, Privileged = true };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("PrivilegedNotAllowed", error.ErrorId);
        Assert.Equal(FailureKind.Permanent, error.FailureKind);
        Assert.Contains("Set-ExecutorHost -Name second -AllowPrivileged $true", error.Message);
        Assert.Null(await executor.InspectAsync(request.Name, default));
    }

    [Fact]
    public async Task Privileged_ImplicitHost_AdvisesNewExecutorHost()
    {
        using var executor = TestEngine.CreateExecutor();
        var request = new ContainerLaunchRequest { Name = $"cm-test-{Guid.NewGuid():N}", Image = TestEngine.Image, Privileged = true };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("PrivilegedNotAllowed", error.ErrorId);
        Assert.Contains($"New-ExecutorHost -Name local -Endpoint {executor.Endpoint} -AllowPrivileged", error.Message);
        Assert.DoesNotContain("Set-ExecutorHost", error.Message);
    }

    [Fact]
    public async Task BindMounts_NotAllowedByHost_FailsPermanently()
    {
        using var executor = new DockerExecutor(TestHosts.SecondHost());
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{Guid.NewGuid():N}",
            Image = TestEngine.Image,
            BindMounts = [$"{_folder}:/data:ro"],
        };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("BindMountsNotAllowed", error.ErrorId);
        Assert.Contains(_folder, error.Message);
        Assert.Contains("Set-ExecutorHost -Name second -AllowBindMounts $true", error.Message);
        Assert.Null(await executor.InspectAsync(request.Name, default));
    }

    [Fact]
    public async Task BindMounts_ImplicitHost_AdvisesNewExecutorHost()
    {
        using var executor = TestEngine.CreateExecutor();
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{Guid.NewGuid():N}",
            Image = TestEngine.Image,
            BindMounts = [$"{_folder}:/data:ro"],
        };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("BindMountsNotAllowed", error.ErrorId);
        Assert.Contains($"New-ExecutorHost -Name local -Endpoint {executor.Endpoint} -AllowBindMounts", error.Message);
        Assert.DoesNotContain("Set-ExecutorHost", error.Message);
    }

    [Fact]
    public async Task BindMounts_ImplicitTlsHost_AdvisesTlsFiles()
    {
        // Stands for the local engine when DOCKER_HOST is a tcp address and DOCKER_TLS_VERIFY is set.
        var host = ExecutorHost.ForEndpoint(new Uri(TestHosts.TlsEndpoint));
        host.TlsCaPath = TestHosts.TlsCa;
        host.TlsCertPath = TestHosts.TlsCert;
        host.TlsKeyPath = TestHosts.TlsKey;
        using var executor = new DockerExecutor(host);
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{Guid.NewGuid():N}",
            Image = TestEngine.Image,
            BindMounts = [$"{_folder}:/data:ro"],
        };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("BindMountsNotAllowed", error.ErrorId);
        Assert.Contains(
            $"New-ExecutorHost -Name local -Endpoint {executor.Endpoint} -TlsCaPath '{TestHosts.TlsCa}' " +
            $"-TlsCertPath '{TestHosts.TlsCert}' -TlsKeyPath '{TestHosts.TlsKey}' -AllowBindMounts",
            error.Message);
    }

    [Fact]
    public async Task BindMounts_SourceMissing_AdvisesNewContainerJob()
    {
        var host = TestHosts.SecondHost();
        host.AllowBindMounts = true;
        using var executor = new DockerExecutor(host);
        var missing = Path.Combine(_folder, "no-such-folder");
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{Guid.NewGuid():N}",
            Image = TestEngine.Image,
            BindMounts = [$"{missing}:/data"],
        };

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.LaunchAsync(request, default));

        Assert.Equal("BindMountSourceNotFound", error.ErrorId);
        Assert.Contains($"'{missing}'", error.Message);
        Assert.Contains("New-ContainerJob", error.Message);
        Assert.DoesNotContain("Set-ContainerJob", error.Message);
    }

    [Fact]
    public async Task BindMounts_AllowedByHost_AreMounted()
    {
        File.WriteAllText(Path.Combine(_folder, "greeting.txt"), "hello from the host");
        var host = TestHosts.SecondHost();
        host.AllowBindMounts = true;
        using var executor = new DockerExecutor(host);
        var request = new ContainerLaunchRequest
        {
            Name = $"cm-test-{Guid.NewGuid():N}",
            Image = TestEngine.Image,
            Command = ["cat", "/data/greeting.txt"],
            BindMounts = [$"{_folder}:/data:ro"],
        };

        var output = await RunAndReadAsync(executor, request);

        Assert.Equal("hello from the host", output);
    }

    [Fact]
    public async Task Tls_PingReportsEngine()
    {
        using var executor = new DockerExecutor(TestHosts.TlsHost());

        var engine = await executor.PingAsync(default);

        Assert.False(string.IsNullOrEmpty(engine.Version));
        Assert.False(string.IsNullOrEmpty(engine.ApiVersion));
        Assert.Equal("linux", engine.OperatingSystem);
        Assert.True(engine.Cpus > 0);
        Assert.True(engine.MemoryBytes > 0);
        Assert.NotNull(engine.RunningContainers);
    }

    [Fact]
    public async Task Tls_RunsContainer()
    {
        using var executor = new DockerExecutor(TestHosts.TlsHost());

        var output = await RunAndReadAsync(executor, Request($"cm-test-{Guid.NewGuid():N}", TestEngine.Image, ["echo", "hello over tls"]));

        Assert.Equal("hello over tls\n", output);
    }

    [Fact]
    public async Task Tls_WrongClientCertificate_IsRejected()
    {
        var host = TestHosts.TlsHost();
        host.TlsCertPath = TestHosts.WrongCert;
        host.TlsKeyPath = TestHosts.WrongKey;
        using var executor = new DockerExecutor(host);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.PingAsync(default));

        Assert.Equal("TlsClientCertificateRejected", error.ErrorId);
        Assert.Contains(TestHosts.TlsEndpoint, error.Message);
        Assert.Contains(TestHosts.WrongCert, error.Message);
        Assert.Contains("signed by the CA that the engine trusts", error.Message);
    }

    [Fact]
    public async Task Tls_NoClientCertificate_IsRejected()
    {
        var host = TestHosts.TlsHost();
        host.TlsCertPath = null;
        host.TlsKeyPath = null;
        using var executor = new DockerExecutor(host);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.PingAsync(default));

        Assert.Equal("TlsClientCertificateRejected", error.ErrorId);
        Assert.Contains(TestHosts.TlsEndpoint, error.Message);
        Assert.Contains("requires a client certificate", error.Message);
    }

    [Fact]
    public async Task Tls_WrongCa_IsRejected()
    {
        var host = TestHosts.TlsHost();
        host.TlsCaPath = TestHosts.WrongCa;
        using var executor = new DockerExecutor(host);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.PingAsync(default));

        Assert.Equal("TlsServerCertificateRejected", error.ErrorId);
        Assert.Contains(TestHosts.TlsEndpoint, error.Message);
        Assert.Contains($"does not chain to a CA in '{TestHosts.WrongCa}'", error.Message);
        Assert.Contains("-TlsCaPath", error.Message);
    }

    [Fact]
    public async Task Tls_WrongCaWithVerifyOff_IsAccepted()
    {
        var host = TestHosts.TlsHost();
        host.TlsCaPath = TestHosts.WrongCa;
        host.TlsVerify = false;
        using var executor = new DockerExecutor(host);

        var engine = await executor.PingAsync(default);

        Assert.False(string.IsNullOrEmpty(engine.Version));
    }

    [Fact]
    public async Task Tls_NameNotInCertificate_IsRejected()
    {
        var host = TestHosts.TlsHost();
        host.Endpoint = TestHosts.TlsEndpoint.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        using var executor = new DockerExecutor(host);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.PingAsync(default));

        Assert.Equal("TlsServerCertificateRejected", error.ErrorId);
        Assert.Contains("is not valid for 'localhost'", error.Message);
    }

    [Fact]
    public async Task PlainHttpToTlsEngine_SaysTlsIsNeeded()
    {
        using var executor = new DockerExecutor(new ExecutorHost { Name = "plain", Endpoint = TestHosts.TlsEndpoint });

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.PingAsync(default));

        Assert.Equal("EngineRequiresTls", error.ErrorId);
        Assert.Contains(TestHosts.TlsEndpoint, error.Message);
        Assert.Contains("-TlsCaPath, -TlsCertPath and -TlsKeyPath", error.Message);
    }

    [Fact]
    public async Task ReadLogLines_Follow_ReturnsLinesWhileContainerRuns()
    {
        using var executor = TestEngine.CreateExecutor();
        var request = Request($"cm-test-{Guid.NewGuid():N}", TestEngine.Image,
            ["sh", "-c", "echo first; sleep 3; echo second >&2"]);
        try
        {
            var launched = await executor.LaunchAsync(request, default);
            var arrivals = new List<(LogLine Line, bool Running)>();
            await foreach (var line in executor.ReadLogLinesAsync(
                launched.ContainerId, new LogReadOptions { Follow = true, Timestamps = true }, default))
            {
                var status = await executor.InspectAsync(launched.ContainerId, default);
                arrivals.Add((line, status!.Running));
            }

            Assert.Equal(2, arrivals.Count);
            Assert.Equal("first", arrivals[0].Line.Text);
            Assert.Equal(LogStream.Stdout, arrivals[0].Line.Stream);
            Assert.True(arrivals[0].Running);
            Assert.Equal("second", arrivals[1].Line.Text);
            Assert.Equal(LogStream.Stderr, arrivals[1].Line.Stream);
            Assert.True(arrivals[1].Line.Timestamp - arrivals[0].Line.Timestamp >= TimeSpan.FromSeconds(2.5));
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    [Fact]
    public async Task ReadLogLines_SplitAndInvalidUtf8_AreDecoded()
    {
        using var executor = TestEngine.CreateExecutor();
        var request = Request($"cm-test-{Guid.NewGuid():N}", TestEngine.Image,
            ["sh", "-c", @"printf '\377\376 ok \342\202\n'; printf '\342'; sleep 0.2; printf '\202\254\n'"]);
        try
        {
            var launched = await executor.LaunchAsync(request, default);
            await executor.WaitAsync(launched.ContainerId, default);
            var lines = new List<LogLine>();
            await foreach (var line in executor.ReadLogLinesAsync(
                launched.ContainerId, new LogReadOptions { Timestamps = true }, default))
            {
                lines.Add(line);
            }

            // The json-file log driver replaces every byte of invalid UTF-8 with U+FFFD before
            // it stores a line, so the truncated sequence \342\202 arrives as two of them.
            Assert.Equal(["\uFFFD\uFFFD ok \uFFFD\uFFFD", "€"], lines.Select(l => l.Text));
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    [Fact]
    public async Task ReadLogLines_Tail_ReturnsLastLines()
    {
        using var executor = TestEngine.CreateExecutor();
        var request = Request($"cm-test-{Guid.NewGuid():N}", TestEngine.Image, ["sh", "-c", "seq 1 10"]);
        try
        {
            var launched = await executor.LaunchAsync(request, default);
            await executor.WaitAsync(launched.ContainerId, default);
            var lines = new List<string>();
            await foreach (var line in executor.ReadLogLinesAsync(
                launched.ContainerId, new LogReadOptions { Tail = 3 }, default))
            {
                lines.Add(line.Text);
            }

            Assert.Equal(["8", "9", "10"], lines);
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    // Returns the message of the engine's own error for an image lookup it rejects.
    private static async Task<string> EngineRejectionAsync(string image)
    {
        using var client = new DockerClientBuilder().WithEndpoint(TestEngine.Endpoint).Build();
        var rejection = await Assert.ThrowsAsync<DockerApiException>(() => client.Images.InspectImageAsync(image));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, rejection.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(rejection.ResponseBody!);
        return body.RootElement.GetProperty("message").GetString()!;
    }

    private static ContainerLaunchRequest Request(string name, string image, string[] command) =>
        new() { Name = name, Image = image, Command = command };

    private static async Task<ContainerStatus> RunAsync(IContainerExecutor executor, string image, string[] command)
    {
        var request = Request($"cm-test-{Guid.NewGuid():N}", image, command);
        try
        {
            var launched = await executor.LaunchAsync(request, default);
            return await executor.WaitAsync(launched.ContainerId, default);
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    private static async Task<string> RunAndReadAsync(IContainerExecutor executor, ContainerLaunchRequest request)
    {
        try
        {
            var launched = await executor.LaunchAsync(request, default);
            var status = await executor.WaitAsync(launched.ContainerId, default);
            var output = new CapturedOutput(4096);
            await executor.ReadLogsAsync(launched.ContainerId, output, default);
            Assert.Equal(0, status.ExitCode);
            return output.Stdout.GetText();
        }
        finally
        {
            await executor.RemoveAsync(request.Name, default);
        }
    }

    private static async Task<string> LastLayerDigestAsync(string registry, string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var manifest = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var layers = manifest.RootElement.GetProperty("layers");
        return layers[layers.GetArrayLength() - 1].GetProperty("digest").GetString()!;
    }

    // Asks the registry for the digest of a tag, as docker pull prints it.
    private static async Task<string> ManifestDigestAsync(string registry, string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    // Progress<T> posts reports to the thread pool; this one records them before Report returns.
    private sealed class SynchronousProgress(Action<ImagePullProgress> record) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value) => record(value);
    }
}
