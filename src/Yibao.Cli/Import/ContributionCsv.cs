using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;

namespace Yibao.Cli.Import;

/// <summary>
/// A contributions CSV file (缴费明细), read as a stream with CsvHelper's parser: the header
/// names the columns (English names or their Chinese equivalents, any order, any case), and
/// each following record becomes a <see cref="ContributionLine"/> with its line number. Only
/// the current record is in memory. A malformed record (wrong number of fields, a stray quote)
/// is a bad row, not the end of the file; a wrong header or an undecodable file is refused whole.
/// </summary>
public sealed class ContributionCsv : IAsyncDisposable
{
    /// <summary>Columns: the English name, its Chinese aliases, and whether it must be present.</summary>
    public static readonly IReadOnlyList<(string Name, string[] Aliases, bool Required)> Columns =
    [
        ("idNumber", ["身份证号码", "身份证号", "公民身份号码"], true),
        ("name", ["姓名"], false),
        ("employerCreditCode", ["统一社会信用代码", "单位统一社会信用代码"], false),
        ("month", ["缴费月份", "费款所属期"], true),
        ("base", ["缴费基数"], true),
        ("employerPart", ["单位缴费", "单位缴费金额"], true),
        ("individualPart", ["个人缴费", "个人缴费金额"], true),
        ("dueDate", ["应缴日期", "缴费截止日期"], true),
        ("paidDate", ["到账日期", "实缴日期"], false),
    ];

    private readonly Stream _stream;
    private readonly StreamReader _reader;
    private readonly CsvParser _parser;
    private readonly Dictionary<string, int> _index;
    private readonly int _fieldCount;
    private string? _badData;

    public string File { get; }

    /// <summary>Bytes of the file consumed so far (read ahead by a buffer), for a progress bar.</summary>
    public long Position => _stream.Position;
    public long Length => _stream.CanSeek ? _stream.Length : 0;

    /// <summary>The columns the file has, by their English names.</summary>
    public IReadOnlyCollection<string> Present => _index.Keys;

    private ContributionCsv(string file, Stream stream, StreamReader reader, CsvParser parser, Dictionary<string, int> index, int fieldCount)
    {
        File = file;
        _stream = stream;
        _reader = reader;
        _parser = parser;
        _index = index;
        _fieldCount = fieldCount;
    }

    /// <summary>The encodings a file may be in: UTF-8 (with or without BOM), or GB18030 (which covers GBK/GB2312) as Excel saves CSV on Chinese Windows.</summary>
    public static Encoding EncodingNamed(string name)
    {
        var n = name.Trim().ToUpperInvariant().Replace("-", "", StringComparison.Ordinal);
        if (n is "UTF8") return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        if (n is "GB18030" or "GBK" or "GB2312")
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            // Strict decoding: a byte sequence that is not GB18030 is an error, not a '?'.
            return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        throw new YibaoException(ErrorCatalog.InvalidField("encoding", "expected utf-8 or gb18030").With("value", name));
    }

