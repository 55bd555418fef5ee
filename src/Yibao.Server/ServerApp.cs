using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Yibao.Server.Features.Accounts;
using Yibao.Server.Features.Applications;
using Yibao.Server.Features.Transfer;
using Yibao.Server.Features.Withdrawal;
using Yibao.Server.Features.Backfill;
using Yibao.Server.Features.Crediting;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Policy;
using Yibao.Server.Features.Decisions;
using Yibao.Server.Features.Demo;
using Yibao.Server.Features.Errors;
using Yibao.Server.Features.FamilyAid;
using Yibao.Server.Features.Fund;
using Yibao.Server.Features.Gaps;
using Yibao.Server.Features.Health;
using Yibao.Server.Features.Insured;
using Yibao.Server.Features.Policies;
using Yibao.Server.Features.Records;
using Yibao.Server.Features.Regions;
using Yibao.Server.Features.RemoteCare;
using Yibao.Server.Hosting;
using Yibao.Server.Hosting.Json;
using Yibao.Server.Problems;
using Yibao.Storage;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;
using Yibao.Storage.Backfill;
using Yibao.Storage.FamilyAid;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.RemoteCare;

namespace Yibao.Server;

/// <summary>
/// The Yibao HTTP server, shared by <c>Program</c> and <c>yibao serve</c>: a thin shell that
/// parses requests, calls domain and storage code, and answers JSON or problem details.
/// </summary>
public static class ServerApp
{
    /// <summary>Where the server listens when neither <c>--urls</c>, ASPNETCORE_URLS nor Kestrel settings say.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Quiet request logging by default: one line per start-up step, not per request.</summary>
    private static readonly Dictionary<string, string?> ConfigurationDefaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <param name="args">Command-line arguments (<c>--database</c>, <c>--urls</c>, <c>--no-demo</c>, <c>--Yibao:Database=…</c>, …; <see cref="ServerArguments"/>).</param>
    /// <param name="configure">A last say over the builder, e.g. for the CLI's own options.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServerArguments.Translate(args));
        // Lowest-priority defaults, so appsettings, environment and command line still win.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ConfigurationDefaults });
        if (!HasConfiguredUrls(builder.Configuration))
            builder.WebHost.UseUrls(DefaultUrl);
        // A request Kestrel refuses itself (a %00 in the path) still answers a problem document.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseProblemRejections()));
        AddServices(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static bool HasConfiguredUrls(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"]) ||
        !string.IsNullOrWhiteSpace(configuration["http_ports"]) ||
        !string.IsNullOrWhiteSpace(configuration["https_ports"]) ||
        configuration.GetSection("Kestrel:Endpoints").Exists();

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<YibaoOptions>().Bind(configuration.GetSection(YibaoOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<YibaoOptions>, YibaoOptionsValidator>();

        // The clock is injected everywhere (tests replace it); nothing reads DateTime.Now.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => YibaoDatabase.Open(sp.GetRequiredService<IOptions<YibaoOptions>>().Value.Database));
        services.AddSingleton(sp => new LedgerStore(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton(sp => new RecordsStore(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<TimeProvider>()));
        // Policy packs and calendars are data loaded once at start; a pack or a calendar file that does
        // not validate stops the server (StartupTasks resolves the calendars before anything listens).
        services.TryAddSingleton(sp => HolidayCalendars.Load(sp.GetRequiredService<IOptions<YibaoOptions>>().Value.Calendars));
        // Compiled on first use (StartupTasks asks right after listening), not on the way to the first answer.
        services.TryAddSingleton(_ => PolicyPackLoader.Embedded);
        services.AddSingleton(sp => new BackfillPoster(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FamilyAidStore(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RemoteCareStore(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new CaseKinds(new CaseContext(sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<HolidayCalendars>())));
        services.AddSingleton<StartupWork>();
        services.AddHostedService<StartupTasks>();
        // Monthly crediting runs asked for over HTTP run in the background; their state is in the database.
        services.AddSingleton(sp => new Yibao.Storage.Crediting.CreditingRunner(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CreditingRunQueue>();
        services.AddHostedService<CreditingRunWorker>();
        // Applications (提取, 转移接续) and the transfer message exchange between regions.
        services.AddSingleton(sp => new ApplicationStore(sp.GetRequiredService<YibaoDatabase>(), sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<PolicyBook>(), sp.GetRequiredService<HolidayCalendars>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RegionDatabases>()));
        services.AddSingleton(sp => new RegionDatabases(sp.GetRequiredService<YibaoDatabase>(),
            sp.GetRequiredService<IOptions<YibaoOptions>>().Value.RegionDatabases.ToDictionary(kv => Yibao.Domain.Regions.RegionCode.Parse(kv.Key), kv => YibaoDatabase.Open(kv.Value))));
        services.AddSingleton(sp => new TransferExchange(sp.GetRequiredService<RegionDatabases>(), sp.GetRequiredService<PolicyBook>(),
            sp.GetRequiredService<HolidayCalendars>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<TransferDispatchWorker>();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = YibaoProblems.Complete);
        services.AddExceptionHandler<YibaoExceptionHandler>();
        // A request the framework cannot bind throws, so it reaches the handler above and gets a code.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // The edge rules of every JSON body: text without control characters, money in its one form.
            o.SerializerOptions.Converters.Add(new TextJsonConverter());
            o.SerializerOptions.Converters.Add(new MoneyJsonConverter());
        });
        // Route values of a domain type are checked before binding (TypedValues); {region} against the region table.
        services.AddSingleton(sp => new KnownRegions(sp.GetRequiredService<YibaoDatabase>()));

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenApi(options => OpenApiSetup.Configure(options));
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Routing first, so the typed-value check knows the endpoint and its handler's parameter types.
        app.UseRouting();
        app.UseMiddleware<TypedValues>();

        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Yibao 医保个人账户 API"));
        app.MapGet("/", () => TypedResults.Redirect("/scalar")).ExcludeFromDescription();

        app.MapHealthEndpoints();
        app.MapAccountEndpoints();
        app.MapRegionEndpoints();
        app.MapInsuredEndpoints();
        app.MapErrorEndpoints();
        app.MapPolicyEndpoints();
        app.MapDecisionEndpoints();
        app.MapBackfillEndpoints();
        app.MapRecordsEndpoints();
        app.MapGapEndpoints();
        app.MapApplicationEndpoints();
        app.MapWithdrawalEndpoints();
        app.MapTransferEndpoints();
        app.MapCreditingEndpoints();
        app.MapFamilyAidEndpoints();
        app.MapRemoteCareEndpoints();
        app.MapFundEndpoints();
    }
}
