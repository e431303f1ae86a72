using ContainerManager.Core.Templates;

namespace ContainerManager.Tests.Templates;

public class TemplateVariableTests
{
    [Fact]
    public void FromDocument_OneVariablePerKeyWithLastLine()
    {
        var document = DotEnvParser.Parse("A=1\nB=2\nA=3", "app.env");

        var variables = TemplateVariable.FromDocument(document, []);

        Assert.Equal(["A", "B"], variables.Select(v => v.Key));
        Assert.Equal("3", variables[0].Value);
        Assert.Equal(3, variables[0].LineNumber);
        Assert.Equal(2, variables[1].LineNumber);
        Assert.All(variables, v => Assert.Equal("app.env", v.Source));
    }

    [Fact]
    public void FromDocument_MasksDetectedDeclaredAndEmbeddedSecrets()
    {
        var document = DotEnvParser.Parse(
            "DB_PASSWORD=hunter22\nDB_URL=pg://u:${DB_PASSWORD}@h\nREGION=eu-1\nMODE=x", "app.env");

        var variables = TemplateVariable.FromDocument(document, ["region"]).ToDictionary(v => v.Key);

        Assert.True(variables["DB_PASSWORD"].IsSecret);
        Assert.Equal(SecretMask.Mask, variables["DB_PASSWORD"].Value);
        Assert.False(variables["DB_URL"].IsSecret);
        Assert.Equal("pg://u:********@h", variables["DB_URL"].Value);
        Assert.True(variables["REGION"].IsSecret);
        Assert.Equal(SecretMask.Mask, variables["REGION"].Value);
        Assert.Equal("x", variables["MODE"].Value);
    }

    [Fact]
    public void FromDocument_InvalidDocument_Throws()
    {
        var document = DotEnvParser.Parse("broken", "app.env");

        Assert.Throws<DotEnvParseException>(() => TemplateVariable.FromDocument(document, []));
    }

    [Fact]
    public void FromTemplate_UsesDeclaredKeysAndTemplateName()
    {
        var template = EnvironmentTemplate.Create(
            "web", null, EnvironmentTemplateContent.FromText("HOST=h1"), ["HOST"],
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var variable = Assert.Single(TemplateVariable.FromTemplate(template));

        Assert.Equal(SecretMask.Mask, variable.Value);
        Assert.Equal("web", variable.Source);
        Assert.Equal("HOST=********", variable.ToString());
    }
}
