using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;

namespace ContainerManager.Tests.Templates;

public class EnvironmentTemplateTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Text_MultiLineSecret_ShowsOneMaskedLine()
    {
        var text = "A=1\nPRIVATE_KEY=\"-----BEGIN-----\nabcdef\n-----END-----\"\nB=2\n";

        var template = Create(text);

        Assert.Equal("A=1\nPRIVATE_KEY=********\nB=2\n", template.Text);
    }

    [Fact]
    public void Text_KeepsLineEndingsCommentsAndExportPrefix()
    {
        var text = "# db\r\nexport DB_PASSWORD = 'hunter22' # old\r\nDB_HOST=db\rMODE=x";

        var template = Create(text);

        Assert.Equal("# db\r\nexport DB_PASSWORD =********\r\nDB_HOST=db\rMODE=x", template.Text);
    }

    [Fact]
    public void Text_DeclaredKeyAndEveryDefinition_AreMasked()
    {
        var template = Create("HOST=h1\nHOST=h2-secret\nMODE=x", ["host"]);

        Assert.Equal("HOST=********\nHOST=********\nMODE=x", template.Text);
    }

    [Fact]
    public void Text_SecretRepeatedInCommentOrOtherKey_IsHidden()
    {
        var template = Create("DB_PASSWORD=hunter22\n# old: hunter22\nCOPY=hunter22");

        Assert.DoesNotContain("hunter22", template.Text);
        Assert.DoesNotContain("hunter22", string.Join("\n", template.Variables.Values));
        Assert.Equal("hunter22", template.VariableValues["COPY"]);
    }

    [Fact]
    public void Variables_AreMaskedButValuesAreKept()
    {
        var template = Create("API_TOKEN=t0ken-value\nMODE=fast");

        Assert.Equal(SecretMask.Mask, template.Variables["API_TOKEN"]);
        Assert.Equal("fast", template.Variables["MODE"]);
        Assert.Equal("t0ken-value", template.VariableValues["API_TOKEN"]);
    }

    [Fact]
    public void Create_InvalidText_Throws()
    {
        Assert.Throws<DotEnvParseException>(() => Create("broken"));
    }

    [Fact]
    public void ToString_IsName()
    {
        Assert.Equal("web", Create("DB_PASSWORD=hunter22").ToString());
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("_web.prod-2", true)]
    [InlineData("9lives", true)]
    [InlineData("", false)]
    [InlineData(".web", false)]
    [InlineData("web app", false)]
    [InlineData("web/app", false)]
    [InlineData("wéb", false)]
    public void IsValidName_AcceptsOnlyAsciiNames(string name, bool expected)
    {
        Assert.Equal(expected, EnvironmentTemplate.IsValidName(name));
    }

    [Fact]
    public void IsValidName_RejectsOverLongName()
    {
        Assert.True(EnvironmentTemplate.IsValidName(new string('a', EnvironmentTemplate.MaxNameLength)));
        Assert.False(EnvironmentTemplate.IsValidName(new string('a', EnvironmentTemplate.MaxNameLength + 1)));
    }

    [Fact]
    public void ValidateName_Invalid_ThrowsInvalidTemplateName()
    {
        var error = Assert.Throws<ContainerManagerException>(() => EnvironmentTemplate.ValidateName("a b"));

        Assert.Equal(TemplateErrors.InvalidNameId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    private static EnvironmentTemplate Create(string text, IReadOnlyList<string>? secretKeys = null) =>
        EnvironmentTemplate.Create(
            "web", null, EnvironmentTemplateContent.FromText(text), secretKeys ?? [], Time, Time);
}
