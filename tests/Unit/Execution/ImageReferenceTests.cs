using ContainerManager.Core.Execution;

namespace ContainerManager.Tests.Execution;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", null, "busybox", null, null)]
    [InlineData("busybox:1.36", null, "busybox", "1.36", null)]
    [InlineData("library/busybox:latest", null, "library/busybox", "latest", null)]
    [InlineData("localhost/tool", "localhost", "tool", null, null)]
    [InlineData("127.0.0.1:5000/team/tool:1.2", "127.0.0.1:5000", "team/tool", "1.2", null)]
    [InlineData("registry.example.com/a/b/c", "registry.example.com", "a/b/c", null, null)]
    [InlineData("ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "ghcr.io", "org/app", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("reg:443/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "reg:443", "app", "v1", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("my-registry.local:15000/with__double/under_score-name", "my-registry.local:15000",
        "with__double/under_score-name", null, null)]
    public void TryParse_ValidReference_SplitsParts(
        string text, string? registry, string path, string? tag, string? digest)
    {
        Assert.True(ImageReference.TryParse(text, out var reference, out var error), error);
        Assert.Equal(registry, reference!.Registry);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Busybox")]
    [InlineData("User/repo")]
    [InlineData("busybox:")]
    [InlineData("busybox:-bad")]
    [InlineData("busybox@sha256:short")]
    [InlineData("team/tool:1:2")]
    [InlineData("-leading/dash")]
    [InlineData("a b")]
    [InlineData("busybox:t\u00e9st")]
    public void TryParse_InvalidReference_ReturnsError(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void PullTag_PrefersDigestAndDefaultsToLatest()
    {
        ImageReference.TryParse("reg:5000/app", out var plain, out _);
        ImageReference.TryParse(
            "reg:5000/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            out var pinned, out _);

        Assert.Equal("latest", plain!.PullTag);
        Assert.Equal("reg:5000/app", plain.Repository);
        Assert.StartsWith("sha256:", pinned!.PullTag);
    }

    [Fact]
    public void TryParse_NameOver255Characters_ReturnsError()
    {
        var longest = "reg.example:5000/" + new string('a', 255 - "reg.example:5000/".Length);

        Assert.True(ImageReference.TryParse(longest + ":v1", out _, out _));
        Assert.False(ImageReference.TryParse(longest + "b:v1", out _, out var error));
        Assert.Contains("256 characters", error);
    }
}
