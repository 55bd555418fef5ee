namespace Yibao.Server.Features.Demo;

/// <summary>Small lists that demo names and pharmacies are drawn from.</summary>
internal static class DemoNames
{
    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
        "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    ];

    // Given names follow the fashion of the decade: 建国 and 秀英 for the elders, 子轩 and 梓涵 for the young.
    private static readonly string[] MaleOlder = ["建国", "国华", "建华", "德明", "振华", "志刚", "卫东", "长林", "伟", "强", "军", "刚", "平"];
    private static readonly string[] MaleYounger = ["浩然", "子轩", "宇航", "俊杰", "文博", "一鸣", "梓豪", "晨阳", "磊", "杰", "涛", "鹏", "超"];
    private static readonly string[] FemaleOlder = ["秀英", "桂英", "秀兰", "玉兰", "淑珍", "春梅", "丽华", "凤英", "芳", "红", "霞", "燕", "敏"];
    private static readonly string[] FemaleYounger = ["欣怡", "梓涵", "思琪", "雨欣", "佳慧", "诗涵", "可馨", "一诺", "婷", "雪", "颖", "琳", "静"];

    public static string[] GivenNames(bool male, int birthYear) => (male, birthYear) switch
    {
        (true, < 1975) => MaleOlder,
        (true, > 1990) => MaleYounger,
        (true, _) => [.. MaleOlder, .. MaleYounger],
        (false, < 1975) => FemaleOlder,
        (false, > 1990) => FemaleYounger,
        (false, _) => [.. FemaleOlder, .. FemaleYounger],
    };

    public static readonly string[] Pharmacies =
    [
        "示例市第一大药房", "仁和堂药店", "康民大药房", "百姓缘药房", "示例市人民医院门诊药房", "济生堂连锁药店",
    ];
}
