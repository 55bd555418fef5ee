using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Ledger;

/// <summary>
/// The stable name of a ledger account: <c>{region}:{kind}</c> for a region's own accounts
/// (<c>990100:pooled-fund</c>) and <c>{region}:personal:{holder}</c> for a personal account,
/// where the holder is the insured person's ID number. The region is always part of the name,
/// so a deployment can be split by region.
/// </summary>
public readonly record struct AccountCode
{
    /// <summary>
    /// The day a region's own accounts (pooled fund, clearing, receivables) are taken to open:
    /// 1999-01-01, when 国发〔1998〕44号 started employee medical insurance with personal accounts.
    /// No business date of any entry is earlier.
    /// </summary>
    public static readonly DateOnly SystemOpeningDate = new(1999, 1, 1);

    public string Value { get; }
    public RegionCode Region { get; }
    public AccountKind Kind { get; }
    public string? Holder { get; }

    private AccountCode(string value, RegionCode region, AccountKind kind, string? holder)
    {
        Value = value;
        Region = region;
        Kind = kind;
        Holder = holder;
    }

    public static AccountCode Personal(RegionCode region, string holder)
    {
        if (string.IsNullOrWhiteSpace(holder) || holder.Contains(':', StringComparison.Ordinal) || holder.Length > 64)
            throw new YibaoException(ErrorCatalog.InvalidField("holder", "empty, too long or contains ':'"));
        return new($"{region.Value}:personal:{holder}", region, AccountKind.Personal, holder);
    }

    /// <summary>A region's own account of a non-personal kind (one per region and kind).</summary>
    public static AccountCode Of(RegionCode region, AccountKind kind)
    {
        if (kind == AccountKind.Personal)
            throw new ArgumentException("A personal account needs a holder.", nameof(kind));
        return new($"{region.Value}:{kind.Code()}", region, kind, null);
    }

    public static AccountCode Parse(string? text) =>
        TryParse(text, out var code) ? code : throw new YibaoException(ErrorCatalog.UnknownAccount(text ?? ""));

    public static bool TryParse(string? text, out AccountCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split(':');
        if (parts.Length is < 2 or > 3 || !RegionCode.TryParse(parts[0], out var region)) return false;
        if (!LedgerNames.TryParseKind(parts[1], out var kind)) return false;
        if (kind == AccountKind.Personal)
        {
            if (parts.Length != 3 || parts[2].Length is 0 or > 64) return false;
            code = new AccountCode(text.Trim(), region, kind, parts[2]);
            return true;
        }
        if (parts.Length != 2) return false;
        code = new AccountCode(text.Trim(), region, kind, null);
        return true;
    }

    public override string ToString() => Value ?? "";
}
