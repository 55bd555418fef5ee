using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Regions;

/// <summary>The shipped GB/T 2260 list: real places are found with their names, six digits alone are not a place.</summary>
public class RegionCodesTests
{
    [Theory]
    [InlineData("110000", "北京市")]
    [InlineData("440000", "广东省")]
    [InlineData("440100", "广州市")]
    [InlineData("440106", "天河区")]
    [InlineData("320583", "昆山市")]
    [InlineData("540100", "拉萨市")]
    [InlineData("419001", "济源市")]   // a county-level city directly under the province
    [InlineData("500229", "城口县")]   // 重庆's counties, under its 县 grouping
    public void A_real_code_is_found_with_its_name(string code, string name)
    {
        Assert.True(RegionCodes.IsReal(RegionCode.Parse(code)));
        Assert.Equal(name, RegionCodes.NameOf(RegionCode.Parse(code)));
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("123456")]
    [InlineData("000000")]   // the nation is not a destination
    [InlineData("990100")]   // the demo region is fictional
    [InlineData("990000")]
    [InlineData("110199")]
    [InlineData("320576")]   // 苏州工业园区: a statistics-only functional zone
    public void Six_digits_alone_are_not_a_place(string code) =>
        Assert.False(RegionCodes.IsReal(RegionCode.Parse(code)));

    [Theory]
    [InlineData("320583", "江苏省 苏州市 昆山市")]
    [InlineData("110101", "北京市 东城区")]
    [InlineData("440100", "广东省 广州市")]
    [InlineData("440000", "广东省")]
    public void The_full_name_reads_from_the_province_down(string code, string fullName) =>
        Assert.Equal(fullName, RegionCodes.FullNameOf(RegionCode.Parse(code)));

    [Fact]
    public void Every_province_city_and_county_of_the_mainland_is_listed()
    {
        Assert.InRange(RegionCodes.Count, 3000, 3500);
        // Every policy pack of a real region names a real place.
        foreach (var pack in Yibao.Domain.Policy.PolicyPackLoader.Embedded.Packs.Where(p => !p.Region.IsNational && !p.Region.Value.StartsWith("99", StringComparison.Ordinal)))
            Assert.True(RegionCodes.IsReal(pack.Region), pack.Region.Value);
    }
}
