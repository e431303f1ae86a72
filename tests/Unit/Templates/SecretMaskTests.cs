using ContainerManager.Core.Templates;
using Xunit;

namespace ContainerManager.Tests.Templates;

public class SecretMaskTests
{
    [Fact]
    public void MaskValue_DetectedSecret_ReturnsMask()
    {
        Assert.Equal(SecretMask.Mask, SecretMask.MaskValue("DB_PASSWORD", "hunter2", null));
    }

    [Fact]
    public void MaskValue_OrdinaryKey_ReturnsValue()
    {
        Assert.Equal("db.local", SecretMask.MaskValue("DB_HOST", "db.local", null));
    }

    [Fact]
    public void MaskValue_DeclaredKeyIgnoringCase_ReturnsMask()
    {
        string[] declared = ["db_url"];

        Assert.Equal(SecretMask.Mask, SecretMask.MaskValue("DB_URL", "postgres://u:p@h/db", declared));
    }

    [Fact]
    public void MaskValue_DeclaredListWithoutKey_StillDetects()
    {
        string[] declared = ["OTHER"];

        Assert.Equal(SecretMask.Mask, SecretMask.MaskValue("API_TOKEN", "abc", declared));
        Assert.Equal("x", SecretMask.MaskValue("MODE", "x", declared));
    }

    [Fact]
    public void MaskValue_EmptySecret_ReturnsMask()
    {
        // An empty mask result would reveal that the secret is empty.
        Assert.Equal(SecretMask.Mask, SecretMask.MaskValue("TOKEN", "", null));
    }

    [Fact]
    public void Mask_IsEightAsterisks()
    {
        Assert.Equal("********", SecretMask.Mask);
    }

    [Fact]
    public void MaskAll_MasksSecretsAndKeepsOrder()
    {
        var environment = DotEnvParser.Parse("Z_HOST=h\nAPI_KEY=k\nA_MODE=m\nDB_URL=u", "t.env")
            .ToDictionary();

        var masked = SecretMask.MaskAll(environment, ["db_url"]);

        Assert.Equal(["Z_HOST", "API_KEY", "A_MODE", "DB_URL"], masked.Keys);
        Assert.Equal("h", masked["Z_HOST"]);
        Assert.Equal(SecretMask.Mask, masked["API_KEY"]);
        Assert.Equal("m", masked["A_MODE"]);
        Assert.Equal(SecretMask.Mask, masked["DB_URL"]);
        Assert.Equal("k", environment["API_KEY"]);
    }

    [Fact]
    public void MaskAll_HidesSecretInsideOtherValue()
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_PASSWORD"] = "hunter22",
            ["DB_URL"] = "postgres://app:hunter22@db/app",
        };

        var masked = SecretMask.MaskAll(environment, null);

        Assert.Equal("postgres://app:********@db/app", masked["DB_URL"]);
    }

    [Fact]
    public void IsSecret_DeclaredOrDetected()
    {
        Assert.True(SecretMask.IsSecret("api_key", null));
        Assert.True(SecretMask.IsSecret("region", ["REGION"]));
        Assert.False(SecretMask.IsSecret("REGION", ["OTHER"]));
    }

    [Fact]
    public void Redact_ReplacesEveryOccurrence()
    {
        var text = "login with hunter22 failed; retry with hunter22";

        var redacted = SecretMask.Redact(text, ["hunter22"]);

        Assert.Equal("login with ******** failed; retry with ********", redacted);
    }

    [Fact]
    public void Redact_ShortValues_AreSkipped()
    {
        var redacted = SecretMask.Redact("value yes is ok", ["yes", "ok", ""]);

        Assert.Equal("value yes is ok", redacted);
    }

    [Fact]
    public void Redact_FourCharacterValue_IsReplaced()
    {
        Assert.Equal("pin ********", SecretMask.Redact("pin 1234", ["1234"]));
    }

    [Fact]
    public void Redact_LongerSecretFirst_MasksWhole()
    {
        var redacted = SecretMask.Redact("token abcdefgh", ["abcd", "abcdefgh"]);

        Assert.Equal("token ********", redacted);
    }

    [Fact]
    public void Redact_NullEntries_AreSkipped()
    {
        Assert.Equal("a ********", SecretMask.Redact("a s3cr3t", [null, "s3cr3t"]));
    }

    [Fact]
    public void Redact_IsCaseSensitive()
    {
        Assert.Equal("Secret1", SecretMask.Redact("Secret1", ["secret1"]));
    }

    [Fact]
    public void GetSecretValues_ReturnsDetectedAndDeclared()
    {
        var environment = DotEnvParser.Parse("HOST=h\nPASSWORD=p4ss\nURL=u", "t.env").ToDictionary();

        var values = SecretMask.GetSecretValues(environment, ["url"]);

        Assert.Equal(["p4ss", "u"], values);
    }

    [Fact]
    public void Redact_WithSecretValues_ScrubsMessage()
    {
        var environment = DotEnvParser.Parse("HOST=db\nPASSWORD=hunter22", "t.env").ToDictionary();
        var message = "connect to db as admin:hunter22 failed";

        var redacted = SecretMask.Redact(message, SecretMask.GetSecretValues(environment, null));

        Assert.Equal("connect to db as admin:******** failed", redacted);
    }
}
