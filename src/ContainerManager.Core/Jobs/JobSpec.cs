using System.Text;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Jobs;

/// <summary>
/// What a user asks to run. <see cref="Validate"/> checks every field before the store
/// writes anything, so an invalid request leaves the store unchanged.
/// </summary>
public sealed class JobSpec
{
    /// <summary>Largest memory limit accepted, in MiB (1 TiB).</summary>
    public const int MaxMemoryMiB = 1024 * 1024;

    /// <summary>Smallest memory limit accepted, in MiB; the engine rejects less than 6 MiB.</summary>
    public const int MinMemoryMiB = 6;

    /// <summary>Largest CPU limit accepted, in cores.</summary>
    public const double MaxCpus = 1024;

    /// <summary>Smallest CPU limit accepted, in cores (the engine's NanoCPUs resolution is 1e-9).</summary>
    public const double MinCpus = 0.01;

    /// <summary>Longest timeout accepted, in seconds (30 days).</summary>
    public const int MaxTimeoutSeconds = 30 * 24 * 3600;

    /// <summary>Lowest priority accepted.</summary>
    public const int MinPriority = -1000;

    /// <summary>Highest priority accepted.</summary>
    public const int MaxPriority = 1000;

    /// <summary>Largest number of attempts accepted.</summary>
    public const int MaxAttemptsLimit = 100;

    /// <summary>Maximum job name length, in characters.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Size limit of one NAME=value environment string in UTF-8 bytes (Linux's MAX_ARG_STRLEN).</summary>
    public const int MaxVariableBytes = 128 * 1024;

    /// <summary>
    /// Maximum total environment size in UTF-8 bytes. Linux allows about 2 MiB for arguments and
    /// environment together, so half of that is left for the command.
    /// </summary>
    public const int MaxEnvironmentBytes = 1024 * 1024;

    /// <summary>Name shown in listings; defaults to the image's repository path.</summary>
    public string? Name { get; set; }

    /// <summary>Image reference to run.</summary>
    public string Image { get; set; } = "";

