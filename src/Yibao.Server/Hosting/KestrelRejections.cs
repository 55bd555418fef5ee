using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yibao.Domain.Errors;
using Yibao.Server.Problems;

namespace Yibao.Server.Hosting;

/// <summary>
/// Kestrel answers a request it cannot parse — a <c>%00</c> in the path, a malformed request line
/// or header, a header too large — by itself, before any middleware runs: a 4xx status, no body,
/// <c>Connection: close</c> (the Kestrel team: "this category of errors is not customisable").
/// This connection middleware gives that answer our problem document, so a client sees a stable
/// code there too (<c>request-rejected</c>, with Kestrel's status).
/// <para>It recognises Kestrel's own answer only: an HTTP/1.x head with a 4xx status, <c>Content-Length: 0</c>,
/// <c>Connection: close</c> and no <c>Content-Type</c>, written on its own — something this application never
/// writes, as every error of ours has a problem body. Anything else (HTTP/2 frames, TLS records,
/// every answer of the application) passes through unchanged.</para>
/// </summary>
public static class KestrelRejections
{
    private const string ContentLengthZero = "\r\nContent-Length: 0\r\n";
    private const int LongestHead = 1024;
    private static readonly ConcurrentDictionary<int, byte[]> Bodies = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds the rewrite to a Kestrel endpoint (the server applies it to every endpoint by default).</summary>
    public static ListenOptions UseProblemRejections(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            var transport = connection.Transport;
            var output = PipeWriter.Create(new RewritingStream(transport.Output.AsStream()));
            connection.Transport = new DuplexPipe(transport.Input, output);
            return next(connection);
        });
        return listen;
    }

    /// <summary>Kestrel's own bodiless 4xx head, or null for anything else.</summary>
    internal static int? RejectionStatus(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < 17 or > LongestHead) return null;
        if (!bytes.StartsWith("HTTP/1.1 4"u8) && !bytes.StartsWith("HTTP/1.0 4"u8)) return null;
        if (!bytes.EndsWith("\r\n\r\n"u8)) return null;
        if (!int.TryParse(bytes.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)) return null;
        var head = Encoding.ASCII.GetString(bytes);
        if (head.IndexOf("\r\n\r\n", StringComparison.Ordinal) != head.Length - 4) return null; // one head, nothing after it
        if (!head.Contains(ContentLengthZero, StringComparison.Ordinal) || !head.Contains("\r\nConnection: close\r\n", StringComparison.Ordinal)) return null;
        if (head.Contains("\r\nContent-Type:", StringComparison.OrdinalIgnoreCase)) return null;
        return status;
    }

    /// <summary>The same head with our problem document as its body.</summary>
    internal static byte[] Rewrite(ReadOnlySpan<byte> head, int status)
    {
        var body = Bodies.GetOrAdd(status, Body);
        var text = Encoding.ASCII.GetString(head).Replace(ContentLengthZero,
            $"\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n", StringComparison.Ordinal);
        return [.. Encoding.ASCII.GetBytes(text), .. body];
    }

    private static byte[] Body(int status)
    {
        var problem = YibaoProblems.From(ErrorCatalog.RequestRejected(status));
        problem.Status = status; // 400, or Kestrel's own 414 / 431
        return JsonSerializer.SerializeToUtf8Bytes(problem, Json);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes every write through, except Kestrel's bodiless rejection, which gets its body.</summary>
    private sealed class RewritingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            RejectionStatus(buffer.Span) is { } status
                ? inner.WriteAsync(Rewrite(buffer.Span, status), cancellationToken)
                : inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (RejectionStatus(buffer) is { } status) inner.Write(Rewrite(buffer, status));
            else inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
