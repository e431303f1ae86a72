using System.Net.Sockets;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Hosts;

public sealed class HostHealthCheckerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("cm-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Check_TlsEngine_ReturnsEngineFacts()
    {
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        var result = await checker.CheckAsync(TestHosts.TlsHost("tls-01"), Timeout, default);

        Assert.Null(result.Error);
        Assert.True(result.Health.Ok);
        Assert.Equal("tls-01", result.Health.HostName);
        Assert.Equal(TestHosts.TlsEndpoint, result.Health.Endpoint);
        Assert.False(string.IsNullOrEmpty(result.Health.EngineVersion));
        Assert.False(string.IsNullOrEmpty(result.Health.ApiVersion));
        Assert.Equal("linux", result.Health.OperatingSystem);
        Assert.False(string.IsNullOrEmpty(result.Health.Architecture));
        Assert.True(result.Health.Cpus > 0);
        Assert.True(result.Health.MemoryBytes > 0);
        Assert.NotNull(result.Health.RunningContainers);
        Assert.InRange(result.Health.CheckedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Check_MissingSocket_SaysStartTheDaemon()
    {
        var socket = Path.Combine(_folder, "missing.sock");
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        var result = await checker.CheckAsync(UnixHost(socket), Timeout, default);

        Assert.False(result.Health.Ok);
        Assert.Equal("EngineUnreachable", result.Error!.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, result.Error.Kind);
        Assert.Contains($"unix://{socket}", result.Error.Message);
        Assert.Contains("does not exist: start the Docker daemon", result.Error.Message);
        Assert.Equal(result.Error.Message, result.Health.Message);
    }

    [Fact]
    public async Task Check_SocketOfStoppedDaemon_SaysCheckTheDaemon()
    {
        // A daemon killed without cleanup leaves its socket file behind with no listener. A
        // bound socket that never listens is the same state. Disposing it first would not
        // work, because .NET deletes the file then.
        var socket = Path.Combine(_folder, "stopped.sock");
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(socket));
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        var result = await checker.CheckAsync(UnixHost(socket), Timeout, default);

        Assert.True(File.Exists(socket));
        Assert.Equal("EngineUnreachable", result.Error!.ErrorId);
        Assert.Contains($"unix://{socket}", result.Error.Message);
        Assert.Contains("check that the daemon is running", result.Error.Message);
    }

    [Fact]
    public async Task Check_EngineThatNeverResponds_TimesOut()
    {
        var socket = Path.Combine(_folder, "silent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socket));
        listener.Listen();
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        var result = await checker.CheckAsync(UnixHost(socket), TimeSpan.FromMilliseconds(500), default);

        Assert.False(result.Health.Ok);
        Assert.Equal("EngineTimedOut", result.Error!.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, result.Error.Kind);
        Assert.Contains($"unix://{socket}", result.Error.Message);
        Assert.Contains("within 0.5 s", result.Error.Message);
    }

    [Fact]
    public async Task Check_CancelledByCaller_Throws()
    {
        var socket = Path.Combine(_folder, "silent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socket));
        listener.Listen();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            checker.CheckAsync(UnixHost(socket), Timeout, cancel.Token));
    }

    [Fact]
    public async Task Check_WrongClientCertificate_ReturnsTlsError()
    {
        var host = TestHosts.TlsHost();
        host.TlsCertPath = TestHosts.WrongCert;
        host.TlsKeyPath = TestHosts.WrongKey;
        var checker = new HostHealthChecker(new DockerExecutorFactory());

        var result = await checker.CheckAsync(host, Timeout, default);

        Assert.False(result.Health.Ok);
        Assert.Equal("TlsClientCertificateRejected", result.Error!.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, result.Error.Kind);
    }

    [Fact]
    public void Factory_CloudRunHost_IsNotSupported()
    {
        var factory = new DockerExecutorFactory();
        var host = new ExecutorHost { Name = "run", Type = ExecutorHostType.CloudRun, Endpoint = "tcp://127.0.0.1:1" };

        var error = Assert.Throws<ContainerManagerException>(() => factory.Create(host));

        Assert.Equal("HostTypeNotSupported", error.ErrorId);
        Assert.Same(host, error.TargetObject);
    }

    [Fact]
    public void Factory_MissingTlsFile_FailsBeforeConnecting()
    {
        var host = TestHosts.TlsHost();
        host.TlsCaPath = Path.Combine(_folder, "no-ca.pem");

        var error = Assert.Throws<ContainerManagerException>(() => new DockerExecutorFactory().Create(host));

        Assert.Equal("TlsFileNotFound", error.ErrorId);
        Assert.Contains("no-ca.pem", error.Message);
    }

    private static ExecutorHost UnixHost(string socket) => new() { Name = "unix", Endpoint = $"unix://{socket}" };
}
