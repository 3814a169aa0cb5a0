using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>
/// The TurboJPEG 2.x C API of the system's libjpeg-turbo (Debian's libturbojpeg0), bound at first use through
/// <see cref="NativeLibrary"/> as unmanaged function pointers. Handles are not thread-safe, so each call rents one
/// from a pool and gives it back; creating a handle per 48x48 image would cost more than decoding it.
/// </summary>
internal static unsafe class TurboJpeg
{
    public const string MissingLibraryMessage =
        "JPEG support needs libjpeg-turbo: install Debian's libturbojpeg0 (apt-get install libturbojpeg0)";

    // Pixel formats (TJPF_*), colour spaces (TJCS_*), subsampling (TJSAMP_*), flags (TJFLAG_*) and error codes of turbojpeg.h 2.1.
    public const int PixelFormatRgb = 0, PixelFormatGray = 6, PixelFormatRgba = 7, PixelFormatCmyk = 11;
    public const int ColorSpaceRgb = 0, ColorSpaceYCbCr = 1, ColorSpaceGray = 2, ColorSpaceCmyk = 3, ColorSpaceYcck = 4;
    public const int Subsampling444 = 0, Subsampling422 = 1, Subsampling420 = 2, SubsamplingGray = 3;
    public const int FlagProgressive = 16384;
    public const int ErrorWarning = 0;

    internal static readonly string[] LibraryNames = ["libturbojpeg.so.0", "libturbojpeg.so"];

    private static readonly Lazy<Api> Functions = new(() => Load(LibraryNames));
    private static readonly ConcurrentBag<nint> Decompressors = new();
    private static readonly ConcurrentBag<nint> Compressors = new();
    private static readonly int PoolCapacity = Math.Max(4, Environment.ProcessorCount * 2);

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            return Functions.Value is not null;
        }
        catch (FacemojiException)
        {
            return false;
        }
    });

    public static Api Native => Functions.Value;

    /// <summary>Whether the system's libjpeg-turbo (TurboJPEG 2.x) is installed; without it JPEG goes through Skia.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>Loads the first library of <paramref name="names"/> that exists and binds the functions we call.</summary>
    internal static Api Load(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, typeof(TurboJpeg).Assembly, null, out nint library))
            {
                return new Api(library);
            }
        }

        throw new FacemojiException(MissingLibraryMessage);
    }

    public static nint RentDecompressor() => Rent(Decompressors, compress: false);

    /// <summary>
    /// Gives a handle back after use. After a failed call the handle is destroyed instead: TurboJPEG 2.1 leaves
    /// libjpeg mid-header after an error, and the next image on that handle would fail ("two SOI markers").
    /// </summary>
    public static void ReturnDecompressor(nint handle, bool healthy)
    {
        if (healthy)
        {
            Return(Decompressors, handle);
        }
        else
        {
            Native.Destroy(handle);
        }
    }

    public static nint RentCompressor() => Rent(Compressors, compress: true);

    public static void ReturnCompressor(nint handle, bool healthy)
    {
        if (healthy)
        {
            Return(Compressors, handle);
        }
        else
        {
            Native.Destroy(handle);
        }
    }

    private static nint Rent(ConcurrentBag<nint> pool, bool compress)
    {
        if (pool.TryTake(out nint handle))
        {
            return handle;
        }

        Api api = Native;
        handle = compress ? api.InitCompress() : api.InitDecompress();
        if (handle == 0)
        {
            throw new FacemojiException($"libjpeg-turbo could not create a {(compress ? "compressor" : "decompressor")}: {api.ErrorText(0)}");
        }

        return handle;
    }

    private static void Return(ConcurrentBag<nint> pool, nint handle)
    {
        if (pool.Count < PoolCapacity)
        {
            pool.Add(handle);
        }
        else
        {
            Native.Destroy(handle);
        }
    }

    /// <summary>The bound entry points; signatures as in turbojpeg.h (unsigned long is 64-bit on Linux x64: nuint).</summary>
    internal sealed class Api
    {
        private readonly delegate* unmanaged<nint> initDecompress;
        private readonly delegate* unmanaged<nint> initCompress;
        private readonly delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> decompressHeader3;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> decompress2;
        private readonly delegate* unmanaged<nint, byte*, int, int, int, int, byte**, nuint*, int, int, int, int> compress2;
        private readonly delegate* unmanaged<nint, byte*> getErrorStr2;
        private readonly delegate* unmanaged<nint, int> getErrorCode;
        private readonly delegate* unmanaged<nint, int> destroy;
        private readonly delegate* unmanaged<byte*, void> free;

        public Api(nint library)
        {
            initDecompress = (delegate* unmanaged<nint>)Export(library, "tjInitDecompress");
            initCompress = (delegate* unmanaged<nint>)Export(library, "tjInitCompress");
            decompressHeader3 = (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)Export(library, "tjDecompressHeader3");
            decompress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)Export(library, "tjDecompress2");
            compress2 = (delegate* unmanaged<nint, byte*, int, int, int, int, byte**, nuint*, int, int, int, int>)Export(library, "tjCompress2");
            getErrorStr2 = (delegate* unmanaged<nint, byte*>)Export(library, "tjGetErrorStr2");
            getErrorCode = (delegate* unmanaged<nint, int>)Export(library, "tjGetErrorCode");
            destroy = (delegate* unmanaged<nint, int>)Export(library, "tjDestroy");
            free = (delegate* unmanaged<byte*, void>)Export(library, "tjFree");
        }

        private static nint Export(nint library, string name) =>
            NativeLibrary.TryGetExport(library, name, out nint address)
                ? address
                : throw new FacemojiException($"{MissingLibraryMessage} (the installed library lacks {name}; TurboJPEG 2.x is needed)");

        public nint InitDecompress() => initDecompress();

        public nint InitCompress() => initCompress();

        public int DecompressHeader3(nint handle, byte* jpeg, nuint size, int* width, int* height, int* subsampling, int* colorSpace) =>
            decompressHeader3(handle, jpeg, size, width, height, subsampling, colorSpace);

        public int Decompress2(nint handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags) =>
            decompress2(handle, jpeg, size, destination, width, pitch, height, pixelFormat, flags);

        public int Compress2(nint handle, byte* source, int width, int pitch, int height, int pixelFormat, byte** jpeg, nuint* size, int subsampling, int quality, int flags) =>
            compress2(handle, source, width, pitch, height, pixelFormat, jpeg, size, subsampling, quality, flags);

        public bool IsWarning(nint handle) => getErrorCode(handle) == ErrorWarning;

        public string ErrorText(nint handle) => Marshal.PtrToStringUTF8((nint)getErrorStr2(handle)) ?? "unknown error";

        public void Destroy(nint handle) => destroy(handle);

        public void Free(byte* buffer) => free(buffer);
    }
}