    /// <summary>Argument vector; empty runs the image's default command.</summary>
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>Environment variables for the container.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; set; } =
        new Dictionary<string, string>();

    /// <summary>Names of the templates the environment was merged from, in order.</summary>
    public IReadOnlyList<string> EnvironmentTemplates { get; set; } = [];

    /// <summary>Keys whose values are masked in output even if their names do not look secret.</summary>
    public IReadOnlyList<string> SecretKeys { get; set; } = [];

    /// <summary>Memory limit in MiB, or null for none.</summary>
    public int? MemoryMiB { get; set; }

    /// <summary>CPU limit in cores, or null for none.</summary>
    public double? Cpus { get; set; }

    /// <summary>Timeout in seconds, or null for none.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>Higher runs first.</summary>
    public int Priority { get; set; }

    /// <summary>Earliest start time; null means now.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Attempts allowed for infrastructure failures and retryable exit codes.</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Executor host the job must run on, or null to let the processor choose.</summary>
    public string? TargetHost { get; set; }

    /// <summary>Labels the chosen host must carry.</summary>
    public IReadOnlyDictionary<string, string> HostLabels { get; set; } = new Dictionary<string, string>();

    /// <summary>Container exit codes that are retried like infrastructure failures.</summary>
    public IReadOnlyList<int> RetryExitCodes { get; set; } = [];

    /// <summary>Absolute working directory inside the container; null uses the image's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>User (name or uid, optionally :group) the process runs as; null uses the image's.</summary>
    public string? User { get; set; }

    /// <summary>Engine network to join, or none for no network; null uses the engine's default.</summary>
    public string? Network { get; set; }

    /// <summary>Extra container labels; names starting with containermanager. are reserved.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>Named volumes as name:/path[:ro]; the engine creates a missing volume.</summary>
    public IReadOnlyList<string> Volumes { get; set; } = [];

    /// <summary>Bind mounts as /host/path:/container/path[:ro]; the host must allow them.</summary>
    public IReadOnlyList<string> BindMounts { get; set; } = [];

    /// <summary>Whether the container runs privileged; the host must allow it.</summary>
    public bool Privileged { get; set; }

    /// <summary>
    /// Checks every field and throws <see cref="ContainerManagerException"/> with kind
    /// InvalidArgument for the first invalid one, naming the value and the accepted range.
    /// </summary>
    public void Validate()
    {
        if (!ImageReference.TryParse(Image, out _, out var imageError))
        {
            throw Invalid("InvalidImage", $"The image reference '{Image}' is invalid: {imageError}. " +
                "Give a reference such as 'busybox:1.36' or 'registry.example:5000/team/tool@sha256:…'.",
                Image);
        }

        if (Name is not null && (Name.Length is 0 or > MaxNameLength || Name.Any(char.IsControl)))
        {
            throw Invalid("InvalidJobName", $"The job name '{Printable(Name)}' is invalid. Give 1 to " +
                $"{MaxNameLength} characters without control characters (such as tabs or line breaks), or " +
                "omit -Name to use the image's name.", Name);
        }

        ValidateCommand();

        CheckRange("InvalidMemoryLimit", "MemoryMiB", MemoryMiB, MinMemoryMiB, MaxMemoryMiB, "MiB");
        if (Cpus is { } cpus && (double.IsNaN(cpus) || cpus < MinCpus || cpus > MaxCpus))
        {
            throw Invalid("InvalidCpuLimit",
                $"The CPU limit {cpus} is out of range. Give a number of cores from {MinCpus} to {MaxCpus}.",
                cpus);
        }

        CheckRange("InvalidTimeout", "TimeoutSeconds", TimeoutSeconds, 1, MaxTimeoutSeconds, "seconds");
        CheckRange("InvalidMaxAttempts", "MaxAttempts", MaxAttempts, 1, MaxAttemptsLimit, "attempts");
        CheckRange("InvalidPriority", "Priority", Priority, MinPriority, MaxPriority, "");
        foreach (var code in RetryExitCodes)
        {
            CheckRange("InvalidRetryExitCode", "RetryExitCodes", code, 1, 255, "");
        }

        foreach (var (key, value) in Environment)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
            {
                throw Invalid("InvalidEnvironmentKey",
                    $"The environment variable name '{key}' is invalid. " +
                    "Names must be non-empty and contain no '=' or NUL character.", key);
            }

            // The value is not quoted: it may be a secret, and the engine would echo it back
            // in its own error.
            if (value is null || value.Contains('\0'))
            {
                throw Invalid("InvalidEnvironmentValue",
                    $"The value of the environment variable '{key}' contains a NUL character, which a " +
                    "process environment cannot hold. Remove it from the value.", key);
            }

            // Linux refuses to start a process with one environment string of 128 KiB or more.
            if (Encoding.UTF8.GetByteCount(key) + 1 + Encoding.UTF8.GetByteCount(value) >= MaxVariableBytes)
            {
                throw Invalid("EnvironmentTooLarge",
                    $"The environment variable '{key}' is {Encoding.UTF8.GetByteCount(value):N0} bytes long; Linux " +
                    $"starts no process with a variable of {MaxVariableBytes:N0} bytes or more. Pass large data " +
                    "in a file or volume instead.", key);
            }
        }

        var environmentBytes = Environment.Sum(pair =>
            Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value) + 2);
        if (environmentBytes > MaxEnvironmentBytes)
        {
            throw Invalid("EnvironmentTooLarge",
                $"The environment has {environmentBytes:N0} bytes in {Environment.Count} variables, more than the " +
                $"{MaxEnvironmentBytes:N0} allowed. Use fewer or smaller templates and variables, or pass large data " +
                "in a file or volume.", Environment.Count);
        }

        ContainerOptionRules.ValidateWorkingDirectory(WorkingDirectory);
        ContainerOptionRules.ValidateUser(User);
        ContainerOptionRules.ValidateNetwork(Network);
        ContainerOptionRules.ValidateLabels(Labels);
        foreach (var volume in Volumes)
        {
            ContainerOptionRules.ValidateVolume(volume);
        }

        foreach (var bindMount in BindMounts)
        {
            ContainerOptionRules.ValidateBindMount(bindMount);
        }
    }

    private void ValidateCommand()
    {
        for (var i = 0; i < Command.Count; i++)
        {
            var problem = Command[i] switch
            {
                null => "is null",
                var argument when argument.Contains('\0') => "contains a NUL character",
                _ => null,
            };
            if (problem is null)
            {
                continue;
            }

            // Positions count from 1, as a user reads the list given to -Command.
            throw Invalid("InvalidCommand", $"Argument {i + 1} of the command {problem}. Give each argument " +
                "as a string without NUL characters (an empty string is allowed), or omit -Command to run " +
                "the image's default.", Command);
        }
    }

    private static void CheckRange(string errorId, string field, int? value, int min, int max, string unit)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw Invalid(errorId,
                $"The value {v} for {field} is out of range. Give a value from {min} to {max}{(unit.Length > 0 ? " " + unit : "")}.", v);
        }
    }

    // Shows an invalid value in a message on one line and at a readable length.
    private static string Printable(string text)
    {
        var printable = new string(text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 80 ? printable + "…" : printable;
    }

    private static ContainerManagerException Invalid(string errorId, string message, object target) =>
        new(errorId, ErrorKind.InvalidArgument, message, target);
}
