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
        options.AddOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { In: ParameterLocation.Query } query &&
                    query.Name is { } name && QueryTypes.TryGetValue(name, out var type))
                {
                    query.Schema = new OpenApiSchema { Type = type.Type, Format = type.Format };
                }
            }
            return Task.CompletedTask;
        });
    }

    private static string Description()
    {
        var text = new StringBuilder();
        text.AppendLine("职工医保个人账户 (employee medical-insurance personal accounts): balances, statements and the insured people of each pooling region.");
        text.AppendLine();
        text.AppendLine("Amounts are yuan with two decimals, as strings (`\"1234.56\"`); dates are `YYYY-MM-DD`.");
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
