using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Yibao.Server.Features.Errors;

namespace Yibao.Server.Hosting;

/// <summary>The OpenAPI document: title, a description that lists every error code, and typed query values.</summary>
internal static class OpenApiSetup
{
    /// <summary>Query values bound as text (so a bad one gets a stable error code) are documented with their real type.</summary>
    private static readonly Dictionary<string, (JsonSchemaType Type, string Format)> QueryTypes = new(StringComparer.Ordinal)
    {
        ["from"] = (JsonSchemaType.String, "date"),
        ["to"] = (JsonSchemaType.String, "date"),
        ["page"] = (JsonSchemaType.Integer, "int32"),
        ["pageSize"] = (JsonSchemaType.Integer, "int32"),
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Yibao 医保个人账户 API",
                Version = "v1",
                Description = Description(),
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { In: ParameterLocation.Query } query &&
                    query.Name is { } name && QueryTypes.TryGetValue(name, out var type))
                {
                    query.Schema = new OpenApiSchema { Type = type.Type, Format = type.Format };
                }
            }
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyMetadata>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyKey.Header,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "The caller's key of this write (IETF draft Idempotency-Key): 1–100 visible ASCII characters, compared exactly. " +
                                  "A retry with the same key and content answers the first result; the same key with other content is `idempotency-key-reused`.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength, Pattern = "^[!-~]{1,100}$" },
                    Example = System.Text.Json.Nodes.JsonValue.Create("settlement-2025-000123"),
                });
            }
            return Task.CompletedTask;
        });
        // Text and amounts pass our converters (TextJsonConverter, MoneyJsonConverter), route values
        // are domain types: the generator cannot see through them, so the document says what each reads.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // A route value of a domain type is described as text by the framework: its parameter says which type.
            var declared = context.ParameterDescription?.Type is { } parameterType && RouteValuePatterns.ContainsKey(Nullable.GetUnderlyingType(parameterType) ?? parameterType)
                ? parameterType
                : context.JsonTypeInfo.Type;
            var type = Nullable.GetUnderlyingType(declared) ?? declared;
            var nullable = Nullable.GetUnderlyingType(declared) is not null || context.JsonPropertyInfo is { IsSetNullable: true };
            var nullFlag = nullable ? JsonSchemaType.Null : 0;
            if (type == typeof(string))
            {
                schema.Type = JsonSchemaType.String | nullFlag;
            }
            else if (type == typeof(Domain.Money.Money))
            {
                schema.Type = JsonSchemaType.String | JsonSchemaType.Number | nullFlag;
                schema.Pattern = MoneyPattern;
                schema.Description ??= "Yuan with at most two decimals, as a string or a number: an optional minus, no leading zeros, no plus sign, spaces, grouping or exponent.";
                schema.Examples = [System.Text.Json.Nodes.JsonValue.Create("286.50")];
                schema.Properties?.Clear();
            }
            else if (type == typeof(DateOnly))
            {
                schema.Examples ??= [System.Text.Json.Nodes.JsonValue.Create("2025-06-01")];
            }
            else if (RouteValuePatterns.TryGetValue(type, out var route))
            {
                schema.Type = JsonSchemaType.String | nullFlag;
                schema.Pattern = route.Pattern;
                schema.Examples = [System.Text.Json.Nodes.JsonValue.Create(route.Example)];
                schema.Properties?.Clear();
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>The text form of the domain types bound from routes (checked by <see cref="TypedValues"/>), with a valid example each.</summary>
    private static readonly Dictionary<Type, (string Pattern, string Example)> RouteValuePatterns = new()
    {
        [typeof(Domain.Regions.RegionCode)] = ("^[0-9]{6}$", "990100"),
        [typeof(Domain.Identity.IdNumber)] = ("^([0-9]{17}[0-9Xx]|[0-9]{15})$", "11010519491231002X"),
        [typeof(Domain.Time.YearMonth)] = ("^[0-9]{4}-(0[1-9]|1[0-2])$", "2025-05"),
    };

    /// <summary>The amount rule of <see cref="Domain.Money.Money.TryParsePlain"/> as a pattern.</summary>
    public const string MoneyPattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$";

    private static string Description()
    {
        var text = new StringBuilder();
        text.AppendLine("职工医保个人账户 (employee medical-insurance personal accounts): balances, statements and the insured people of each pooling region.");
        text.AppendLine();
        text.AppendLine("Amounts are yuan: answers write them as strings with two decimals (`\"1234.56\"`); requests send them as a string or a JSON number with at most two decimals " +
                        "(`\"1234.5\"`, `1234.56`), an optional minus, no leading zeros, no plus sign, spaces, thousands separators or exponent — anything else is `invalid-amount`. " +
                        "Dates are `YYYY-MM-DD`. Text may not contain control characters (U+0000–U+001F, U+007F–U+009F): `invalid-field`. " +
                        "A write that takes the caller's key reads it from the `Idempotency-Key` header.");
        text.AppendLine("Every error is an RFC 9457 problem details document with a stable `code`, `messageZh`, `messageEn` and `details`:");
        text.AppendLine();
        text.AppendLine("| code | status | 说明 | meaning |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var e in Yibao.Server.Features.Errors.ErrorCodeInfo.All)
            text.Append("| `").Append(e.Code).Append("` | ").Append(e.Status).Append(" | ")
                .Append(e.MessageZh).Append(" | ").Append(e.MessageEn).AppendLine(" |");
        return text.ToString();
    }
}