    /// <summary>Opens the file and checks its header; throws <c>invalid-import-file</c> naming what is wrong.</summary>
    public static async Task<ContributionCsv> OpenAsync(string path, Encoding encoding, CancellationToken ct = default)
    {
        var file = Path.GetFileName(path);
        if (!System.IO.File.Exists(path))
            throw new YibaoException(ErrorCatalog.InvalidImportFile(file, $"no such file: {path}", $"文件不存在:{path}"));
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        ContributionCsv? csv = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            // A stray quote marks the record bad (reported with its line), not the file.
            BadDataFound = args => { if (csv is not null) csv._badData = args.Field; },
        };
        var parser = new CsvParser(reader, config);
        try
        {
            string[] header;
            try
            {
                if (!await parser.ReadAsync().ConfigureAwait(false) || parser.Record is not { Length: > 0 } h)
                    throw new YibaoException(ErrorCatalog.InvalidImportFile(file, "the file is empty; the first line names the columns", "文件为空;第一行应为列名"));
                header = h;
            }
            catch (DecoderFallbackException)
            {
                throw NotDecodable(file, encoding);
            }
            var index = Header(file, header);
            csv = new ContributionCsv(file, stream, reader, parser, index, header.Length);
            return csv;
        }
        catch
        {
            parser.Dispose();
            reader.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Dictionary<string, int> Header(string file, string[] header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var given = header[i].Trim().TrimStart('\uFEFF');
            var column = Columns.FirstOrDefault(c => string.Equals(c.Name, given, StringComparison.OrdinalIgnoreCase) || c.Aliases.Contains(given, StringComparer.Ordinal));
            if (column.Name is null)
            {
                // An unknown column is refused rather than ignored: a misspelt "paidDate" would
                // otherwise drop every payment of the file without a word.
                throw new YibaoException(ErrorCatalog.InvalidImportFile(file,
                        $"unknown column '{given}' (column {i + 1}); the columns are {string.Join(", ", Columns.Select(c => c.Name))}",
                        $"第 {i + 1} 列“{given}”不是可识别的列名;可用列名:{string.Join("、", Columns.Select(c => c.Name))}")
                    .With("column", given));
            }
            if (!index.TryAdd(column.Name, i))
                throw new YibaoException(ErrorCatalog.InvalidImportFile(file, $"column '{column.Name}' appears twice", $"列“{column.Name}”出现了两次").With("column", column.Name));
        }
        var missing = Columns.Where(c => c.Required && !index.ContainsKey(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new YibaoException(ErrorCatalog.InvalidImportFile(file, $"missing column(s): {string.Join(", ", missing)}", $"缺少列:{string.Join("、", missing)}")
                .With("missing", string.Join(",", missing)));
        return index;
    }

    /// <summary>The data rows, in file order, each with the line on which it ends (line 1 is the header).</summary>
    public async IAsyncEnumerable<ContributionLine> RowsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            _badData = null;
            bool more;
            try
            {
                more = await _parser.ReadAsync().ConfigureAwait(false);
            }
            catch (DecoderFallbackException)
            {
                throw NotDecodable(File, _reader.CurrentEncoding);
            }
            if (!more) yield break;
            var record = _parser.Record ?? [];
            var line = (long)_parser.RawRow;
            if (_badData is not null)
            {
                yield return Malformed(line, $"a quote is misplaced in '{Shorten(_badData)}'", $"字段“{Shorten(_badData)}”中的引号位置不对");
                continue;
            }
            if (record.Length != _fieldCount)
            {
                yield return Malformed(line, $"{record.Length} fields, expected {_fieldCount} as in the header", $"有 {record.Length} 个字段,表头为 {_fieldCount} 个");
                continue;
            }
            yield return new ContributionLine(line, Field(record, "idNumber"), Field(record, "name"), Field(record, "employerCreditCode"),
                Field(record, "month"), Field(record, "base"), Field(record, "employerPart"), Field(record, "individualPart"),
                Field(record, "dueDate"), Field(record, "paidDate"));
        }
    }

    private string? Field(string[] record, string column) =>
        _index.TryGetValue(column, out var i) && record[i].Length > 0 ? record[i] : null;

    private static ContributionLine Malformed(long line, string why, string whyZh) =>
        new(line, null, null, null, null, null, null, null, null, null) { FormatError = ErrorCatalog.InvalidCsvRow(why, whyZh) };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static YibaoException NotDecodable(string file, Encoding encoding) =>
        new(ErrorCatalog.InvalidImportFile(file,
            $"the file is not valid {encoding.WebName}; a CSV saved by Excel on Chinese Windows is GB18030: use --encoding gb18030",
            $"文件不是有效的 {encoding.WebName} 编码;中文 Windows 上 Excel 保存的 CSV 一般为 GB18030,请使用 --encoding gb18030"));

    public async ValueTask DisposeAsync()
    {
        _parser.Dispose();
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
