using System.Buffers;

namespace Facemoji.Web.Api;

/// <summary>
/// An uploaded image's bytes (<see cref="ImageUploads.ReadPooledAsync"/>), perhaps in a buffer rented from the shared
/// pool: <see cref="Bytes"/> is valid until <see cref="Dispose"/>, which gives the buffer back.
/// </summary>
internal sealed class PooledUpload(byte[] buffer, int length, string name, bool pooled) : IDisposable
{
    private byte[]? buffer = buffer;

    /// <summary>The name echoed in the JSON ("upload" for a raw body, the form's file name otherwise).</summary>
    public string Name { get; } = name;

    public ReadOnlyMemory<byte> Bytes => (buffer ?? throw new ObjectDisposedException(nameof(PooledUpload))).AsMemory(0, length);

    public void Dispose()
    {
        byte[]? rented = Interlocked.Exchange(ref buffer, null);
        if (pooled && rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
