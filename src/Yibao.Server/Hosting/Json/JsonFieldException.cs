using System.Text.Json;
using Yibao.Domain.Errors;

namespace Yibao.Server.Hosting.Json;

/// <summary>
/// A value one of our converters refused. The converter does not know the property's name; the
/// serializer fills in <see cref="JsonException.Path"/> as the exception passes, and the problem is
/// built from it (<see cref="Error"/>), so every refusal names its field (<c>consent.method</c>).
/// </summary>
public sealed class JsonFieldException : JsonException
{
    private readonly Func<string, Refusal> _errorFor;

    public JsonFieldException(Func<string, Refusal> errorFor) : base("A JSON value was refused.") => _errorFor = errorFor;

    public JsonFieldException() : this(ErrorCatalog.InvalidJsonField) { }

    public JsonFieldException(string message) : base(message) => _errorFor = ErrorCatalog.InvalidJsonField;

    public JsonFieldException(string message, Exception innerException) : base(message, innerException) => _errorFor = ErrorCatalog.InvalidJsonField;

    /// <summary>The error, naming the field at <see cref="JsonException.Path"/> (<c>body</c> at the top).</summary>
    public Refusal Error => _errorFor(JsonPaths.FieldOf(Path) ?? "body");
}

/// <summary>JSON paths as field names: <c>$.consent.method</c> → <c>consent.method</c>, <c>$[2].base</c> → <c>[2].base</c>.</summary>
public static class JsonPaths
{
    public static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;
    }

    /// <summary>The error for any JSON the serializer could not read: ours when a converter refused a value, else <c>invalid-json</c>.</summary>
    public static Refusal ErrorOf(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is JsonFieldException refused
            ? refused.Error
            : ErrorCatalog.InvalidJson(FieldOf(exception.Path), exception.LineNumber, exception.BytePositionInLine);
    }
}
