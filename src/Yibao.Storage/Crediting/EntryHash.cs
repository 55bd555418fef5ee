using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Yibao.Domain.Ledger;

namespace Yibao.Storage.Crediting;

/// <summary>
/// <see cref="JournalEntryRequest.ContentHash"/> computed without its intermediate strings and
/// LINQ, for the million entries of a batch run: the same canonical text (region, reason, date,
/// policy version, memo, reversal, then the postings in ordinal order) and the same SHA-256, so a
/// bulk entry and a single posting of the same content hash alike. A test holds the two equal.
/// </summary>
public static class EntryHash
{
    [ThreadStatic] private static StringBuilder? _text;

    public static string Of(JournalEntryRequest request, long? reverses = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = _text ??= new StringBuilder(512);
        sb.Clear();
        sb.Append(request.Region.Value).Append('|').Append(request.ReasonCode).Append('|')
          .Append(CultureInfo.InvariantCulture, $"{request.BusinessDate:yyyy-MM-dd}").Append('|')
          .Append(request.PolicyVersion).Append('|').Append(request.Memo ?? "").Append('|');
        if (reverses is { } r) sb.Append(r.ToString(CultureInfo.InvariantCulture));

        var postings = request.Postings;
        var lines = new string[postings.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var p = postings[i];
            lines[i] = string.Create(CultureInfo.InvariantCulture, $"{p.Account.Value}/{p.Segment.Code()}/{p.Amount.Fen}");
        }
        Array.Sort(lines, StringComparer.Ordinal);
        foreach (var line in lines) sb.Append('|').Append(line);

        // One string: encoding chunk by chunk could split a surrogate pair between two chunks.
        var text = sb.ToString();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
