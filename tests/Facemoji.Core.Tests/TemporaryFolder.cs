namespace Facemoji.Core.Tests;

/// <summary>A fresh folder under the system temp path, deleted on dispose (Core.Tests references nothing but Core).</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "facemoji-tests", Guid.NewGuid().ToString("N"));

    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A FIFO named <paramref name="name"/> in the folder (mkfifo(1)); opening it for reading would block.</summary>
    public async Task<string> MakeFifoAsync(string name)
    {
        string fifo = Combine(name);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo);
        await mkfifo.WaitForExitAsync();
        return fifo;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
