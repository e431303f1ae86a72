using ContainerManager.Core.Execution.Docker;

namespace ContainerManager.Core.Hosts;

/// <summary>
/// An engine that runs jobs, with its connection settings, its share of the work and the
/// result of its last health check. Names are unique without regard to case.
/// </summary>
public sealed class ExecutorHost
{
    /// <summary>Name of the implicit host that stands for the local engine when no host is stored.</summary>
    public const string LocalName = "local";

    /// <summary>Jobs a host runs at once by default.</summary>
    public const int DefaultMaxConcurrentJobs = 4;

    /// <summary>Largest accepted <see cref="MaxConcurrentJobs"/>.</summary>
    public const int MaxConcurrentJobsLimit = 10_000;

    /// <summary>Largest accepted <see cref="Weight"/>.</summary>
    public const int MaxWeight = 1000;

    /// <summary>Unique name, such as build-01.</summary>
    public string Name { get; set; } = "";

    /// <summary>Kind of engine.</summary>
    public ExecutorHostType Type { get; set; } = ExecutorHostType.Docker;

    /// <summary>
    /// Engine address: unix:///path/to/docker.sock, tcp://host:port or npipe://./pipe/name.
    /// </summary>
    public string Endpoint { get; set; } = "";

    /// <summary>PEM file with the CA certificates that the engine's server certificate must chain to.</summary>
    public string? TlsCaPath { get; set; }

    /// <summary>PEM file with the client certificate presented to the engine.</summary>
    public string? TlsCertPath { get; set; }

    /// <summary>PEM file with the private key of <see cref="TlsCertPath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>
    /// Whether the engine's certificate is checked against <see cref="TlsCaPath"/> (or the
    /// system's trusted roots without one) and against the endpoint's host name.
    /// </summary>
    public bool TlsVerify { get; set; } = true;

    /// <summary>Whether the host uses TLS: true when a CA or a client certificate is set.</summary>
    public bool TlsEnabled => TlsCaPath is not null || TlsCertPath is not null;

    /// <summary>Whether the host takes new jobs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs this host may have launching or running at once.</summary>
    public int MaxConcurrentJobs { get; set; } = DefaultMaxConcurrentJobs;

    /// <summary>
    /// Share of the jobs that name no host: a host with weight 2 gets about twice as many as
    /// one with weight 1. A host with weight 0 takes only jobs that name it.
    /// </summary>
    public int Weight { get; set; } = 1;

    /// <summary>Labels that jobs select hosts by, such as gpu=true; keys ignore case.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; set; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the host pulls a job's image.</summary>
    public PullPolicy PullPolicy { get; set; } = PullPolicy.IfNotPresent;

    /// <summary>Memory limit in MiB for jobs that set none; null leaves them unlimited.</summary>
    public int? DefaultMemoryMiB { get; set; }

    /// <summary>CPU limit in cores for jobs that set none; null leaves them unlimited.</summary>
    public double? DefaultCpus { get; set; }

    /// <summary>Whether jobs may run privileged containers on this host.</summary>
    public bool AllowPrivileged { get; set; }

    /// <summary>Whether jobs may bind-mount folders of the engine's machine into their containers.</summary>
    public bool AllowBindMounts { get; set; }

    /// <summary>Result of the last health check, or null if the host was never checked.</summary>
    public HostHealth? LastHealth { get; set; }

    /// <summary>Time the host was added.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Time the host's settings last changed; health checks do not count.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Whether the host is the implicit local engine from <see cref="Local"/> rather than a
    /// stored host.
    /// </summary>
    public bool IsImplicit { get; private init; }

    /// <summary>
    /// Returns the implicit host for the local engine, used when no host is stored: $DOCKER_HOST
    /// or the platform's default socket. As with the docker CLI, a non-empty
    /// $DOCKER_TLS_VERIFY turns on TLS with ca.pem, cert.pem and key.pem from
    /// $DOCKER_CERT_PATH (default ~/.docker).
    /// </summary>
    public static ExecutorHost Local(int maxConcurrentJobs = DefaultMaxConcurrentJobs)
    {
        var host = ForEndpoint(DockerEndpoint.ResolveLocal());
        host.MaxConcurrentJobs = maxConcurrentJobs;
        var tlsVerify = System.Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY");
        if (string.IsNullOrEmpty(tlsVerify) || !host.Endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return host;
        }

        var certFolder = System.Environment.GetEnvironmentVariable("DOCKER_CERT_PATH");
        if (string.IsNullOrEmpty(certFolder))
        {
            certFolder = Path.Combine(
                System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".docker");
        }

        host.TlsCaPath = Path.Combine(certFolder, "ca.pem");
        host.TlsCertPath = Path.Combine(certFolder, "cert.pem");
        host.TlsKeyPath = Path.Combine(certFolder, "key.pem");
        return host;
    }

    /// <summary>Returns an implicit host named local for <paramref name="endpoint"/>, with default settings.</summary>
    internal static ExecutorHost ForEndpoint(Uri endpoint) =>
        new() { Name = LocalName, Endpoint = endpoint.ToString(), IsImplicit = true };

    /// <summary>
    /// Checks every setting, including that the TLS files exist, parse and belong together,
    /// and throws <see cref="Errors.ContainerManagerException"/> for the first invalid one
    /// with the value and the fix.
    /// </summary>
    public void Validate() => ExecutorHostValidator.Validate(this);

    /// <summary>Returns a copy whose labels can be changed without changing this host.</summary>
    public ExecutorHost Clone()
    {
        var copy = (ExecutorHost)MemberwiseClone();
        copy.Labels = new Dictionary<string, string>(Labels, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
