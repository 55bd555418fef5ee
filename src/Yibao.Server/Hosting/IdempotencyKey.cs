using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Yibao.Domain.Errors;

namespace Yibao.Server.Hosting;

/// <summary>
/// The caller's key of a write, so that a retry is harmless: the <c>Idempotency-Key</c> request
/// header (the IETF httpapi draft's choice), the one way every write endpoint with a caller's key
/// takes it. A handler declares a parameter <c>IdempotencyKey key</c>; the framework binds it here
/// and the API document lists the header. The key is 1–100 visible ASCII characters (no spaces),
/// compared exactly as sent — never trimmed nor case-folded; a quoted value (the draft's RFC 8941
/// string, <c>"8e03978e"</c>) is the key between the quotes. Missing: <c>missing-field</c>; sent
/// twice or malformed: <c>invalid-field</c>, both naming <c>Idempotency-Key</c>.
/// </summary>
public readonly record struct IdempotencyKey : IEndpointParameterMetadataProvider
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;

    public string Value { get; }

    private IdempotencyKey(string value) => Value = value;

    public override string ToString() => Value ?? "";

    public static ValueTask<IdempotencyKey> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.Headers[Header];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
            throw new YibaoException(ErrorCatalog.MissingField(Header));
        if (values.Count > 1)
            throw new YibaoException(ErrorCatalog.InvalidIdempotencyKey("it was sent more than once", "重复发送了多次"));
        return ValueTask.FromResult(Parse(values[0]!));
    }

    /// <summary>A header value as a key, or <c>invalid-field</c> saying what is wrong with it.</summary>
    public static IdempotencyKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? Unquote(text) : text;
        if (key.Length == 0) throw new YibaoException(ErrorCatalog.MissingField(Header));
        if (key.Length > MaxLength)
            throw new YibaoException(ErrorCatalog.InvalidIdempotencyKey($"it has {key.Length} characters, at most {MaxLength}", $"长度为 {key.Length},最多 {MaxLength} 个字符"));
        foreach (var c in key)
        {
            if (c is < '!' or > '~')
                throw new YibaoException(ErrorCatalog.InvalidIdempotencyKey("only visible ASCII characters, no spaces", "只能由可见的 ASCII 字符组成,不能有空格")
                    .With("character", $"U+{(int)c:X4}"));
        }
        return new IdempotencyKey(key);
    }

    /// <summary>An RFC 8941 sf-string: <c>\"</c> and <c>\\</c> are its only escapes.</summary>
    private static string Unquote(string quoted)
    {
        var inner = quoted.AsSpan(1, quoted.Length - 2);
        var result = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\\')
            {
                if (i + 1 >= inner.Length || inner[i + 1] is not ('"' or '\\'))
                    throw new YibaoException(ErrorCatalog.InvalidIdempotencyKey("a quoted key escapes only \" and \\", "带引号的键只能转义 \" 和 \\"));
                c = inner[++i];
            }
            else if (c == '"')
            {
                throw new YibaoException(ErrorCatalog.InvalidIdempotencyKey("a quote inside a quoted key must be escaped", "带引号的键中的引号须转义"));
            }
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>Tells the API document that the endpoint takes the header (see <see cref="OpenApiSetup"/>).</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new IdempotencyKeyMetadata());
    }
}

/// <summary>Endpoint metadata: this write takes an <c>Idempotency-Key</c> header.</summary>
public sealed record IdempotencyKeyMetadata;
