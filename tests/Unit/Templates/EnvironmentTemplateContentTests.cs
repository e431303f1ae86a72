using System.Text;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Templates;

public class EnvironmentTemplateContentTests
{
    public static TheoryData<string> LiteralValues => new()
    {
        "",
        "plain",
        "with spaces  ",
        "it's \"quoted\"",
        @"C:\data\new",
        "trailing backslash\\",
        "$HOME and ${OTHER} stay literal",
        "line one\nline two\r\nline three\rend",
        "tab\there # not a comment",
        "unicode: äöü ✓",
    };

    [Theory]
    [MemberData(nameof(LiteralValues))]
    public void FromVariables_ValueParsesBackUnchanged(string value)
    {
        var content = EnvironmentTemplateContent.FromVariables([new("VALUE", value)]);

        var parsed = content.Parse().ToDictionary();

        Assert.Equal(value, parsed["VALUE"]);
        Assert.Equal(EnvironmentTemplateSource.Hashtable, content.Source);
        Assert.Equal("<hashtable>", content.SourceName);
    }

    [Fact]
    public void FromVariables_ProcessorReference_StaysForTheProcessor()
    {
        var content = EnvironmentTemplateContent.FromVariables([new("DB", "${env:DB_SOURCE}")]);

        var parsed = content.Parse().ToDictionary();

        Assert.Equal("${env:DB_SOURCE}", parsed["DB"]);
        Assert.Equal(["DB_SOURCE"], EnvironmentReferenceResolver.FindReferences(parsed));
    }

    [Fact]
    public void FromVariables_KeepsGivenOrder()
    {
        var content = EnvironmentTemplateContent.FromVariables([new("Z", "1"), new("A", "2")]);

        Assert.Equal(["Z", "A"], content.Parse().ToDictionary().Keys);
    }

    [Fact]
    public void FromVariables_InvalidKeys_ThrowsNamingEveryKey()
    {
        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromVariables(
            [new("GOOD", "1"), new("1BAD", "2"), new("ALSO BAD", "3")]));

        Assert.Equal("InvalidEnvironmentTemplate", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("'1BAD'", error.Message);
        Assert.Contains("'ALSO BAD'", error.Message);
        Assert.DoesNotContain("GOOD", error.Message);
    }

    [Fact]
    public void FromFile_ReadsUtf8AndKeepsFullPath()
    {
        using var temp = new TempStore();
        var path = Path.Combine(temp.Folder, "app.env");
        File.WriteAllText(path, "GREETING=grüße\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var content = EnvironmentTemplateContent.FromFile(path);

        Assert.Equal("grüße", content.Parse().ToDictionary()["GREETING"]);
        Assert.Equal(EnvironmentTemplateSource.File, content.Source);
        Assert.Equal(path, content.SourcePath);
        Assert.Equal(path, content.SourceName);
    }

    [Fact]
    public void FromFile_OverLimit_ThrowsTemplateTooLarge()
    {
        using var temp = new TempStore();
        var path = Path.Combine(temp.Folder, "huge.env");
        File.WriteAllText(path, "BIG=" + new string('x', EnvironmentTemplateContent.MaxTextBytes));

        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromFile(path));

        Assert.Equal(TemplateErrors.TooLargeId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void FromFile_EndlessDevice_ThrowsTemplateTooLarge()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromFile("/dev/zero"));

        Assert.Equal(TemplateErrors.TooLargeId, error.ErrorId);
    }

    [Fact]
    public void FromText_OverLimit_ThrowsTemplateTooLarge()
    {
        var text = "BIG=" + new string('x', EnvironmentTemplateContent.MaxTextBytes);

        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromText(text));

        Assert.Equal(TemplateErrors.TooLargeId, error.ErrorId);
        Assert.Contains(EnvironmentTemplateContent.TextSourceName, error.Message);
    }

    [Fact]
    public void FromFile_Missing_ThrowsTemplateFileNotFound()
    {
        using var temp = new TempStore();
        var path = Path.Combine(temp.Folder, "missing.env");

        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromFile(path));

        Assert.Equal(TemplateErrors.FileNotFoundId, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void FromFile_Folder_ThrowsTemplateFileUnreadable()
    {
        using var temp = new TempStore();

        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplateContent.FromFile(temp.Folder));

        Assert.Equal(TemplateErrors.FileUnreadableId, error.ErrorId);
    }

    [Fact]
    public void ToString_LeavesOutText()
    {
        var content = EnvironmentTemplateContent.FromText("DB_PASSWORD=hunter22");

        Assert.Equal("<text>", content.ToString());
    }
}
