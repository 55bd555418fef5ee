using System.Globalization;

namespace Yibao.Domain.Errors;

/// <summary>统筹基金: the errors of the fund's report.</summary>
public static partial class ErrorCatalog
{
    public static Refusal FundRangeTooLong(string from, string to, int maxMonths) =>
        Codes.FundRangeTooLong.Refuse($"统筹基金报表一次最多 {maxMonths} 个月({from} 至 {to} 超出);请缩小起止月份范围",
                $"A fund report covers at most {maxMonths} months ({from} … {to} is longer); narrow from/to")
            .With("from", from).With("to", to).With("maxMonths", maxMonths.ToString(CultureInfo.InvariantCulture));
}
