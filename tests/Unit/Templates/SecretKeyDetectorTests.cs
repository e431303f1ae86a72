using ContainerManager.Core.Templates;
using Xunit;

namespace ContainerManager.Tests.Templates;

public class SecretKeyDetectorTests
{
    [Theory]
    [InlineData("PASSWORD")]
    [InlineData("password")]
    [InlineData("DB_PASSWORD")]
    [InlineData("MYSQL_ROOT_PASSWORD")]
    [InlineData("DBPASSWORD")]
    [InlineData("dbPassword")]
    [InlineData("PASSWD")]
    [InlineData("PWD")]
    [InlineData("DB_PASS")]
    [InlineData("ENCRYPTION_PASSPHRASE")]
    [InlineData("SECRET")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("app.secret.value")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("refresh-tokens")]
    [InlineData("accessToken")]
    [InlineData("KEY")]
    [InlineData("API_KEY")]
    [InlineData("apiKey")]
    [InlineData("APIKey")]
    [InlineData("APIKEY")]
    [InlineData("my-api-key")]
    [InlineData("ACCESS_KEY")]
    [InlineData("ACCESSKEY_ID")]
    [InlineData("PRIVATE_KEY")]
    [InlineData("SSH_KEYS")]
    [InlineData("S3_KEY2")]
    [InlineData("AZURE_CREDENTIALS")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("DOCKER_CREDS")]
    [InlineData("AUTH")]
    [InlineData("BASIC_AUTH")]
    [InlineData("AUTHORIZATION_HEADER")]
    [InlineData("BEARER")]
    [InlineData("JWT_SIGNING")]
    [InlineData("TLS_CERT")]
    [InlineData("SENTRY_DSN")]
    [InlineData("PASSWORD_SALT")]
    [InlineData("SESSION_COOKIE")]
    [InlineData("sessionId")]
    [InlineData("WEBHOOK_SIGNATURE")]
    [InlineData("PRIVATE")]
    [InlineData("CONNECTION_STRING")]
    [InlineData("ConnectionStrings:Default")]
    [InlineData("DB_CONNECTIONSTRING")]
    public void IsSecretKey_SecretName_ReturnsTrue(string key)
    {
        Assert.True(SecretKeyDetector.IsSecretKey(key), key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MONKEY")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("KEYCLOAK_URL")]
    [InlineData("DONKEY_COUNT")]
    [InlineData("TURNKEY")]
    [InlineData("WHISKEY")]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("NODE_ENV")]
    [InlineData("LOG_LEVEL")]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("TOKENIZERS_PARALLELISM")]
    [InlineData("AUTHOR")]
    [InlineData("AUTHOR_NAME")]
    [InlineData("PASSENGER_COUNT")]
    [InlineData("BYPASS_CACHE")]
    [InlineData("COMPASS_DIR")]
    [InlineData("CERTAINTY")]
    [InlineData("SALTY")]
    [InlineData("PRIVACY_POLICY_URL")]
    [InlineData("DATABASE_HOST")]
    [InlineData("cookieless")]
    public void IsSecretKey_OrdinaryName_ReturnsFalse(string key)
    {
        Assert.False(SecretKeyDetector.IsSecretKey(key), key);
    }

    [Theory]
    [InlineData("API_KEY", "API|KEY")]
    [InlineData("apiKey", "api|Key")]
    [InlineData("APIKey", "API|Key")]
    [InlineData("my-api.key", "my|api|key")]
    [InlineData("S3_KEY2", "S|3|KEY|2")]
    [InlineData("__A__", "A")]
    [InlineData("ConnectionStrings:Default", "Connection|Strings|Default")]
    public void SplitIntoSegments_SplitsAtSeparatorsAndCase(string key, string expected)
    {
        var segments = SecretKeyDetector.SplitIntoSegments(key);

        Assert.Equal(expected.Split('|'), segments);
    }

    [Fact]
    public void IsSecretKey_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SecretKeyDetector.IsSecretKey(null!));
    }
}
