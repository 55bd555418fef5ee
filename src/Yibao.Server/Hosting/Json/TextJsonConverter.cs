using System.Text.Json;
using System.Text.Json.Serialization;
using Yibao.Domain.Errors;

namespace Yibao.Server.Hosting.Json;

/// <summary>
/// Every string of every JSON body passes here (it is registered in the server's JSON options):
/// a control character (Unicode category Cc, U+0000–U+001F and U+007F–U+009F, none excepted) or
/// text that is not valid Unicode (an unpaired surrogate escape, bytes that are not UTF-8) is
/// refused with <c>invalid-field</c> naming the field. Identifiers, names and keys reach the
/// database only after this, so a NUL never becomes a 500 on PostgreSQL (22021) or a stored
/// oddity on SQLite. Writing is unchanged.
/// </summary>
public sealed class TextJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonFieldException(ErrorCatalog.InvalidJsonField);
        return Checked(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }

    private static string Checked(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The reader refuses to unescape an unpaired surrogate or to decode bytes that are not UTF-8.
            throw new JsonFieldException(ErrorCatalog.InvalidText);
        }
        return Check(text);
    }

    /// <summary>The text itself, or a <see cref="JsonFieldException"/> at its first control character or broken surrogate.</summary>
    public static string Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                var position = i + 1;
                throw new JsonFieldException(field => ErrorCatalog.ControlCharacter(field, position, c));
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) throw new JsonFieldException(ErrorCatalog.InvalidText);
        }
        return text;
    }
}
