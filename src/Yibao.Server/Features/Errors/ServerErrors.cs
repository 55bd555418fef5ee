namespace Yibao.Server.Features.Errors;

/// <summary>A refusal that comes from HTTP itself rather than from the domain (no route, unexpected failure).</summary>
public sealed record ServerError(string Code, int Status, string MessageZh, string MessageEn);

/// <summary>
/// The server's own codes, for answers the domain never gives: they sit beside the domain's
/// codes in <see cref="ErrorCodes"/> so that every problem a client can see has a stable code.
/// </summary>
public static class ServerErrors
{
    public static readonly ServerError BadRequest = new("bad-request", StatusCodes.Status400BadRequest,
        "请求格式错误", "The request is malformed");
    public static readonly ServerError NotFound = new("not-found", StatusCodes.Status404NotFound,
        "没有这个地址", "There is no such resource");
    public static readonly ServerError MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed,
        "该地址不支持此请求方法", "The resource does not support this method");
    public static readonly ServerError UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType,
        "不支持的请求内容类型", "The request content type is not supported");
    public static readonly ServerError Internal = new("internal-error", StatusCodes.Status500InternalServerError,
        "服务器内部错误,已记录,请稍后重试", "An unexpected error occurred; it has been logged, please try again later");
    public static readonly ServerError Unavailable = new("service-unavailable", StatusCodes.Status503ServiceUnavailable,
        "服务暂时不可用", "The service is temporarily unavailable");

    public static IReadOnlyList<ServerError> All { get; } = [BadRequest, NotFound, MethodNotAllowed, UnsupportedMediaType, Internal, Unavailable];

    /// <summary>The code for a bare status the framework answered with.</summary>
    public static ServerError ForStatus(int status) =>
        All.FirstOrDefault(e => e.Status == status)
        ?? (status >= 500 ? Internal : BadRequest) with { Status = status };
}
