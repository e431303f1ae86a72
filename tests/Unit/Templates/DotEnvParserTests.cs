using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using Xunit;

namespace ContainerManager.Tests.Templates;

public class DotEnvParserTests
{
    private const string Source = "test.env";

    /// <summary>
    /// Parse cases: name, template text, expected entries as "KEY=VALUE" in file order (split at
    /// the first '='), and expected errors as "LINE: message fragment" in line order.
    /// </summary>
    public static TheoryData<string, string, string[], string[]> Cases => new()
    {
        // Lines, comments and keys.
        { "single pair", "A=1", ["A=1"], [] },
        { "several lines", "A=1\nB=two", ["A=1", "B=two"], [] },
        { "comment line", "# comment\nA=1", ["A=1"], [] },
        { "indented comment line", "   # comment = not a key\nA=1", ["A=1"], [] },
        { "blank lines", "\n\nA=1\n\n   \n\t\nB=2\n", ["A=1", "B=2"], [] },
        { "export prefix", "export A=1", ["A=1"], [] },
        { "export prefix with tab", "export\tA=1", ["A=1"], [] },
        { "export as key name", "export=1", ["export=1"], [] },
        { "spaces around equals", "A = 1", ["A=1"], [] },
        { "tabs around equals", "A\t=\t1\t", ["A=1"], [] },
        { "indented line", "   A=1", ["A=1"], [] },
        { "key with dot and dash", "my.key-1=x", ["my.key-1=x"], [] },
        { "key with leading underscore", "_A1=x", ["_A1=x"], [] },
        { "lower-case key kept", "a=1\nA=2", ["a=1", "A=2"], [] },

        // Unquoted values.
        { "unquoted value trimmed", "A=  hello world  ", ["A=hello world"], [] },
        { "inline comment after space", "A=value # comment", ["A=value"], [] },
        { "inline comment after tab", "A=value\t# comment", ["A=value"], [] },
        { "hash inside word kept", "A=a#b", ["A=a#b"], [] },
        { "hash at value start kept", "A=#1", ["A=#1"], [] },
        { "only comment after equals", "A= # note", ["A="], [] },
        { "quotes inside unquoted value", "A=it's \"ok\"", ["A=it's \"ok\""], [] },
        { "unquoted backslashes literal", @"A=C:\temp\new", [@"A=C:\temp\new"], [] },
        { "unquoted escaped dollar", @"A=\$HOME", ["A=$HOME"], [] },
        { "equals sign in value", "A=b=c", ["A=b=c"], [] },

        // Single quotes.
        { "single quotes literal", "A='x \\n ${B} $B'", ["A=x \\n ${B} $B"], [] },
        { "single quotes keep hash", "A='a # b' # comment", ["A=a # b"], [] },
        { "single quotes keep blanks", "A='  x  '", ["A=  x  "], [] },
        { "single quotes multi-line", "A='line1\nline2'\nB=2", ["A=line1\nline2", "B=2"], [] },

        // Double quotes.
        { "double escape newline", "A=\"a\\nb\"", ["A=a\nb"], [] },
        { "double escape carriage return", "A=\"a\\rb\"", ["A=a\rb"], [] },
        { "double escape tab", "A=\"a\\tb\"", ["A=a\tb"], [] },
        { "double escape quote", "A=\"say \\\"hi\\\"\"", ["A=say \"hi\""], [] },
        { "double escape backslash", "A=\"a\\\\b\"", ["A=a\\b"], [] },
        { "double escape dollar", "A=\"\\${B} \\$B\"", ["A=${B} $B"], [] },
        { "double unknown escape kept", "A=\"C:\\data\\x\"", ["A=C:\\data\\x"], [] },
        { "double multi-line", "A=\"first\nsecond\"\nB=2", ["A=first\nsecond", "B=2"], [] },
        { "double with comment after", "A=\"x\" # comment", ["A=x"], [] },
        { "double with hash after quote", "A=\"x\"#comment", ["A=x"], [] },
        { "double keeps hash inside", "A=\"a #b\"", ["A=a #b"], [] },
        { "double keeps single quote", "A=\"it's\"", ["A=it's"], [] },

        // Empty values.
        { "empty unquoted value", "A=", ["A="], [] },
        { "empty double-quoted value", "A=\"\"", ["A="], [] },
        { "empty single-quoted value", "A=''", ["A="], [] },

        // Line endings, byte order mark and Unicode.
        { "CRLF line endings", "A=1\r\nB=2\r\n", ["A=1", "B=2"], [] },
        { "CRLF inside double quotes", "A=\"x\r\ny\"\r\nB=2", ["A=x\ny", "B=2"], [] },
        { "lone CR line endings", "A=1\rB=2", ["A=1", "B=2"], [] },
        { "byte order mark", "\uFEFFA=1", ["A=1"], [] },
        { "unicode unquoted value", "HI=héllo wörld ✓ 日本", ["HI=héllo wörld ✓ 日本"], [] },
        { "unicode double-quoted value", "A=\"€\\t😀\"", ["A=€\t😀"], [] },

        // References to earlier keys.
        { "braced reference", "A=1\nB=${A}2", ["A=1", "B=12"], [] },
        { "bare reference", "A=x\nB=$A/y", ["A=x", "B=x/y"], [] },
        { "bare reference stops at dot", "HOST=db\nURL=$HOST.local", ["HOST=db", "URL=db.local"], [] },
        { "reference in double quotes", "A=x\nB=\"<${A}>\"", ["A=x", "B=<x>"], [] },
        { "reference to dotted key", "a.b=1\nC=${a.b}", ["a.b=1", "C=1"], [] },
        { "reference to multi-line value", "A=\"1\n2\"\nB=${A}", ["A=1\n2", "B=1\n2"], [] },
        { "lone dollar literal", "A=$ 5 and $", ["A=$ 5 and $"], [] },
        { "dollar before digit literal", "A=$1", ["A=$1"], [] },
        { "redefinition uses earlier value", "A=x\nA=${A}y", ["A=x", "A=xy"], [] },
        { "default when undefined", "A=${B:-fallback}", ["A=fallback"], [] },
        { "default when empty", "B=\nA=${B:-fallback}", ["B=", "A=fallback"], [] },
        { "default ignored when set", "B=set\nA=${B:-fallback}", ["B=set", "A=set"], [] },
        { "processor reference kept", "A=${env:HOME}", ["A=${env:HOME}"], [] },
        { "processor reference in text", "A=\"pre-${env:USER}-post\"", ["A=pre-${env:USER}-post"], [] },
        { "processor reference any case", "A=${ENV:HOME}", ["A=${ENV:HOME}"], [] },
        { "processor reference copied", "A=${env:X}\nB=${A}", ["A=${env:X}", "B=${env:X}"], [] },
        { "duplicate key kept twice", "A=1\nA=2", ["A=1", "A=2"], [] },

        // Errors.
        { "line without equals", "A=1\nJUSTTEXT\nB=2", ["A=1", "B=2"], ["2: has no '='"] },
        { "export without assignment", "export A", [], ["1: has no '='"] },
        { "key starting with digit", "1A=x", [], ["1: not a valid key"] },
        { "key with space", "A B=x", [], ["1: not a valid key"] },
        { "key with colon", "A:B=x", [], ["1: not a valid key"] },
        { "missing key", " =x", [], ["1: key before '=' is missing"] },
        {
            "unterminated double quote",
            "A=1\nB=\"abc\nC=2",
            ["A=1", "C=2"],
            ["2: double-quoted value of 'B' that starts on this line has no closing \""]
        },
        {
            "unterminated single quote",
            "A=1\n\nB='x\ny\nC=3",
            ["A=1", "C=3"],
            [
                "3: single-quoted value of 'B' that starts on this line has no closing '",
                "4: has no '='",
            ]
        },
        { "text after closing quote", "A=\"x\" y", [], ["1: unexpected text after the closing quote"] },
        { "text after multi-line quote", "A=\"x\ny\" z\nB=1", ["B=1"], ["2: (opened on line 1)"] },
        { "backslash in single quotes", "A='it\\'s'", [], ["1: unexpected text after the closing quote"] },
        { "undefined braced reference", "A=${B}", [], ["1: refers to 'B', which is not defined above"] },
        { "undefined bare reference", "A=x$B", [], ["1: refers to 'B', which is not defined above"] },
        { "reference to later key", "A=${B}\nB=1", ["B=1"], ["1: 'B' is defined later, on line 2"] },
        { "self reference", "A=${A}", [], ["1: self reference"] },
        { "self reference bare", "A=$A", [], ["1: self reference"] },
        { "unterminated brace", "A=${B", [], ["1: contains '${' without a closing '}'"] },
        { "invalid braced name", "A=${1B}", [], ["1: whose name is not a valid key"] },
        { "empty braces", "A=${}", [], ["1: whose name is not a valid key"] },
        { "empty processor name", "A=${env:}", [], ["1: variable name is invalid"] },
        { "processor name with dash", "A=${env:MY-VAR}", [], ["1: variable name is invalid"] },
        { "processor reference without braces", "A=$env:HOME", [], ["1: '$env:' without braces"] },
        { "reference inside default", "A=${B:-${C}}", [], ["1: cannot contain a reference"] },
        { "reference to failed key", "A=${X}\nB=${A}", [], ["1: refers to 'X'"] },
        { "secret key hides name", "DB_PASSWORD=abc$def", [], ["1: the name is not shown"] },
        {
            "several errors collected",
            "A=1\nbad line\nB=${X}\nC=\"open\nD=4\n9=x",
            ["A=1", "D=4"],
            ["2: has no '='", "3: refers to 'X'", "4: has no closing \"", "6: not a valid key"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_TableCase_MatchesExpected(
        string name,
        string text,
        string[] expectedEntries,
        string[] expectedErrors)
    {
        var document = DotEnvParser.Parse(text, Source);

        var actualEntries = document.Entries.Select(entry => $"{entry.Key}={entry.Value}").ToArray();
        Assert.True(
            expectedEntries.SequenceEqual(actualEntries),
            $"{name}: expected entries [{Show(expectedEntries)}], got [{Show(actualEntries)}]");

        var actualErrors = document.Errors.Select(error => error.ToString()).ToArray();
        Assert.True(
            expectedErrors.Length == actualErrors.Length,
            $"{name}: expected {expectedErrors.Length} errors, got [{Show(actualErrors)}]");
        for (var i = 0; i < expectedErrors.Length; i++)
        {
            var separator = expectedErrors[i].IndexOf(": ", StringComparison.Ordinal);
            var line = int.Parse(expectedErrors[i][..separator]);
            var fragment = expectedErrors[i][(separator + 2)..];
            Assert.Equal(line, document.Errors[i].LineNumber);
            Assert.Contains(fragment, document.Errors[i].Message, StringComparison.Ordinal);
            Assert.Equal(Source, document.Errors[i].Source);
        }

        Assert.Equal(expectedErrors.Length == 0, document.IsValid);
    }

    [Fact]
    public void Cases_Count_IsAtLeast45()
    {
        Assert.True(Cases.Count >= 45, $"only {Cases.Count} cases");
    }

    [Fact]
    public void Parse_DuplicateKey_WarnsWithBothLines()
    {
        var document = DotEnvParser.Parse("A=1\nB=2\nA=3", Source);

        var warning = Assert.Single(document.Warnings);
        Assert.Equal(3, warning.LineNumber);
        Assert.Contains("already defined on line 1", warning.Message, StringComparison.Ordinal);
        Assert.Contains("on line 3 replaces it", warning.Message, StringComparison.Ordinal);
        Assert.True(document.IsValid);
    }

    [Fact]
    public void Parse_ThreeDefinitions_WarnsAgainstPreviousLine()
    {
        var document = DotEnvParser.Parse("A=1\nA=2\n\nA=3", Source);

        Assert.Equal(2, document.Warnings.Count);
        Assert.Contains("line 1", document.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(2, document.Warnings[0].LineNumber);
        Assert.Contains("line 2", document.Warnings[1].Message, StringComparison.Ordinal);
        Assert.Equal(4, document.Warnings[1].LineNumber);
    }

    [Fact]
    public void Parse_NoDuplicates_HasNoWarnings()
    {
        var document = DotEnvParser.Parse("A=1\nB=2", Source);

        Assert.Empty(document.Warnings);
    }

    [Fact]
    public void ToDictionary_DuplicateKeys_LastWins()
    {
        var document = DotEnvParser.Parse("A=1\nB=2\nA=3\nC=4", Source);

        var variables = document.ToDictionary();

        Assert.Equal(["A", "B", "C"], variables.Keys);
        Assert.Equal("3", variables["A"]);
        Assert.Equal("2", variables["B"]);
        Assert.Equal("4", variables["C"]);
    }

    [Fact]
    public void ToDictionary_KeysAreCaseSensitive()
    {
        var variables = DotEnvParser.Parse("a=1\nA=2", Source).ToDictionary();

        Assert.Equal(2, variables.Count);
        Assert.Equal("1", variables["a"]);
        Assert.False(variables.ContainsKey("B"));
    }

    [Fact]
    public void ToDictionary_InvalidDocument_Throws()
    {
        var document = DotEnvParser.Parse("A=1\nbroken", Source);

        Assert.Throws<DotEnvParseException>(() => document.ToDictionary());
    }

    [Fact]
    public void ThrowIfInvalid_ValidDocument_DoesNotThrow()
    {
        var document = DotEnvParser.Parse("A=1\nA=2", Source);

        document.ThrowIfInvalid();
    }

    [Fact]
    public void ThrowIfInvalid_Errors_ListsEachLine()
    {
        var document = DotEnvParser.Parse("A=1\nbroken\nB=${MISSING}", "config/app.env");

        var exception = Assert.Throws<DotEnvParseException>(document.ThrowIfInvalid);

        Assert.Equal("InvalidEnvironmentTemplate", exception.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, exception.Kind);
        Assert.Equal("config/app.env", exception.TargetObject);
        Assert.Equal(2, exception.Errors.Count);
        var lines = exception.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Environment template 'config/app.env' is invalid (2 errors).", lines[0]);
        Assert.StartsWith("config/app.env:2: expected KEY=VALUE", lines[1]);
        Assert.StartsWith("config/app.env:3: the value of 'B' refers to 'MISSING'", lines[2]);
    }

    [Fact]
    public void ThrowIfInvalid_OneError_UsesSingularNoun()
    {
        var document = DotEnvParser.Parse("broken", Source);

        var exception = Assert.Throws<DotEnvParseException>(document.ThrowIfInvalid);

        Assert.Contains("(1 error)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostic_ToString_IsSourceLineMessage()
    {
        var diagnostic = new DotEnvDiagnostic("a.env", 7, "something is wrong");

        Assert.Equal("a.env:7: something is wrong", diagnostic.ToString());
    }

    [Fact]
    public void Entry_ToString_LeavesOutValue()
    {
        var entry = new DotEnvEntry("API_TOKEN", "s3cr3t-value", 4);

        Assert.Equal("API_TOKEN (line 4)", entry.ToString());
    }

    [Fact]
    public void Parse_MultiLineValue_KeepsLineNumbers()
    {
        var document = DotEnvParser.Parse("A=\"x\ny\nz\"\nB=1", Source);

        Assert.Equal(1, document.Entries[0].LineNumber);
        Assert.Equal(4, document.Entries[1].LineNumber);
    }

    [Fact]
    public void Parse_CrlfMultiLine_CountsLinesOnce()
    {
        var document = DotEnvParser.Parse("A='x\r\ny'\r\nbroken\r\n", Source);

        var error = Assert.Single(document.Errors);
        Assert.Equal(3, error.LineNumber);
    }

    [Theory]
    [InlineData("PASSWORD=\"hunter2xyzzy\" trailing")]
    [InlineData("MIIEvQIBADANBgkqhkiG9w0BAQ+/EFAASC==")]
    [InlineData("DB_PASSWORD=hunter2$xyzzy")]
    [InlineData("TOKEN=\"hunter2${xyzzy\"")]
    [InlineData("PRIVATE_KEY=\"-----BEGIN\nhunter2xyzzy\nMIIEvQIBADANBgkq")]
    public void Parse_ErrorMessages_LeaveOutValues(string text)
    {
        var document = DotEnvParser.Parse(text, Source);

        Assert.NotEmpty(document.Errors);
        foreach (var error in document.Errors)
        {
            Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("xyzzy", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("MIIEv", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_SecretKeyReference_HidesName()
    {
        var document = DotEnvParser.Parse("API_TOKEN=${PART}\nPART=x", Source);

        var error = Assert.Single(document.Errors);
        Assert.DoesNotContain("PART", error.Message, StringComparison.Ordinal);
        Assert.Contains("defined later, on line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DotEnvParser.Parse(null!, Source));
        Assert.Throws<ArgumentNullException>(() => DotEnvParser.Parse("A=1", null!));
    }

    [Fact]
    public void Parse_EmptyText_IsValidAndEmpty()
    {
        var document = DotEnvParser.Parse("", Source);

        Assert.True(document.IsValid);
        Assert.Empty(document.Entries);
        Assert.Empty(document.ToDictionary());
        Assert.Equal(Source, document.Source);
    }

    [Fact]
    public void Parse_Entries_RecordTheirLastLine()
    {
        var document = DotEnvParser.Parse("A=1\nB=\"x\n\ny\" # note\nC='p\nq'\nD=2", Source);

        Assert.Equal([1, 2, 5, 7], document.Entries.Select(entry => entry.LineNumber));
        Assert.Equal([1, 4, 6, 7], document.Entries.Select(entry => entry.LastLineNumber));
    }

    private static string Show(IEnumerable<string> items) =>
        string.Join(" | ", items.Select(item => item.Replace("\n", "\\n").Replace("\r", "\\r")));
}
