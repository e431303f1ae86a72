using System.Globalization;
using System.Text;
using ContainerManager.Core.Storage;

namespace ContainerManager.Core.Execution;

/// <summary>
/// Turns the byte chunks of one output stream into lines. A decoder keeps the bytes of a
/// character split across chunks, so it is decoded whole, and invalid UTF-8 becomes U+FFFD.
/// </summary>
/// <remarks>
/// With engine timestamps, every log message starts with an RFC 3339 time and a space. The
/// json-file driver stores one message per line, and a write without a newline as a message
/// of its own. So a timestamp is expected at the start of each line, and it may also start a
/// read that continues a line, because a read never spans two messages. <see cref="Append"/>
/// strips it there only.
/// </remarks>
internal sealed class LogLineAssembler
{
    // RFC 3339 with nanoseconds, such as 2026-12-04T16:20:00.123456789Z, is 30 bytes; offsets
    // make it longer, so 40 bytes bound the search for the space after it.
    private const int MaxTimestampLength = 40;

    private readonly LogStream _stream;
    private readonly bool _timestamps;
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();
    private readonly List<byte> _pendingTimestamp = [];
    private DateTimeOffset? _lineTimestamp;
    private bool _atLineStart = true;
    private char[] _chars = new char[256];

    public LogLineAssembler(LogStream stream, bool timestamps)
    {
        _stream = stream;
        _timestamps = timestamps;
    }

    /// <summary>Adds one read result of this stream and returns the lines it completed.</summary>
    public List<LogLine> Append(ReadOnlySpan<byte> chunk)
    {
        var lines = new List<LogLine>();
        if (_timestamps && !_atLineStart && _pendingTimestamp.Count == 0)
        {
            chunk = StripContinuationTimestamp(chunk);
        }

        while (chunk.Length > 0)
        {
            if (_timestamps && _atLineStart)
            {
                chunk = ReadLeadingTimestamp(chunk);
                if (_atLineStart)
                {
                    // The timestamp continues in the next read.
                    break;
                }
            }

            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Decode(chunk, flush: false);
                break;
            }

            Decode(chunk[..newline], flush: true);
            lines.Add(TakeLine());
            chunk = chunk[(newline + 1)..];
        }

        return lines;
    }

    /// <summary>Returns the last line when the output did not end with a newline, else null.</summary>
    public LogLine? Complete()
    {
        Decode([], flush: true);
        return _line.Length > 0 || !_atLineStart ? TakeLine() : null;
    }

    private LogLine TakeLine()
    {
        var line = new LogLine(_stream, _line.ToString(), _lineTimestamp);
        _line.Clear();
        _lineTimestamp = null;
        _atLineStart = true;
        return line;
    }

    private void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = _decoder.GetChars(bytes, _chars, flush);
        _line.Append(_chars, 0, count);
        if (bytes.Length > 0)
        {
            _atLineStart = false;
        }
    }

    // Collects bytes up to the space after the timestamp, across reads if needed. Output
    // that does not start with a timestamp (a log driver without them) is kept as text.
    private ReadOnlySpan<byte> ReadLeadingTimestamp(ReadOnlySpan<byte> chunk)
    {
        var space = chunk.IndexOf((byte)' ');
        if (space < 0 && _pendingTimestamp.Count + chunk.Length < MaxTimestampLength)
        {
            _pendingTimestamp.AddRange(chunk);
            return [];
        }

        var take = space < 0 ? 0 : space;
        _pendingTimestamp.AddRange(chunk[..take]);
        var text = Encoding.ASCII.GetString([.. _pendingTimestamp]);
        var pending = _pendingTimestamp.ToArray();
        _pendingTimestamp.Clear();
        _atLineStart = false;
        if (space >= 0 && TryParseTimestamp(text, out var timestamp))
        {
            _lineTimestamp = timestamp;
            return chunk[(space + 1)..];
        }

        Decode(pending, flush: false);
        return chunk[take..];
    }

    private static ReadOnlySpan<byte> StripContinuationTimestamp(ReadOnlySpan<byte> chunk)
    {
        var space = chunk[..Math.Min(chunk.Length, MaxTimestampLength)].IndexOf((byte)' ');
        if (space > 0 && TryParseTimestamp(Encoding.ASCII.GetString(chunk[..space]), out _))
        {
            return chunk[(space + 1)..];
        }

        return chunk;
    }

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp)
            && text.Contains('T', StringComparison.Ordinal);
}
