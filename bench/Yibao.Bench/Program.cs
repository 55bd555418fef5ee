using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Yibao.Bench.Crediting;
using Yibao.Bench.Ledger;
using Yibao.Bench.Writes;

// yibao-bench posting --engine sqlite|postgres [--writers 1,8,32] [--seconds 10] [--database <cs>]
// yibao-bench crediting --engine sqlite|postgres [--insured 1000000] [--months 12] [--chunk 20000] [--month 2025-05] [--anchor-runs 3] [--population <sqlite file>]
// yibao-bench writes [--engines postgres,sqlite] [--clients 1,8,32] [--seconds 20] [--owners 2000] [--skip-anchors] [--sections spends,reads,cold] …  (issue 16; see bench/README.md)
// yibao-bench decisions [BenchmarkDotNet args, e.g. --filter '*Inpatient*' --job short]  (run with -c Release)
return args.FirstOrDefault() switch
{
    "posting" => await PostingThroughput.RunAsync(args[1..]),
    "crediting" => await CreditingBenchmark.RunAsync(args[1..]),
    "writes" => await WritesBenchmark.RunAsync(args[1..]),
    "decisions" => RunDecisionBenchmarks(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: yibao-bench posting --engine sqlite|postgres [--writers 1,8,32] [--seconds 10] [--accounts 1000] [--database <connection string>]");
    Console.Error.WriteLine("       yibao-bench crediting --engine sqlite|postgres [--insured 1000000] [--months 12] [--chunk 20000] [--month 2025-05] [--anchor-runs 3] [--population <sqlite file>] [--verify no]");
    Console.Error.WriteLine("       yibao-bench writes [--engines postgres,sqlite] [--clients 1,8,32] [--seconds 20] [--owners 2000] [--skip-anchors] [--sections spends,reads,cold]");
    Console.Error.WriteLine("                          [--read-clients 8,64] [--cold-runs 5] [--warmup 5] [--threads 2] [--database <PostgreSQL connection string>] [--pg-restart auto|no] [--out <folder>] [--keep]");
    Console.Error.WriteLine("       yibao-bench decisions [BenchmarkDotNet arguments, e.g. --filter '*Inpatient*' --job short]");
    return 2;
}

// Every benchmark class of the Yibao.Bench.Decisions namespace (the pure domain decisions), under BenchmarkSwitcher.
static int RunDecisionBenchmarks(string[] args)
{
    var types = typeof(Program).Assembly.GetTypes()
        .Where(t => t.Namespace == "Yibao.Bench.Decisions" && t.IsPublic && !t.IsAbstract
            && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();
    var summaries = BenchmarkSwitcher.FromTypes(types).Run(args).ToList();
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
