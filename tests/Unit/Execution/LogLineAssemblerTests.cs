using System.Text;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Storage;

namespace ContainerManager.Tests.Execution;

public class LogLineAssemblerTests
{
    [Fact]
    public void Append_CharacterSplitAcrossChunks_IsDecodedWhole()
    {
        var assembler = new LogLineAssembler(LogStream.Stdout, timestamps: false);

        var first = assembler.Append([0xE2]);
        var second = assembler.Append([0x82, 0xAC, (byte)'\n']);

        Assert.Empty(first);
        Assert.Equal("€", Assert.Single(second).Text);
    }

    [Fact]
    public void Append_InvalidBytes_BecomeReplacementCharacters()
    {
        var assembler = new LogLineAssembler(LogStream.Stderr, timestamps: false);

        var lines = assembler.Append([0xFF, 0xFE, .. " ok "u8, 0xE2, 0x82, (byte)'\n', .. "next\n"u8]);

        Assert.Equal(2, lines.Count);
        Assert.Equal("\uFFFD\uFFFD ok \uFFFD", lines[0].Text);
        Assert.Equal("next", lines[1].Text);
        Assert.Equal(LogStream.Stderr, lines[0].Stream);
    }

    [Fact]
    public void Complete_LastLineWithoutNewline_IsReturned()
    {
        var assembler = new LogLineAssembler(LogStream.Stdout, timestamps: false);
        assembler.Append("partial"u8);

        var last = assembler.Complete();

        Assert.Equal("partial", last!.Text);
        Assert.Null(assembler.Complete());
    }

    [Fact]
    public void Append_Timestamps_AreParsedAndStripped()
    {
        var assembler = new LogLineAssembler(LogStream.Stdout, timestamps: true);

        var lines = assembler.Append("2026-12-04T16:20:00.123456789Z hello world\n"u8);

        var line = Assert.Single(lines);
        Assert.Equal("hello world", line.Text);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 20, 0, TimeSpan.Zero).AddTicks(1234568), line.Timestamp);
    }

    [Fact]
    public void Append_TimestampOfContinuedLine_IsStripped()
    {
        var assembler = new LogLineAssembler(LogStream.Stdout, timestamps: true);

        assembler.Append([.. "2026-12-04T16:20:00.1Z "u8, 0xE2]);
        var lines = assembler.Append([.. "2026-12-04T16:20:00.3Z "u8, 0x82, 0xAC, (byte)'\n']);

        var line = Assert.Single(lines);
        Assert.Equal("€", line.Text);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 20, 0, 100, TimeSpan.Zero), line.Timestamp);
    }

    [Fact]
    public void Append_TimestampSplitAcrossReads_IsParsed()
    {
        var assembler = new LogLineAssembler(LogStream.Stdout, timestamps: true);

        var first = assembler.Append(Encoding.ASCII.GetBytes("2026-12-04T16:20"));
        var second = assembler.Append(Encoding.ASCII.GetBytes(":00Z text\n"));

        Assert.Empty(first);
        Assert.Equal("text", Assert.Single(second).Text);
        Assert.NotNull(second[0].Timestamp);
    }
}
