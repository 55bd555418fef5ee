using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Yibao.Storage.Crediting;

/// <summary>
/// Appends rows to one table as fast as the engine allows, inside the caller's transaction:
/// binary COPY on PostgreSQL, one prepared INSERT reused row after row on SQLite. Rows stream
/// through; nothing is kept, so memory does not grow with the number of rows.
/// </summary>
internal sealed class RowSink : IAsyncDisposable
{
    private readonly NpgsqlBinaryImporter? _copy;
    private readonly DbCommand? _insert;
    private readonly DbParameter[] _parameters;
    private readonly NpgsqlDbType[] _types;

    /// <summary>The next row's values, in column order; set them, then <see cref="WriteAsync"/>.</summary>
    public object?[] Values { get; }

    private RowSink(NpgsqlBinaryImporter? copy, DbCommand? insert, DbParameter[] parameters, NpgsqlDbType[] types)
    {
        _copy = copy;
        _insert = insert;
        _parameters = parameters;
        _types = types;
        Values = new object?[types.Length];
    }

    public static async Task<RowSink> OpenAsync(DbSession s, string table, (string Name, NpgsqlDbType Type)[] columns, CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        var types = columns.Select(c => c.Type).ToArray();
        if (s.Engine == Engine.Postgres)
        {
            var copy = await ((NpgsqlConnection)s.Connection).BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
            return new RowSink(copy, null, [], types);
        }
        var insert = s.Command($"INSERT INTO {table} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})");
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = insert.CreateParameter();
            parameters[i].ParameterName = "p" + i.ToString(CultureInfo.InvariantCulture);
            insert.Parameters.Add(parameters[i]);
        }
        return new RowSink(null, insert, parameters, types);
    }

    public async ValueTask WriteAsync(CancellationToken ct)
    {
        if (_copy is not null)
        {
            await _copy.StartRowAsync(ct).ConfigureAwait(false);
            for (var i = 0; i < Values.Length; i++)
            {
                if (Values[i] is null) await _copy.WriteNullAsync(ct).ConfigureAwait(false);
                else await _copy.WriteAsync(Values[i], _types[i], ct).ConfigureAwait(false);
            }
            return;
        }
        for (var i = 0; i < Values.Length; i++) _parameters[i].Value = Values[i] ?? DBNull.Value;
        await _insert!.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Ends the COPY (PostgreSQL); the rows commit with the caller's transaction.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_copy is not null) await _copy.CompleteAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync().ConfigureAwait(false);
        if (_insert is not null) await _insert.DisposeAsync().ConfigureAwait(false);
    }
}
