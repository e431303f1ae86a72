using System.Globalization;
using System.Text.RegularExpressions;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Jobs;

namespace ContainerManager.Core.Hosts;

/// <summary>Checks the settings of an <see cref="ExecutorHost"/> before it is stored or used.</summary>
internal static partial class ExecutorHostValidator
{
    private const int MaxLabelValueLength = 256;

    public static void Validate(ExecutorHost host)
    {
        if (!NamePattern().IsMatch(host.Name ?? ""))
        {
            throw Invalid("InvalidHostName",
                $"The host name '{host.Name}' is invalid. Use 1 to 63 letters, digits, '.', '_' or '-', " +
                "starting with a letter or digit.", host.Name);
        }

        if (host.Type != ExecutorHostType.Docker)
        {
            throw Invalid("HostTypeNotSupported",
                $"The host type {host.Type} is not supported yet. Use -Type Docker.", host.Type);
        }

        var endpoint = ParseEndpoint(host.Endpoint);
        ValidateCapacity(host);
        ValidateLabels(host.Labels);
        ValidateTls(host, endpoint);
    }

    /// <summary>Parses a host's endpoint, accepting only the forms a Docker client can reach.</summary>
    public static Uri ParseEndpoint(string? endpoint)
    {
        const string Forms = "Give unix:///path/to/docker.sock, tcp://host:port or npipe://./pipe/name.";
        if (string.IsNullOrWhiteSpace(endpoint)
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw Invalid("InvalidEndpoint", $"The engine endpoint '{endpoint}' is invalid. {Forms}", endpoint);
        }

        var problem = uri.Scheme switch
        {
            "unix" when uri.AbsolutePath.Length <= 1 || !string.IsNullOrEmpty(uri.Host) =>
                "a unix endpoint needs an absolute socket path after unix://",
            "tcp" when string.IsNullOrEmpty(uri.Host) || uri.Port <= 0 =>
                "a tcp endpoint needs a host and a port",
            "tcp" when uri.AbsolutePath.Length > 1 =>
                "a tcp endpoint takes no path",
            "npipe" when !uri.AbsolutePath.StartsWith("/pipe/", StringComparison.OrdinalIgnoreCase) =>
                "a named pipe endpoint has the form npipe://./pipe/name",
            "npipe" when !OperatingSystem.IsWindows() => "named pipes exist only on Windows",
            "unix" or "tcp" or "npipe" => null,
            _ => $"the scheme '{uri.Scheme}' is not supported",
        };
        if (problem is not null)
        {
            throw Invalid("InvalidEndpoint", $"The engine endpoint '{endpoint}' is invalid: {problem}. {Forms}",
                endpoint);
        }

        return uri;
    }

    private static void ValidateCapacity(ExecutorHost host)
    {
        if (host.MaxConcurrentJobs < 1 || host.MaxConcurrentJobs > ExecutorHost.MaxConcurrentJobsLimit)
        {
            throw Invalid("InvalidMaxConcurrentJobs",
                Invariant($"MaxConcurrentJobs {host.MaxConcurrentJobs} is out of range. ") +
                Invariant($"Give 1 to {ExecutorHost.MaxConcurrentJobsLimit}, ") +
                "or disable the host to stop it taking jobs.",
                host.MaxConcurrentJobs);
        }

        if (host.Weight < 0 || host.Weight > ExecutorHost.MaxWeight)
        {
            throw Invalid("InvalidWeight",
                Invariant($"Weight {host.Weight} is out of range. Give 0 to {ExecutorHost.MaxWeight}. ") +
                "A weight of 0 means the host takes only jobs that name it.",
                host.Weight);
        }

        if (host.DefaultMemoryMiB is { } memory && (memory < JobSpec.MinMemoryMiB || memory > JobSpec.MaxMemoryMiB))
        {
            throw Invalid("InvalidDefaultMemory",
                Invariant($"DefaultMemoryMiB {memory} is out of range. ") +
                Invariant($"Give {JobSpec.MinMemoryMiB} to {JobSpec.MaxMemoryMiB} MiB, ") +
                "or leave it unset for no limit.",
                memory);
        }

        if (host.DefaultCpus is { } cpus && (double.IsNaN(cpus) || cpus < JobSpec.MinCpus || cpus > JobSpec.MaxCpus))
        {
            throw Invalid("InvalidDefaultCpus",
                Invariant($"DefaultCpus {cpus} is out of range. Give {JobSpec.MinCpus} to {JobSpec.MaxCpus} cores, ") +
                "or leave it unset for no limit.",
                cpus);
        }
    }

    private static void ValidateLabels(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (!LabelKeyPattern().IsMatch(key ?? ""))
            {
                throw Invalid("InvalidLabel",
                    $"The label key '{key}' is invalid. Use 1 to 63 letters, digits, '.', '_', '/' or '-', " +
                    "starting with a letter or digit.", key);
            }

            if (value is null || value.Length > MaxLabelValueLength || value.Any(char.IsControl))
            {
                throw Invalid("InvalidLabel",
                    $"The value of label '{key}' is invalid. " +
                    Invariant($"Give text of at most {MaxLabelValueLength} characters without control characters."),
                    key);
            }
        }
    }

    private static void ValidateTls(ExecutorHost host, Uri endpoint)
    {
        if ((host.TlsCertPath is null) != (host.TlsKeyPath is null))
        {
            throw Invalid("InvalidTlsSettings",
                $"Host '{host.Name}' has a TLS client {(host.TlsCertPath is null ? "key" : "certificate")} " +
                "without its pair. Give both -TlsCertPath and -TlsKeyPath, or neither.", host.Name);
        }

        if (!host.TlsEnabled)
        {
            return;
        }

        if (endpoint.Scheme != "tcp")
        {
            throw Invalid("InvalidTlsSettings",
                $"Host '{host.Name}' has TLS files, but its endpoint '{host.Endpoint}' is not tcp://. TLS " +
                "applies only to tcp endpoints: remove the TLS paths or use tcp://host:port.", host.Name);
        }

        // Loading the files here, not only when connecting, means a wrong path or a key that
        // belongs to another certificate is reported when the host is added.
        DockerTlsFiles.LoadCertificateAuthorities(host);
        DockerTlsFiles.LoadClientCertificate(host)?.Dispose();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static ContainerManagerException Invalid(string errorId, string message, object? target) =>
        new(errorId, ErrorKind.InvalidArgument, message, target);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKeyPattern();
}
