// The hello-world ASP.NET Core app that `yibao-bench writes` puts next to Yibao: the same
// framework, host builder and Kestrel, and nothing else. It answers /health as Yibao does
// (text "Healthy") and the balance route with one constant JSON document of the same shape,
// so the same wrk script drives both. Run: dotnet HelloWorld.dll --urls http://127.0.0.1:5090
var app = WebApplication.CreateBuilder(args).Build();

var balance = new ConstantBalance(
    "990100:personal:990100196001010015", "personal", "990100", "990100196001010015", "王共济", "open",
    new Dictionary<string, string>(StringComparer.Ordinal) { ["current-year"] = "1000000.00", ["historical"] = "0.00" },
    "1000000.00");

app.MapGet("/health", () => TypedResults.Text("Healthy", "text/plain"));
app.MapGet("/api/accounts/{code}/balance", (string code) => TypedResults.Ok(balance));
app.Run();

/// <summary>The shape of Yibao's balance answer, with constant values.</summary>
internal sealed record ConstantBalance(
    string Account, string Kind, string Region, string? Holder, string? HolderName, string Status,
    IReadOnlyDictionary<string, string> Segments, string Total);
