using System.Net;
using System.Net.Http.Headers;

namespace Tessera.Client.Http;

/// <summary>
/// Streams a file or a caller's stream as a raw request body without buffering it and without disposing the caller's
/// stream (so a seekable one can be rewound for an idempotent retry).
/// </summary>
internal sealed class UploadContent : HttpContent
{
    private readonly Stream _source;

    public UploadContent(Stream source)
    {
        _source = source;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _source.CopyToAsync(stream, 81920, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        if (_source.CanSeek)
        {
            length = _source.Length - _source.Position;
            return true;
        }

        length = 0;
        return false;
    }
}
