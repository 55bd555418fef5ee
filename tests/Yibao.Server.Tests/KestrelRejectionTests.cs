using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Yibao.Server.Tests;

/// <summary>
/// A request Kestrel itself refuses — a %00 in the path never reaches the application — still answers
/// a problem document with a stable code (issue 10 item 8). Real Kestrel on a free port, raw bytes on a socket.
/// </summary>
public sealed class KestrelRejectionTests : IAsyncLifetime
{
    private readonly KestrelServer _server = new();

    private sealed class KestrelServer() : YibaoServer(seedDemo: false)
    {
        public override Task InitializeAsync()
        {
            Factory.UseKestrel(0);
            Factory.StartServer();
            return base.InitializeAsync();
        }

        public Uri Address => new(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    /// <summary>Sends raw request bytes and reads until the server closes the connection.</summary>
    private async Task<string> SendAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Address.Host, _server.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private static JsonElement Problem(string response, string status)
    {
        Assert.StartsWith($"HTTP/1.1 {status}", response, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/problem+json", response, StringComparison.Ordinal);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("request-rejected", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageEn").GetString()));
        return problem;
    }

    [Theory]
    [InlineData("GET /api/insured/990100/%00/gaps HTTP/1.1\r\nHost: x\r\n\r\n")]                         // a NUL in the path
    [InlineData("GET /api/regions/990100%00/insured HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n")]                             // a malformed header
    public async Task A_request_Kestrel_refuses_answers_a_problem_document(string request)
    {
        var problem = Problem(await SendAsync(request), "400");
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_answers_of_the_application_pass_unchanged_on_the_same_connection()
    {
        var response = await SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/regions/123456/insured HTTP/1.1\r\nHost: x\r\n\r\nGET /x%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        var parts = response.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, parts.Length);
        Assert.StartsWith("200 OK", parts[0], StringComparison.Ordinal);
        Assert.EndsWith("Healthy", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("404", parts[1], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"unknown-region\"", parts[1], StringComparison.Ordinal);
        Problem("HTTP/1.1 " + parts[2], "400");
    }
}
