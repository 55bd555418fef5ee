using Yibao.Bench.Ledger;

// yibao-bench posting --engine sqlite|postgres [--writers 1,8,32] [--seconds 10] [--database <cs>]
return args.FirstOrDefault() switch
{
    "posting" => await PostingThroughput.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: yibao-bench posting --engine sqlite|postgres [--writers 1,8,32] [--seconds 10] [--accounts 1000] [--database <connection string>]");
    return 2;
}
