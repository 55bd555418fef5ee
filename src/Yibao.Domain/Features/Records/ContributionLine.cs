using Yibao.Domain.Errors;
using Yibao.Domain.Identity;

namespace Yibao.Domain.Features.Records;

/// <summary>
/// One contribution as it arrives, all text: a line of an import file or an item of an API
/// request. <see cref="Line"/> is the line number in the file (the item's position for the API),
/// so a refusal can point at it.
/// </summary>
public sealed record ContributionLine(
    long Line,
    string? IdNumber,
    string? Name,
    string? EmployerCreditCode,
    string? Month,
    string? Base,
    string? EmployerPart,
    string? IndividualPart,
    string? DueDate,
    string? PaidDate)
{
    /// <summary>Set by a reader when the line itself is malformed (wrong number of fields, a broken quote); it is then the row's error.</summary>
    public Refusal? FormatError { get; init; }

    /// <summary>Parses every field; the first problem is the row's error.</summary>
    public ContributionRow Parse(DateOnly today)
    {
        if (FormatError is not null) throw new YibaoException(FormatError);
        if (string.IsNullOrWhiteSpace(IdNumber)) throw new YibaoException(ErrorCatalog.MissingField("idNumber"));
        var id = Identity.IdNumber.Parse(IdNumber);
        var name = string.IsNullOrWhiteSpace(Name) ? null : RecordText.Name(Name, "name", RecordText.MaxPersonName);
        var month = ContributionMonth.Create(Month, EmployerCreditCode, Base, EmployerPart, IndividualPart, DueDate, PaidDate, today);
        return new ContributionRow(Line, id, name, month);
    }

    /// <summary>Parses, or gives the error instead of throwing (the import reports every bad row and goes on).</summary>
    public bool TryParse(DateOnly today, out ContributionRow? row, out Refusal? error)
    {
        try
        {
            row = Parse(today);
            error = null;
            return true;
        }
        catch (YibaoException e)
        {
            row = null;
            error = e.Error;
            return false;
        }
    }
}

/// <summary>A parsed contribution: who, optionally their name (to enrol an unknown person on import), and the month.</summary>
public sealed record ContributionRow(long Line, IdNumber IdNumber, string? Name, ContributionMonth Contribution);

/// <summary>A row that was refused: its line and why (code and zh/en message).</summary>
public sealed record BadRow(long Line, Refusal Error);
