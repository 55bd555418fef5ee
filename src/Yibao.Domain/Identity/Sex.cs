namespace Yibao.Domain.Identity;

/// <summary>性别, as encoded in the resident ID number (GB 11643-1999: odd sequence = male).</summary>
public enum Sex
{
    /// <summary>男.</summary>
    Male,

    /// <summary>女.</summary>
    Female,
}
