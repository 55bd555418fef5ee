using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Yibao.Domain.Errors;
using Yibao.Domain.Money;

namespace Yibao.Server.Hosting.Json;

/// <summary>
/// The one way money enters the API: a body declares an amount as <see cref="Money"/> (or
/// <c>Money?</c>) and this converter, registered in the server's JSON options, reads it. The rule
/// (<see cref="Money.TryParsePlain"/>) is the same for a JSON string (<c>"286.50"</c>, the form the
/// API writes) and a JSON number (<c>286.5</c>, read from its exact text, never through a
/// floating-point value): yuan, an optional minus, no leading zeros, at most two decimals; no plus
/// sign, spaces, thousands separators, exponent or 元. Anything else is <c>invalid-amount</c>
/// naming the field. An amount is written as a string with two decimals.
/// </summary>
public sealed class MoneyJsonConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                try { text = reader.GetString()!; }
                catch (InvalidOperationException) { throw new JsonFieldException(ErrorCatalog.InvalidText); }
                break;
            case JsonTokenType.Number:
                // The number's own characters (ASCII by the JSON grammar), so 10.500 is three decimals, not 10.5.
                text = Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                break;
            default:
                var kind = reader.TokenType.ToString();
                throw new JsonFieldException(field => ErrorCatalog.AmountNotPlain(field, kind, "expected a string or a number", "应为字符串或数字"));
        }
        if (!Money.TryParsePlain(text, out var money, out var why, out var whyZh))
            throw new JsonFieldException(field => ErrorCatalog.AmountNotPlain(field, text, why!, whyZh!));
        return money;
    }

    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToPlainString());
    }
}
