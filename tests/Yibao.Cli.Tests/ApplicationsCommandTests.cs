using System.Text.Json;
using Yibao.Domain.Calendars;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.Transfer;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Cli.Tests;

/// <summary><c>yibao applications …</c> and <c>yibao transfers …</c> on temporary SQLite files, on a fixed day ($Yibao__Today).</summary>
[Collection(TodayCollection.Name)]
public sealed class ApplicationsCommandTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 10, 9);
    private readonly string _folder = CliRunner.TempFolder();
    private string Database => Path.Combine(_folder, "yibao.db");
    private string Lanzhou => Path.Combine(_folder, "lanzhou.db");

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(Cli.TodayVariable, "2025-10-09");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(Cli.TodayVariable, null);
        foreach (var file in new[] { Database, Lanzhou }.Where(File.Exists))
        {
            await using var db = YibaoDatabase.Open(file);
            var report = await LedgerVerifier.VerifyAsync(db);
            Assert.True(report.Ok, string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A person of 990100 with a balance, enrolled in 620100 too (in <paramref name="lanzhou"/>), and their application filed on <see cref="Day"/>.</summary>
    private async Task<(long Id, string Person)> FiledAsync(ApplicationKind kind, string? lanzhou = null)
    {
        var clock = new DayClock(Day);
        var person = IdNumber.Create(RegionCode.Demo, new DateOnly(1979, 9, 9), 41);
        async Task EnrolAsync(string file, RegionCode region)
        {
            await using var db = YibaoDatabase.Open(file);
            await Migrator.MigrateAsync(db);
            var records = new RecordsStore(db, clock);
            await records.EnsureRegionAsync(region, "测试市", new DateOnly(2000, 1, 1));
            await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(region, person, "吴先生", InsuredScheme.Employee, InsuredState.FlexibleEmployed,
                null, Money.Parse("6000.00"), new DateOnly(2015, 1, 1), null, "CHN")));
        }
        await EnrolAsync(Database, RegionCode.Demo);
        if (kind == ApplicationKind.Transfer) await EnrolAsync(lanzhou ?? Database, RegionCode.Parse("620100"));

        await using var main = YibaoDatabase.Open(Database);
        var ledger = new LedgerStore(main, clock);
        await ledger.OpenAccountAsync(AccountCode.Of(RegionCode.Demo, AccountKind.PooledFund), new DateOnly(1999, 1, 1));
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = "opening", Region = RegionCode.Demo, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2025, 1, 1), Actor = "test", PolicyVersion = "test",
            Postings = [new PostingLine(AccountCode.Personal(RegionCode.Demo, person.Value), Segment.Historical, Money.Parse("3456.78")),
                        new PostingLine(AccountCode.Of(RegionCode.Demo, AccountKind.PooledFund), Segment.Main, Money.Parse("-3456.78"))],
        });
        await using var target = lanzhou is null ? null : YibaoDatabase.Open(lanzhou);
        var regions = new RegionDatabases(main, target is null ? null : new Dictionary<RegionCode, YibaoDatabase> { [RegionCode.Parse("620100")] = target });
        var store = new ApplicationStore(main, ledger, PolicyPackLoader.Embedded, HolidayCalendars.Shipped, clock, regions);
        // A death withdrawal rests on the death on record.
        if (kind == ApplicationKind.Withdrawal) await new RecordsStore(main, clock).AppendEventAsync(RegionCode.Demo, person, StatusEventKind.Die, Day, null);
        var submission = kind == ApplicationKind.Withdrawal
            ? new ApplicationSubmission(RegionCode.Demo, person, kind, [WithdrawalMaterial.DeathCertificate, WithdrawalMaterial.HeirProof, WithdrawalMaterial.HeirId],
                Withdrawal: new WithdrawalClaim(WithdrawalReason.Death, true))
            : new ApplicationSubmission(RegionCode.Demo, person, kind, [], Transfer: new TransferClaim(RegionCode.Parse("620100")));
        return ((await store.SubmitAsync(submission, "insured")).OrThrow().Application.Id, person.Value);
    }

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.RunAsync([.. args, "--database", Database]);

    [Fact]
    public async Task A_reviewer_lists_accepts_approves_and_executes_from_the_terminal()
    {
        var (id, _) = await FiledAsync(ApplicationKind.Withdrawal);
        var number = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (listExit, list, listErr) = await Run("applications", "list", "--region", "990100");
        Assert.True(listExit == 0, listErr);
        Assert.Contains("withdrawal", list, StringComparison.Ordinal);
        Assert.Contains("1 application(s)", list, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("applications", "accept", number, "--reviewer", "王审核")).Exit);
        Assert.Equal(0, (await Run("applications", "approve", number, "--reviewer", "王审核")).Exit);
        var (execExit, executed, execErr) = await Run("applications", "execute", number, "--reviewer", "王审核");
        Assert.True(execExit == 0, execErr);
        Assert.Contains("closed", executed, StringComparison.Ordinal);
        var (_, again, _) = await Run("applications", "execute", number, "--reviewer", "王审核");
        Assert.Contains("already done", again, StringComparison.Ordinal);

        var (showExit, show, _) = await Run("applications", "show", number, "--json");
        Assert.Equal(0, showExit);
        var json = JsonDocument.Parse(show).RootElement;
        Assert.Equal("closed", json.GetProperty("application").GetProperty("status").GetString());
        Assert.Equal(["submit", "accept", "approve", "execute", "close"], json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("reviewer:王审核", json.GetProperty("events")[1].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Refusals_print_the_code_in_both_languages_and_exit_2()
    {
        var (id, _) = await FiledAsync(ApplicationKind.Withdrawal);
        var number = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (wrongExit, _, wrong) = await Run("applications", "execute", number, "--reviewer", "王审核");
        var (unknownExit, _, unknown) = await Run("applications", "approve", "999", "--reviewer", "王审核");
        var (reasonExit, _, _) = await Run("applications", "reject", number, "--reviewer", "王审核");

        Assert.Equal(2, wrongExit);
        Assert.Contains("error application-wrong-status", wrong, StringComparison.Ordinal);
        Assert.Contains("当前状态", wrong, StringComparison.Ordinal);
        Assert.Equal(2, unknownExit);
        Assert.Contains("error unknown-application", unknown, StringComparison.Ordinal);
        Assert.NotEqual(0, reasonExit);
        var (_, list, _) = await Run("applications", "list", "--region", "990100", "--status", "submitted", "--json");
        Assert.Contains("\"status\":\"submitted\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfers_dispatch_delivers_to_a_region_in_another_database()
    {
        var (id, person) = await FiledAsync(ApplicationKind.Transfer, Lanzhou);
        var number = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var action in new[] { "accept", "approve", "execute" })
            Assert.Equal(0, (await Run("applications", action, number, "--reviewer", "李审核", "--region-database", $"620100={Lanzhou}")).Exit);

        var (exit, output, err) = await Run("transfers", "dispatch", "--region-database", $"620100={Lanzhou}");
        var (_, second, _) = await Run("transfers", "dispatch", "--region-database", $"620100={Lanzhou}");

        Assert.True(exit == 0, err + output);
        Assert.Contains("delivered 1", output, StringComparison.Ordinal);
        Assert.Contains("credited 1", output, StringComparison.Ordinal);
        Assert.Contains("delivered 0", second, StringComparison.Ordinal);
        await using var target = YibaoDatabase.Open(Lanzhou);
        var balance = await new LedgerStore(target, TimeProvider.System).GetBalanceAsync(AccountCode.Personal(RegionCode.Parse("620100"), person));
        Assert.Equal(Money.Parse("3456.78"), balance.Total);
        var (_, incoming, _) = await CliRunner.RunAsync("transfers", "list", "--region", "620100", "--all", "--json", "--database", Lanzhou);
        Assert.Contains("\"status\":\"credited\"", incoming, StringComparison.Ordinal);
    }
}

/// <summary>Tests that set $Yibao__Today run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TodayCollection
{
    public const string Name = "Yibao__Today";
}
