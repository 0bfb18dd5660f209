using System.Buffers.Binary;

namespace Tessera.Node.Datasets;

/// <summary>
/// Draws from another random source in 4 KiB blocks and hands the bytes out in order. The OS CSPRNG costs a system call per
/// request (about 0.8 microseconds here), so asking it for 8 bytes per mock value made synthesising a 200 MB CSV's mock take
/// some 25 s; in blocks it is some 4 ns a value. The bytes are the inner source's, so a CSPRNG stays one. Not thread-safe:
/// one instance per synthesis.
/// </summary>
internal sealed class BufferedRandomSource(IRandomSource inner) : IRandomSource
{
    private readonly byte[] _buffer = new byte[4096];
    private int _next = 4096;

    public void NextBytes(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_next == _buffer.Length)
            {
                inner.NextBytes(_buffer);
                _next = 0;
            }

            var count = Math.Min(destination.Length, _buffer.Length - _next);
            _buffer.AsSpan(_next, count).CopyTo(destination);
            _next += count;
            destination = destination[count..];
        }
    }

    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        NextBytes(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
