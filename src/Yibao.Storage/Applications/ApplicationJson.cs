using System.Text.Json;
using System.Text.Json.Serialization;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Applications;

/// <summary>
/// How an application's typed decision is stored (the <c>decision</c> and <c>approval_decision</c>
/// columns): the answer records as they are, amounts as integer fen, result codes and enums by
/// their stable kebab-case names, so a decision read back is the one made and execution switches
/// on its enums.
/// </summary>
internal static class ApplicationJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new FenConverter());
        options.Converters.Add(new ResultCodeConverter());
        options.Converters.Add(new RegionCodeConverter());
        return options;
    }

    private sealed class FenConverter : JsonConverter<DMoney>
    {
        public override DMoney Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => DMoney.FromFen(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DMoney value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Fen);
    }

    private sealed class RegionCodeConverter : JsonConverter<RegionCode>
    {
        public override RegionCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => RegionCode.Parse(reader.GetString());

        public override void Write(Utf8JsonWriter writer, RegionCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }

    private sealed class ResultCodeConverter : JsonConverter<ResultCode>
    {
        public override ResultCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ResultCode.Find(reader.GetString() ?? throw new JsonException("a result code is a string"));

        public override void Write(Utf8JsonWriter writer, ResultCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}
