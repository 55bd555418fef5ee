namespace Yibao.Domain.Errors;

/// <summary>
/// The Chinese name of a request field, so a Chinese message never shows an English field name
/// (the field's own name stays in the refusal's details, for programs). A field without a label
/// here is named generically in Chinese.
/// </summary>
public static class FieldLabels
{
    private static readonly Dictionary<string, string> Zh = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = "账户", ["actor"] = "经办人", ["admittedOn"] = "入院日期", ["agent"] = "代办人", ["agent.idNumber"] = "代办人身份证号码",
        ["agent.name"] = "代办人姓名", ["amount"] = "金额", ["balance"] = "余额", ["bankAccount"] = "银行账号", ["base"] = "缴费基数",
        ["bindingId"] = "共济关系编号", ["birthDate"] = "出生日期", ["body"] = "请求内容", ["boundOn"] = "绑定日期", ["breakYears"] = "断保年数",
        ["businessDate"] = "业务日期", ["category"] = "备案类别", ["cause"] = "欠费原因", ["chunk-size"] = "批次大小", ["consent"] = "授权同意",
        ["context"] = "情形", ["contributions"] = "缴费记录", ["coverageYear"] = "待遇年度", ["creditCode"] = "统一社会信用代码", ["database"] = "数据库",
        ["days"] = "工作日数", ["declaredWage"] = "申报工资", ["designated"] = "定点机构标志", ["destination"] = "就医地", ["differs"] = "不同之处",
        ["dueDate"] = "应缴日期", ["effectiveOn"] = "生效日期", ["employerCreditCode"] = "单位统一社会信用代码", ["employerPart"] = "单位缴费",
        ["encoding"] = "文件编码", ["enrolledOn"] = "参保日期", ["event"] = "状态事件", ["filedOn"] = "备案日期", ["filingId"] = "备案编号",
        ["firstContributionMonth"] = "首次缴费月份", ["folder"] = "文件夹", ["heirIdNumber"] = "继承人身份证号码", ["heirName"] = "继承人姓名",
        ["holder"] = "账户持有人", ["idNumber"] = "身份证号码", ["idempotencyKey"] = "幂等键", ["Idempotency-Key"] = "幂等键", ["individualPart"] = "个人缴费",
        ["input"] = "输入", ["institutionCode"] = "机构编码", ["institutionName"] = "机构名称", ["insured"] = "参保人", ["kind"] = "类别",
        ["limit"] = "条数上限", ["materials"] = "材料", ["memo"] = "摘要", ["month"] = "月份", ["monthlyAmount"] = "月划入额", ["months"] = "月份",
        ["name"] = "姓名", ["nationality"] = "国籍", ["ownerBalance"] = "共济人余额", ["page"] = "页码", ["pageSize"] = "每页条数",
        ["paidDate"] = "到账日期", ["paidOn"] = "缴费日期", ["pension"] = "养老金", ["policyCost"] = "政策范围内费用", ["policyVersion"] = "政策版本",
        ["postings"] = "记账行", ["preCreditedFrom"] = "预划入起始月", ["proof"] = "关系证明", ["proofReference"] = "证明编号", ["purpose"] = "用途",
        ["rate"] = "比例", ["reason"] = "事由", ["reasonCode"] = "原因代码", ["reasonEn"] = "英文理由", ["reasonZh"] = "中文理由", ["receivedOn"] = "收到日期",
        ["region"] = "统筹地区", ["region-database"] = "统筹地区数据库", ["relation"] = "亲属关系", ["relativeInsured"] = "亲属参保标志",
        ["relativeRegion"] = "亲属参保地", ["remoteCare"] = "异地就医备案类别", ["repairYears"] = "修复年数", ["retiredOn"] = "退休日期",
        ["retirementDate"] = "退休日期", ["reverses"] = "冲正对象", ["reviewer"] = "审核人", ["revokedOn"] = "解除日期", ["scheme"] = "险种",
        ["selfPayCost"] = "目录外费用", ["spendOn"] = "费用发生日", ["status"] = "参保状态", ["submissionKey"] = "幂等键", ["targetRegion"] = "转入地",
        ["tier"] = "医院等级", ["transfer"] = "转移信息", ["transfer.targetRegion"] = "转入地", ["validFrom"] = "备案生效日", ["validTo"] = "备案截止日",
        ["value"] = "取值", ["windowEnd"] = "授权终止日", ["windowStart"] = "授权开始日", ["withdrawal"] = "支取信息",
        ["withdrawal.bankAccount"] = "银行账号", ["withdrawal.reason"] = "支取事由", ["year"] = "年度",
    };

    /// <summary>The field's Chinese name, or 请求中的一个字段 when it has none.</summary>
    public static string Of(string field) => Zh.TryGetValue(field, out var label) ? label : "请求中的一个字段";

    public static bool Has(string field) => Zh.ContainsKey(field);
}
