using System.Globalization;

namespace ContainerManager.Bench;

/// <summary>Command-line options shared by the benchmark commands.</summary>
internal sealed class BenchOptions
{
    public string Image { get; private set; } = System.Environment.GetEnvironmentVariable("CM_TEST_IMAGE") ?? "";

    public int Jobs { get; private set; } = 200;

    public int Concurrency { get; private set; } = 4;

    public int Samples { get; private set; } = 30;

    public int SpacingMilliseconds { get; private set; } = 300;

    public string? Directory { get; private set; }

    public int LargeStoreJobs { get; private set; } = 100_000;

    public int SmallStoreJobs { get; private set; } = 100;

    public int Claims { get; private set; } = 3000;

    public IReadOnlyList<int> Batches { get; private set; } = [1, 10];

    /// <exception cref="ArgumentException">An option is unknown, missing its value or invalid.</exception>
    public static BenchOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {name} is missing its value");
            }

            var value = args[i + 1];
            switch (name)
            {
                case "--image": options.Image = value; break;
                case "--jobs": options.Jobs = Positive(name, value); break;
                case "--concurrency": options.Concurrency = Positive(name, value); break;
                case "--samples": options.Samples = Positive(name, value); break;
                case "--spacing-ms": options.SpacingMilliseconds = Positive(name, value); break;
                case "--dir": options.Directory = value; break;
                case "--large": options.LargeStoreJobs = Positive(name, value); break;
                case "--small": options.SmallStoreJobs = Positive(name, value); break;
                case "--claims": options.Claims = Positive(name, value); break;
                case "--batches":
                    options.Batches = value.Split(',').Select(part => Positive(name, part)).ToArray();
                    break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }

        return options;
    }

    private static int Positive(string name, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new ArgumentException($"{name} is invalid: expected a positive whole number, not '{value}'");
        }

        return number;
    }
}
