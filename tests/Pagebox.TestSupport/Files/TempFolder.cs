namespace Pagebox.Testing;

/// <summary>
/// A fresh folder under the system's temp directory for one test class (<c>prefix</c> + a random suffix), created at
/// once and removed with everything in it on <see cref="Dispose"/>; a folder a process still holds open is left
/// behind, which is harmless.
/// </summary>
public sealed class TempFolder(string prefix) : IDisposable
{
    /// <summary>The folder's full path.</summary>
    public string Path { get; } =
        Directory
            .CreateDirectory(
                System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"))
            )
            .FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind: harmless.
        }
    }
}
