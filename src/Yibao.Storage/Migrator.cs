using System.Reflection;

namespace Yibao.Storage;

/// <summary>
/// Applies the numbered SQL scripts of <c>Migrations/{engine}/</c> in order, each in its own
/// transaction, at start-up. Kept per engine (as Bitwarden does) because DDL differs; the
/// schema they describe is the same. Safe when two processes start at once: PostgreSQL takes
/// an advisory lock, SQLite's IMMEDIATE transaction serialises them.
/// </summary>
public static class Migrator
{
    private const long AdvisoryLockId = 0x59_49_42_41_4F; // "YIBAO"

    public static async Task<int> MigrateAsync(YibaoDatabase db, CancellationToken ct = default)
    {
        if (db.Engine == Engine.Sqlite)
        {
            await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
            await using var wal = c.CreateCommand();
            // WAL lets readers work while one writer commits; it is a property of the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var scripts = Scripts(db.Engine).ToList();
        // The usual start: every script applied already. One read says so, without a transaction per script.
        if (await AppliedAsync(db, ct).ConfigureAwait(false) is { } done && scripts.All(x => done.Contains(x.Version)))
            return 0;

        var applied = 0;
        foreach (var (version, name, sql) in scripts)
        {
            await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
            if (db.Engine == Engine.Postgres)
            {
                await using var lk = s.Command($"SELECT pg_advisory_xact_lock({AdvisoryLockId})");
                await lk.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await using (var create = s.Command(
                "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"))
            {
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await using (var check = s.Command("SELECT COUNT(*) FROM schema_migration WHERE version = @v").With("v", version))
            {
                if (Convert.ToInt64(await check.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                    continue;
            }
            await using (var run = s.Command(sql))
            {
                await run.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await using (var mark = s.Command("INSERT INTO schema_migration (version, name, applied_at) VALUES (@v, @n, @t)")
                             .With("v", version).With("n", name).With("t", DateTimeOffset.UtcNow.ToString("O")))
            {
                await mark.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await s.CommitAsync(ct).ConfigureAwait(false);
            applied++;
        }
        return applied;
    }

    /// <summary>The versions applied, or null when the database has no migration table yet.</summary>
    private static async Task<HashSet<int>?> AppliedAsync(YibaoDatabase db, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var exists = c.CreateCommand();
        exists.CommandText = db.Engine == Engine.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migration'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0) return null;
        await using var read = c.CreateCommand();
        read.CommandText = "SELECT version FROM schema_migration";
        var versions = new HashSet<int>();
        await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) versions.Add(Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        return versions;
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Scripts(Engine engine)
    {
        var asm = typeof(Migrator).Assembly;
        var prefix = $"Yibao.Storage.Migrations.{(engine == Engine.Sqlite ? "sqlite" : "postgres")}";
        var list = new List<(int, string, string)>();
        foreach (var resource in asm.GetManifestResourceNames())
        {
            // LogicalName keeps the folder with '/' or '\' as RecursiveDir gives it.
            var normalised = resource.Replace('\\', '.').Replace('/', '.');
            if (!normalised.StartsWith(prefix + ".", StringComparison.Ordinal)) continue;
            var file = normalised[(prefix.Length + 1)..];
            var name = file[..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }
        return list.OrderBy(x => x.Item1);
    }

    internal static IEnumerable<string> ResourceNames() => typeof(Migrator).Assembly.GetManifestResourceNames();
}
