using System.Globalization;
using System.Text;

namespace ContainerManager.Core.Execution;

/// <summary>
/// Bounded capture of one output stream: keeps the first and the last bytes up to a cap and
/// counts what falls between, so memory stays fixed whatever a container prints. Bytes are
/// decoded as UTF-8 only when the text is taken, so a character split across two writes is
/// still decoded whole.
/// </summary>
public sealed class LogBuffer
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private int _tailPosition;
    private int _tailLength;

    /// <summary>Creates a buffer that keeps at most <paramref name="capBytes"/> bytes.</summary>
    /// <param name="capBytes">Half is kept from the start of the output, half from its end.</param>
    public LogBuffer(int capBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capBytes, 2);
        _head = new byte[capBytes / 2];
        _tail = new byte[capBytes - _head.Length];
    }

    /// <summary>Bytes written so far.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes that were neither kept in the head nor in the tail.</summary>
    public long DroppedBytes => TotalBytes - _headLength - _tailLength;

    /// <summary>Appends bytes of output.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var toHead = Math.Min(data.Length, _head.Length - _headLength);
        data[..toHead].CopyTo(_head.AsSpan(_headLength));
        _headLength += toHead;
        data = data[toHead..];
        if (data.Length >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
            _tailPosition = 0;
            _tailLength = _tail.Length;
            return;
        }

        // The tail is a ring: _tailPosition is where the next byte goes, which is also the
        // oldest byte once the ring is full.
        var first = Math.Min(data.Length, _tail.Length - _tailPosition);
        data[..first].CopyTo(_tail.AsSpan(_tailPosition));
        data[first..].CopyTo(_tail);
        _tailPosition = (_tailPosition + data.Length) % _tail.Length;
        _tailLength = Math.Min(_tail.Length, _tailLength + data.Length);
    }

    /// <summary>
    /// Returns the kept output as text. Invalid UTF-8 becomes U+FFFD. When bytes were dropped,
    /// a marker line with their count replaces them.
    /// </summary>
    public string GetText()
    {
        var encoding = new UTF8Encoding(false, false);
        var tail = TailBytes();
        if (DroppedBytes == 0)
        {
            var all = new byte[_headLength + tail.Length];
            _head.AsSpan(0, _headLength).CopyTo(all);
            tail.CopyTo(all.AsSpan(_headLength));
            return encoding.GetString(all);
        }

        // Cut at character boundaries so the marker does not split a multi-byte character
        // into two replacement characters.
        var headEnd = BoundaryBefore(_head, _headLength);
        var tailStart = BoundaryAfter(tail);
        var dropped = DroppedBytes + (_headLength - headEnd) + tailStart;
        var marker = string.Format(
            CultureInfo.InvariantCulture,
            "\n[containermanager: {0} bytes of output dropped here; the log keeps the first and last {1} bytes]\n",
            dropped,
            _head.Length);
        return encoding.GetString(_head, 0, headEnd) + marker + encoding.GetString(tail, tailStart, tail.Length - tailStart);
    }

    private byte[] TailBytes()
    {
        var result = new byte[_tailLength];
        if (_tailLength < _tail.Length)
        {
            _tail.AsSpan(0, _tailLength).CopyTo(result);
            return result;
        }

        _tail.AsSpan(_tailPosition).CopyTo(result);
        _tail.AsSpan(0, _tailPosition).CopyTo(result.AsSpan(_tail.Length - _tailPosition));
        return result;
    }

    // Returns the length of the head without a trailing incomplete UTF-8 sequence.
    private static int BoundaryBefore(byte[] bytes, int length)
    {
        var i = length;
        var continuation = 0;
        while (i > 0 && continuation < 3 && (bytes[i - 1] & 0xC0) == 0x80)
        {
            i--;
            continuation++;
        }

        if (i == 0)
        {
            return length;
        }

        var lead = bytes[i - 1];
        var needed = ContinuationBytes(lead);
        return needed > continuation ? i - 1 : length;
    }

    // Returns how many continuation bytes follow a UTF-8 lead byte.
    private static int ContinuationBytes(byte lead)
    {
        if (lead >= 0xF0)
        {
            return 3;
        }

        if (lead >= 0xE0)
        {
            return 2;
        }

        return lead >= 0xC0 ? 1 : 0;
    }

    // Returns the index of the first byte of the tail that is not a continuation byte.
    private static int BoundaryAfter(byte[] bytes)
    {
        var i = 0;
        while (i < bytes.Length && i < 3 && (bytes[i] & 0xC0) == 0x80)
        {
            i++;
        }

        return i;
    }
}
