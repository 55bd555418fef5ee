using System.Globalization;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;

namespace Yibao.Cli.Tests;

/// <summary><c>yibao import contributions</c> on a temporary SQLite file: all or nothing, every bad row with its line.</summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private const string Header = "idNumber,name,employerCreditCode,month,base,employerPart,individualPart,dueDate,paidDate";

    private readonly string _folder = CliRunner.TempFolder();
    private string Database => Path.Combine(_folder, "yibao.db");

    private static readonly CreditCode EmployerA = CreditCode.Create('9', '1', RegionCode.Demo, "MA000001");
    private static readonly string BadCode = EmployerA.Value[..17] + (EmployerA.Value[17] == 'A' ? "B" : "A");
    private static IdNumber Person(int n) => IdNumber.Create(RegionCode.Demo, new DateOnly(1985, 1, 1).AddDays(n / 1000), n % 1000);

    public async Task InitializeAsync()
    {
        await using var db = YibaoDatabase.Open(Database);
        await Migrator.MigrateAsync(db);
        var store = new RecordsStore(db, TimeProvider.System);
        await store.EnsureRegionAsync(RegionCode.Demo, "示例市", new DateOnly(2020, 1, 1));
        await store.RegisterEmployerAsync(new Employer(EmployerA, RegionCode.Demo, "示例单位"));
        await store.EnrolAsync(InsuredEnrolment.Create(RegionCode.Demo, Person(1).Value, "张三", null, "employed", EmployerA.Value, null, "2024-01-01", null, null));
    }

    public async Task DisposeAsync()
    {
        // Every CLI import test ends with the ledger checker too (enrolments open accounts).
        await using (var db = YibaoDatabase.Open(Database))
        {
            var report = await LedgerVerifier.VerifyAsync(db);
            Assert.True(report.Ok, string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string WriteCsv(string name, IEnumerable<string> lines, Encoding? encoding = null)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static string Row(int person, string name, string month, string basis = "8000.00", string? paid = null, string? employer = null) =>
        $"{Person(person).Value},{name},{employer ?? EmployerA.Value},{month},{basis},640.00,160.00,{month}-28,{paid}";

    private async Task<long> CountAsync(string table)
    {
        await using var db = YibaoDatabase.Open(Database);
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_good_file_is_imported_whole_and_exits_0()
    {
        var file = WriteCsv("good.csv", [Header, Row(1, "张三", "2025-01", paid: "2025-01-20"), Row(1, "张三", "2025-02"), Row(2, "李四", "2025-01")]);

        var (exit, output, error) = await CliRunner.RunAsync("import", "contributions", file, "--database", Database);

        Assert.True(exit == 0, output + error);
        Assert.Contains("OK", output, StringComparison.Ordinal);
        Assert.Contains("全部 3 行已导入", output, StringComparison.Ordinal);
        Assert.Equal(3, await CountAsync("contribution"));
        Assert.Equal(2, await CountAsync("insured"));

        // The same file again: nothing new, still exit 0.
        var (again, againOut, _) = await CliRunner.RunAsync("import", "contributions", file, "--database", Database, "--json");
        Assert.Equal(0, again);
        var summary = JsonDocument.Parse(againOut.Trim().Split('\n')[^1]).RootElement.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("unchanged").GetInt64());
        Assert.True(summary.GetProperty("committed").GetBoolean());
    }

    [Fact]
    public async Task A_file_with_bad_rows_exits_1_lists_every_bad_row_with_its_line_and_writes_nothing()
    {
        var file = WriteCsv("bad.csv",
        [
            Header,
            Row(1, "张三", "2025-01"),                         // line 2: good
            Row(3, "王五", "2025-01"),                         // line 3: good, a new person (not kept)
            Row(1, "张三", "2025-13"),                         // line 4: month
            Row(1, "张三", "2025-02", basis: "8000.001"),      // line 5: three decimals
            "",                                                // line 6: blank, skipped
            Row(1, "张三", "2025-03", employer: BadCode), // line 7: a credit code that does not check
            $"{Person(2).Value},,,2025-01,8000.00,640.00,160.00,2025-01-28,",  // line 8: unknown person, no name
            "too,few,fields",                                  // line 9: malformed
            Row(1, "张三", "2025-01", basis: "9000.00"),       // line 10: conflicts with line 2
        ]);

        var (exit, output, error) = await CliRunner.RunAsync("import", "contributions", file, "--database", Database);

        Assert.True(exit == 1, output + error);
        var lines = output.Split('\n');
        foreach (var (line, code) in new[] { (4, "invalid-month"), (5, "invalid-amount"), (7, "invalid-credit-code"), (8, "unknown-insured"), (9, "invalid-csv-row"), (10, "contribution-conflict") })
            Assert.Contains(lines, l => l.Contains($"line {line} {code}:", StringComparison.Ordinal));
        Assert.Equal(6, lines.Count(l => l.StartsWith("line ", StringComparison.Ordinal)));
        Assert.Contains("nothing was written", output, StringComparison.Ordinal);
        Assert.Contains("整份文件未导入", output, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("contribution"));
        Assert.Equal(1, await CountAsync("insured"));
        Assert.Equal(1, await CountAsync("ledger_account"));
    }

    [Fact]
    public async Task Json_output_gives_one_line_per_bad_row_then_the_summary()
    {
        var file = WriteCsv("bad.csv", [Header, Row(1, "张三", "2025-01", basis: "-5.00"), Row(1, "李四", "2025-02")]);

        var (exit, output, _) = await CliRunner.RunAsync("import", "contributions", file, "--database", Database, "--json");

        Assert.Equal(1, exit);
        var docs = output.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 3L], docs.Take(2).Select(d => d.GetProperty("line").GetInt64()));
        Assert.Equal(["amount-negative", "insured-name-mismatch"], docs.Take(2).Select(d => d.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(docs[0].GetProperty("messageZh").GetString()));
        Assert.Equal(2, docs[2].GetProperty("summary").GetProperty("badRows").GetInt64());
    }

    [Fact]
    public async Task A_wrong_header_a_missing_file_or_an_unknown_region_is_refused_with_exit_2()
    {
        var noMonth = WriteCsv("nomonth.csv", ["idNumber,base,employerPart,individualPart,dueDate", $"{Person(1).Value},1,0,0,2025-01-28"]);
        var typo = WriteCsv("typo.csv", [Header.Replace("paidDate", "paidate", StringComparison.Ordinal), Row(1, "张三", "2025-01")]);
        var empty = WriteCsv("empty.csv", [Header]);

        foreach (var (args, code) in new[]
                 {
                     (new[] { noMonth }, "invalid-import-file"),
                     (new[] { typo }, "invalid-import-file"),
                     (new[] { empty }, "invalid-import-file"),
                     (new[] { Path.Combine(_folder, "nowhere.csv") }, "invalid-import-file"),
                     (new[] { typo, "--region", "99010" }, "invalid-region-code"),
                     (new[] { WriteCsv("ok.csv", [Header, Row(1, "张三", "2025-01")]), "--region", "990200" }, "unknown-region"),
                 })
        {
            var (exit, output, error) = await CliRunner.RunAsync(["import", "contributions", .. args, "--database", Database]);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: {exit}\n{output}{error}");
            Assert.Contains($"error {code}", error, StringComparison.Ordinal);
        }
        Assert.Contains("missing column(s): month", (await CliRunner.RunAsync("import", "contributions", noMonth, "--database", Database)).Err, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("contribution"));
    }

    [Fact]
    public async Task A_GB18030_file_with_Chinese_column_names_imports_with_its_encoding_and_is_refused_as_UTF8()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030");
        var file = WriteCsv("gbk.csv",
            ["身份证号码,姓名,统一社会信用代码,缴费月份,缴费基数,单位缴费,个人缴费,应缴日期,到账日期", Row(1, "张三", "2025-01"), Row(4, "赵六", "2025-01")], gb);

        var asUtf8 = await CliRunner.RunAsync("import", "contributions", file, "--database", Database);
        var asGb = await CliRunner.RunAsync("import", "contributions", file, "--database", Database, "--encoding", "gb18030");

        Assert.Equal(2, asUtf8.Exit);
        Assert.Contains("--encoding gb18030", asUtf8.Err, StringComparison.Ordinal);
        Assert.True(asGb.Exit == 0, asGb.Out + asGb.Err);
        var store = new RecordsStore(YibaoDatabase.Open(Database), TimeProvider.System);
        Assert.Equal("赵六", (await store.GetInsuredAsync(RegionCode.Demo, Person(4)))!.Name);
        await store.Database.DisposeAsync();
    }

    [Fact]
    public async Task A_file_of_many_batches_streams_through_in_one_transaction()
    {
        const int people = 1200;
        var rows = Enumerable.Range(10, people).SelectMany(n => new[] { Row(n, "人" + n, "2025-01", paid: "2025-01-25"), Row(n, "人" + n, "2025-02") });
        var file = WriteCsv("many.csv", [Header, .. rows]);

        var (exit, output, error) = await CliRunner.RunAsync("import", "contributions", file, "--database", Database);

        Assert.True(exit == 0, output + error);
        Assert.Equal(people * 2, await CountAsync("contribution"));
        Assert.Equal(people + 1, await CountAsync("ledger_account WHERE kind = 'personal'"));
        // Every month billed, every January received into the pooled fund.
        Assert.Equal(people * 3, await CountAsync("journal_entry"));
    }

    [Fact]
    public async Task Fund_show_reports_the_contributions_an_import_received()
    {
        var file = WriteCsv("fund.csv", [Header, Row(1, "张三", "2025-01", paid: "2025-01-25"), Row(1, "张三", "2025-02"), Row(2, "李四", "2025-01", paid: "2025-02-03")]);
        Assert.Equal(0, (await CliRunner.RunAsync("import", "contributions", file, "--database", Database)).Exit);

        var (exit, output, error) = await CliRunner.RunAsync("fund", "show", "--region", "990100", "--database", Database, "--json");

        Assert.True(exit == 0, error);
        Assert.Equal($"database: SQLite {Path.GetFullPath(Database)}", error.Trim());
        var fund = JsonDocument.Parse(output).RootElement;
        Assert.Equal("1600.00", fund.GetProperty("balance").GetString());
        Assert.Equal("800.00", fund.GetProperty("receivables").GetProperty("employers").GetString());
        Assert.Equal(1, fund.GetProperty("receivables").GetProperty("unpaidMonths").GetInt64());
        var months = fund.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(["2025-01", "2025-02"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal("800.00", months[1].GetProperty("income").GetString());

        var (tableExit, table, _) = await CliRunner.RunAsync("fund", "show", "--region", "990100", "--database", Database);
        Assert.Equal(0, tableExit);
        Assert.Contains("1,600.00", table, StringComparison.Ordinal);
        var (unknown, _, unknownErr) = await CliRunner.RunAsync("fund", "show", "--region", "000000", "--database", Database);
        Assert.Equal(2, unknown);
        Assert.Contains("error unknown-region", unknownErr, StringComparison.Ordinal);
    }
}
