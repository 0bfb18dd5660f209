using System.Diagnostics;

namespace Tessera.NodeBench;

/// <summary>
/// A read-only pass-through that notes when the last byte of the inner stream was read by the HTTP client (that is, handed to
/// the socket), so the upload's send time can be told apart from the node's validation after it.
/// </summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    private long _begin;
    private long _lastByteAt;

    public double SecondsToLastByte => _lastByteAt == 0 ? double.NaN : (double)(_lastByteAt - _begin) / Stopwatch.Frequency;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set
        {
            inner.Position = value;
            _lastByteAt = 0;
        }
    }

    public void Start(long timestamp) => _begin = timestamp;

    public override int Read(byte[] buffer, int offset, int count) => Note(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Note(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Note(int read)
    {
        if ((read > 0 && inner.Position >= inner.Length) || (read == 0 && _lastByteAt == 0))
        {
            _lastByteAt = Stopwatch.GetTimestamp();
        }

        return read;
    }
}
