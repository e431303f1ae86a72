using System.Text;
using ContainerManager.Core.Execution;

namespace ContainerManager.Tests.Execution;

public class LogBufferTests
{
    [Fact]
    public void GetText_UnderCap_ReturnsEverything()
    {
        var buffer = new LogBuffer(64);
        buffer.Append("hello "u8);
        buffer.Append("world"u8);

        Assert.Equal("hello world", buffer.GetText());
        Assert.Equal(11, buffer.TotalBytes);
        Assert.Equal(0, buffer.DroppedBytes);
    }

    [Fact]
    public void GetText_OverCap_KeepsHeadAndTailWithMarker()
    {
        var buffer = new LogBuffer(20);
        buffer.Append(Encoding.ASCII.GetBytes("0123456789"));
        for (var i = 0; i < 100; i++)
        {
            buffer.Append("x"u8);
        }

        buffer.Append(Encoding.ASCII.GetBytes("abcdefghij"));
        var text = buffer.GetText();

        Assert.StartsWith("0123456789\n[containermanager: 100 bytes of output dropped here", text);
        Assert.EndsWith("]\nabcdefghij", text);
        Assert.Equal(120, buffer.TotalBytes);
        Assert.Equal(100, buffer.DroppedBytes);
    }

    [Fact]
    public void GetText_LargeSingleAppend_KeepsLastBytes()
    {
        var buffer = new LogBuffer(8);
        buffer.Append(Encoding.ASCII.GetBytes("abcdefghijklmnopqrstuvwxyz"));

        var text = buffer.GetText();

        Assert.StartsWith("abcd\n", text);
        Assert.EndsWith("\nwxyz", text);
        Assert.Equal(18, buffer.DroppedBytes);
    }

    [Fact]
    public void GetText_MultiByteCharacterSplitAcrossAppends_DecodesWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("π€😀");
        var buffer = new LogBuffer(64);
        foreach (var b in bytes)
        {
            buffer.Append([b]);
        }

        Assert.Equal("π€😀", buffer.GetText());
    }

    [Fact]
    public void GetText_InvalidUtf8_BecomesReplacementCharacter()
    {
        var buffer = new LogBuffer(64);
        buffer.Append([(byte)'a', 0xFF, 0xC3, (byte)'b']);

        Assert.Equal("a\uFFFD\uFFFDb", buffer.GetText());
    }

    [Fact]
    public void GetText_CutInsideCharacter_DropsPartialCharacterInsteadOfGarbling()
    {
        var buffer = new LogBuffer(8);
        // 4 bytes of head: "ab" then the first two bytes of "€" (3 bytes).
        buffer.Append(Encoding.UTF8.GetBytes("ab€"));
        buffer.Append(Encoding.ASCII.GetBytes(new string('x', 40)));
        buffer.Append(Encoding.UTF8.GetBytes("€z"));

        var text = buffer.GetText();

        Assert.StartsWith("ab\n", text);
        Assert.EndsWith("\n€z", text);
        Assert.DoesNotContain('\uFFFD', text);
    }
}
