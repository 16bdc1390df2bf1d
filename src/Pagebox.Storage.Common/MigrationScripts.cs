using System.Reflection;

namespace Pagebox.Storage;

/// <summary>
/// The numbered migrations a store carries (<c>Migrations/NNN_name.sql</c>, embedded), as both stores read them: in
/// order of their number. Each store applies them its own way (SQLite on its writer connection, PostgreSQL under an
/// advisory lock).
/// </summary>
internal sealed class MigrationScripts(Assembly assembly)
{
    /// <summary>Every script: its resource name, its file name (recorded in <c>schema_migrations</c>) and its
    /// number.</summary>
    public IReadOnlyList<(string Name, string File, int Version)> All { get; } =
    [
        .. assembly
            .GetManifestResourceNames()
            .Where(n =>
                n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)
            )
            .Select(n => (Name: n, File: n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..]))
            .Select(x =>
                (
                    x.Name,
                    x.File,
                    Version: int.Parse(
                        x.File.AsSpan(0, x.File.IndexOf('_')),
                        System.Globalization.CultureInfo.InvariantCulture
                    )
                )
            )
            .OrderBy(x => x.Version),
    ];

    /// <summary>The newest migration this build carries.</summary>
    public int Expected => All.Count == 0 ? 0 : All[^1].Version;

    /// <summary>How many migrations this build carries.</summary>
    public int Count => All.Count;

    /// <summary>The text of the script <paramref name="name"/>.</summary>
    public string Read(string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var text = new StreamReader(stream);
        return text.ReadToEnd();
    }
}
