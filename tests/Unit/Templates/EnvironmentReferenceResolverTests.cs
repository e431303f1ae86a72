using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using Xunit;

namespace ContainerManager.Tests.Templates;

public class EnvironmentReferenceResolverTests
{
    private static readonly Dictionary<string, string> _processorEnvironment = new()
    {
        ["HOME"] = "/home/runner",
        ["USER"] = "runner",
        ["EMPTY"] = "",
        ["NESTED"] = "${env:USER}",
    };

    private static string? Lookup(string name) =>
        _processorEnvironment.TryGetValue(name, out var value) ? value : null;

    private static IReadOnlyDictionary<string, string> Parse(string text) =>
        DotEnvParser.Parse(text, "t.env").ToDictionary();

    [Fact]
    public void Resolve_Reference_ReplacedByProcessorValue()
    {
        var resolved = EnvironmentReferenceResolver.Resolve(Parse("A=${env:HOME}/data"), Lookup);

        Assert.Equal("/home/runner/data", resolved["A"]);
    }

    [Fact]
    public void Resolve_SeveralReferencesInOneValue_AllReplaced()
    {
        var environment = Parse("A=\"${env:USER}@${env:HOME} ${env:USER}\"");

        var resolved = EnvironmentReferenceResolver.Resolve(environment, Lookup);

        Assert.Equal("runner@/home/runner runner", resolved["A"]);
    }

    [Fact]
    public void Resolve_AnyCasePrefix_Replaced()
    {
        var resolved = EnvironmentReferenceResolver.Resolve(Parse("A=${ENV:USER}"), Lookup);

        Assert.Equal("runner", resolved["A"]);
    }

    [Fact]
    public void Resolve_EmptyProcessorValue_IsSet()
    {
        var resolved = EnvironmentReferenceResolver.Resolve(Parse("A=x${env:EMPTY}y"), Lookup);

        Assert.Equal("xy", resolved["A"]);
    }

    [Fact]
    public void Resolve_ProcessorValueWithReference_NotExpandedAgain()
    {
        var resolved = EnvironmentReferenceResolver.Resolve(Parse("A=${env:NESTED}"), Lookup);

        Assert.Equal("${env:USER}", resolved["A"]);
    }

    [Fact]
    public void Resolve_ValuesWithoutReferences_Unchanged()
    {
        var environment = new Dictionary<string, string>
        {
            ["PLAIN"] = "text",
            ["MALFORMED"] = "${env:} ${env:A-B} ${env:X",
            ["OTHER"] = "${HOME}",
        };

        var resolved = EnvironmentReferenceResolver.Resolve(environment, Lookup);

        Assert.Equal("text", resolved["PLAIN"]);
        Assert.Equal("${env:} ${env:A-B} ${env:X", resolved["MALFORMED"]);
        Assert.Equal("${HOME}", resolved["OTHER"]);
    }

    [Fact]
    public void Resolve_KeepsKeyOrder()
    {
        var resolved = EnvironmentReferenceResolver.Resolve(Parse("Z=1\nA=${env:USER}\nM=3"), Lookup);

        Assert.Equal(["Z", "A", "M"], resolved.Keys);
    }

    [Fact]
    public void Resolve_LooksUpEachNameOnce()
    {
        var calls = new List<string>();
        string? CountingLookup(string name)
        {
            calls.Add(name);
            return Lookup(name);
        }

        var environment = Parse("A=${env:USER}\nB=${env:USER}${env:HOME}");

        EnvironmentReferenceResolver.Resolve(environment, CountingLookup);

        Assert.Equal(["USER", "HOME"], calls);
    }

    [Fact]
    public void Resolve_MissingVariable_Throws()
    {
        var environment = Parse("DB_PASSWORD=hunter22\nDATA_DIR=${env:DATA_ROOT}/x");

        var exception = Assert.Throws<ContainerManagerException>(
            () => EnvironmentReferenceResolver.Resolve(environment, Lookup));

        Assert.Equal("EnvironmentReferenceMissing", exception.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, exception.Kind);
        Assert.Contains("'DATA_DIR'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("${env:DATA_ROOT}", exception.Message, StringComparison.Ordinal);
        Assert.Contains(
            "Set DATA_ROOT in the processor's environment",
            exception.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", exception.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "DATA_ROOT" }, exception.TargetObject);
    }

    [Fact]
    public void Resolve_MissingVariable_LeavesOutResolvedValues()
    {
        var environment = Parse("TOKEN=${env:USER}\nB=${env:NOPE}");

        var exception = Assert.Throws<ContainerManagerException>(
            () => EnvironmentReferenceResolver.Resolve(environment, Lookup));

        Assert.DoesNotContain("runner", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SeveralMissing_ListsEachOnce()
    {
        var environment = Parse("A=${env:X}${env:X}\nB=${env:Y}\nC=${env:X}");

        var exception = Assert.Throws<ContainerManagerException>(
            () => EnvironmentReferenceResolver.Resolve(environment, Lookup));

        var lines = exception.Message.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("  'A' refers to ${env:X}", lines[1]);
        Assert.Equal("  'B' refers to ${env:Y}", lines[2]);
        Assert.Equal("  'C' refers to ${env:X}", lines[3]);
        Assert.StartsWith("Set X, Y in the processor's environment", lines[4]);
        Assert.Equal(new[] { "X", "Y" }, exception.TargetObject);
    }

    [Fact]
    public void FindReferences_ReturnsDistinctNamesInOrder()
    {
        var parsed = Parse("A=${env:B_VAR}\nB='${env:A_VAR} ${env:B_VAR}'");
        var environment = new Dictionary<string, string>(parsed)
        {
            ["C"] = "${env:}x ${env:BAD-NAME}",
            ["D"] = "${${env:C_VAR}}",
        };

        var names = EnvironmentReferenceResolver.FindReferences(environment);

        Assert.Equal(["B_VAR", "A_VAR", "C_VAR"], names);
    }

    [Fact]
    public void FindReferences_NoReferences_ReturnsEmpty()
    {
        Assert.Empty(EnvironmentReferenceResolver.FindReferences(Parse("A=1\nB=${A}")));
    }

    [Fact]
    public void Resolve_NullArguments_Throw()
    {
        var environment = new Dictionary<string, string>();

        Assert.Throws<ArgumentNullException>(
            () => EnvironmentReferenceResolver.Resolve(null!, Lookup));
        Assert.Throws<ArgumentNullException>(
            () => EnvironmentReferenceResolver.Resolve(environment, null!));
    }
}
