namespace Yibao.Domain.Features.FamilyAid;

/// <summary>
/// How the relation between owner and relative is shown when binding (亲属关系证明). A3 rule 4:
/// relationships rest on personal commitment (个人承诺制) where the region allows it; the other
/// kinds are the documents an agency window asks for.
/// </summary>
public enum RelationProof
{
    /// <summary>户口簿: the household register shows both.</summary>
    HouseholdRegister,
    /// <summary>结婚证: spouses.</summary>
    MarriageCertificate,
    /// <summary>出生医学证明: parent and child.</summary>
    BirthCertificate,
    /// <summary>收养登记证: adoptive relations (民法典 art. 1111).</summary>
    AdoptionCertificate,
    /// <summary>亲属关系证明 (派出所 / 公证处): any near relative.</summary>
    KinshipCertificate,
    /// <summary>个人承诺: the owner's written commitment, checked later (A3 rule 4, 个人承诺制).</summary>
    PersonalCommitment,
}

/// <summary>The two parties of a binding: the owner (共济人, whose account pays) and the relative (被共济人).</summary>
public enum FamilyAidParty
{
    /// <summary>共济人.</summary>
    Owner,
    /// <summary>被共济人.</summary>
    Relative,
}

/// <summary>
/// How consent to a binding was given: the relative's own consent (被共济人确认), or the owner's
/// authorisation where the relative cannot give it (a minor or a person without capacity, whose
/// guardian the owner is).
/// </summary>
public enum ConsentMethod
{
    /// <summary>In the app or on the national platform, after identity verification (刷脸 / 短信验证).</summary>
    Online,
    /// <summary>At an agency window, in person (经办窗口现场确认).</summary>
    InPerson,
    /// <summary>A signed written authorisation (书面授权书).</summary>
    Written,
}
