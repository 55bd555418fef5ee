using System.CommandLine;
using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;

namespace Yibao.Cli.Cases;

/// <summary>
/// <c>yibao cases run &lt;folder&gt;</c>: plays every worked case below a folder through the same
/// domain code the server uses; one line per case and a closing <c>N passed, N failed</c>.
/// With <c>--stored</c> the crediting, back-pay, withdrawal, transfer and family-aid cases go through storage instead (<see cref="StoredCases"/>).
/// </summary>
public static class CasesCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A folder of case files (*.json, searched recursively)" };
        var only = new Option<string[]>("--only") { Description = "Run only these case ids (repeatable or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string[]>("--kind") { Description = "Run only cases of these kinds (repeatable or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failures and the summary" };
        var stored = new Option<bool>("--stored")
        {
            Description = "Play crediting, backfill, withdrawal, transfer and family-aid cases through storage, each on a fresh database: record the people, employer, contributions and balances, " +
                          "run the crediting, post the back-pay, submit, approve and execute the application (and deliver a transfer) or bind and spend, and compare the figures read back from the ledger (other kinds stay pure decisions)",
        };
        var database = new Option<string?>("--database", "-d")
        {
            Description = "With --stored: a PostgreSQL connection string to a server (Host=…) on which a fresh database is created and dropped per case. Default: temporary SQLite files",
        };
        var run = new Command("run", "Run worked cases and compare each answer with its expectation")
        {
            folder, only, kind, quiet, stored, database,
        };
        run.SetAction((parse, ct) => RunAsync(
            parse.GetValue(folder)!, Split(parse.GetValue(only)), Split(parse.GetValue(kind)), parse.GetValue(quiet),
            parse.InvocationConfiguration.Output, ct, parse.GetValue(stored), parse.GetValue(database)));

        return new Command("cases", "Acceptance cases: facts about policy with expected answers") { run };
    }

    private static HashSet<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);

    public static async Task<int> RunAsync(DirectoryInfo folder, HashSet<string> only, HashSet<string> kinds, bool quiet, TextWriter output, CancellationToken ct,
        bool stored = false, string? database = null)
    {
        if (!folder.Exists) throw new YibaoException(ErrorCatalog.InvalidField("folder", $"no such folder: {folder.FullName}"));
        if (database is not null && !stored) throw new YibaoException(ErrorCatalog.InvalidField("database", "--database is used with --stored"));
        var kindsRegistry = CaseKinds.Default;
        await using var databases = stored ? await StoredDatabases.CreateAsync(database, ct).ConfigureAwait(false) : null;
        var storedCases = databases is null ? null : new StoredCases(databases, kindsRegistry.Context.Book, TimeProvider.System);
        int passed = 0, failed = 0;
        foreach (var file in folder.EnumerateFiles("*.json", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var cases = AcceptanceCase.ReadFile(await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false), file.Name);
            foreach (var c in cases)
            {
                if (only.Count > 0 && !only.Contains(c.Id)) continue;
                if (kinds.Count > 0 && !kinds.Contains(c.Kind)) continue;
                var failure = storedCases is not null && StoredCases.Plays(c.Kind)
                    ? await storedCases.EvaluateAsync(c, ct).ConfigureAwait(false)
                    : Evaluate(kindsRegistry, c);
                if (failure is null)
                {
                    passed++;
                    if (!quiet) await output.WriteLineAsync($"PASS {c.Id}").ConfigureAwait(false);
                }
                else
                {
                    failed++;
                    await output.WriteLineAsync($"FAIL {c.Id}: {failure}").ConfigureAwait(false);
                }
            }
        }
        await output.WriteLineAsync($"{passed} passed, {failed} failed").ConfigureAwait(false);
        return failed == 0 ? Cli.Ok : Cli.ChecksFailed;
    }

    /// <summary>
    /// Null when the case passes, else what differs (or the error the code raised). A case whose
    /// <c>expect</c> is <c>{ "errorCode": … }</c> passes only when refused with exactly that code.
    /// </summary>
    public static string? Evaluate(CaseKinds kinds, AcceptanceCase c)
    {
        if (!kinds.Supports(c.Kind)) return $"kind '{c.Kind}' is not supported yet";
        var expectedError = CaseComparison.ExpectedError(c.Expect);
        JsonObject answer;
        try
        {
            answer = kinds.Answer(c);
        }
        catch (YibaoException e)
        {
            return expectedError is null ? $"error {e.Error.Code.Value}: {e.Error.MessageEn}" : CaseComparison.CompareError(expectedError, e.Error);
        }
        if (expectedError is not null) return CaseComparison.CompareError(expectedError, null);
        var mismatches = CaseComparison.Compare(c.Expect, answer);
        return mismatches.Count == 0
            ? null
            : string.Join("; ", mismatches.Select(m => $"{m.Field} expected {m.Expected} got {m.Got}"));
    }
}
